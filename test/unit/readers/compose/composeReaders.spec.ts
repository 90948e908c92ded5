/**
 * The two ways to resolve a Compose project, the plugin (`docker compose
 * config --format json`) and the built-in reader, must make the same
 * topology of every project in the corpus, and list the same things as not
 * judged.
 */
import * as assert from "assert";
import { PROJECTS, pluginHere, readCorpus } from "./composeHelpers";

describe("compose: the plugin and the built-in reader agree", () => {
    for (const project of PROJECTS) {
        const label = `${project.folder} (${project.files.join(", ")}${project.options ? ` ${JSON.stringify(project.options)}` : ""})`;
        it(`reads ${label} into the same topology both ways`, function () {
            if (!pluginHere()) this.skip();
            const plugin = readCorpus(project, true);
            const builtIn = readCorpus(project, false);
            assert.strictEqual(plugin.resolvedBy, "plugin");
            assert.strictEqual(builtIn.resolvedBy, "built-in");
            assert.deepStrictEqual(builtIn.topology, plugin.topology);
            assert.deepStrictEqual(builtIn.notJudged, plugin.notJudged);
            assert.strictEqual(builtIn.project.name, plugin.project.name);
            assert.ok(plugin.topology.containers.length > 0);
        });
    }
});
