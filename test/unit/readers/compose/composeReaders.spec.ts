/**
 * The two ways to resolve a Compose project, the plugin (`docker compose
 * config --format json`) and the built-in reader, must make the same
 * topology of every project in the corpus, and list the same things as not
 * judged.
 */
import * as assert from "assert";
import { rules } from "../../../../policies/pack";
import { readComposeExample } from "../../../../scripts/policyDocs";
import { PLUGIN_TAG, PROJECTS, needsPlugin, readCorpus } from "./composeHelpers";

describe(`${PLUGIN_TAG} compose: the plugin and the built-in reader agree`, () => {
    for (const project of PROJECTS) {
        const label = `${project.folder} (${project.files.join(", ")}${project.options ? ` ${JSON.stringify(project.options)}` : ""})`;
        it(`reads ${label} into the same topology both ways`, function () {
            needsPlugin(this);
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

    for (const rule of rules.filter((r) => r.doc.compose.example !== undefined)) {
        it(`reads ${rule.name}'s Compose example (its policy page) into the same topology both ways`, function () {
            needsPlugin(this);
            const example = rule.doc.compose.example as string;
            const plugin = readComposeExample(example, true);
            assert.strictEqual(plugin.resolvedBy, "plugin");
            assert.deepStrictEqual(readComposeExample(example).topology, plugin.topology);
        });
    }
});
