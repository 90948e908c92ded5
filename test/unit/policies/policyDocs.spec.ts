/**
 * The generated documentation is what `npm run docs` would write now: the
 * pages docs/policies/<policy>.md, README.md's policy table and the pack
 * manifest's description, all from the rules' docs.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { rules } from "../../../policies/pack";
import { GENERATE_COMMAND, MANIFEST, PAGES_DIR, README, drift, generatedFiles, pagePath } from "../../../scripts/policyDocs";

describe("policies: generated documentation", () => {
    it(`is up to date (else run \`${GENERATE_COMMAND}\`)`, async () => {
        const files = await drift();
        assert.deepStrictEqual(
            files,
            [],
            `${files.join(", ")} ${files.length === 1 ? "differs" : "differ"} from what the rules' docs generate: run \`${GENERATE_COMMAND}\` and commit the result`,
        );
    });

    it("names every rule in the README's table, in the manifest's description and with a page", async () => {
        const files = await generatedFiles();
        const readme = files.get(README) as string;
        const manifest = yaml.load(files.get(MANIFEST) as string) as { runtime: string; description: string };
        assert.strictEqual(manifest.runtime, "nodejs");
        for (const rule of rules) {
            assert.ok(readme.includes(`[\`${rule.name}\`](${pagePath(rule)})`), rule.name);
            assert.ok(manifest.description.includes(rule.doc.topic), rule.doc.topic);
            assert.ok(files.get(pagePath(rule))?.startsWith(`# \`${rule.name}\``), pagePath(rule));
        }
    });

    it("finds an edited page, an edited table and a stray page", async () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-docs-"));
        try {
            const files = await generatedFiles();
            for (const [file, content] of files) {
                fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
                fs.writeFileSync(path.join(root, file), content);
            }
            assert.deepStrictEqual(await drift(root), []);
            const page = pagePath(rules[0]);
            fs.appendFileSync(path.join(root, page), "\nA hand-written line.\n");
            fs.writeFileSync(path.join(root, README), (files.get(README) as string).replace("| mandatory |", "| advisory |"));
            fs.writeFileSync(path.join(root, PAGES_DIR, "docker-gone.md"), "# gone\n");
            assert.deepStrictEqual(await drift(root), [page, README, `${PAGES_DIR}/docker-gone.md`]);
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });
});
