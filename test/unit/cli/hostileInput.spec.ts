/**
 * Hostile input: everything a pull request controls — preview
 * documents, the policy config, stack files, the stack name, the program
 * path — ends quickly with exit 0, 1 or 2, one named line on exit 2, no
 * stack trace, bounded memory, and output that cannot ping, link out or
 * drive a terminal. The CLI runs in-process (`runCli`) where it can, so
 * the properties stay fast; the cases that depend on the process (limits
 * from the environment, /dev/zero) run it as a subprocess.
 */
import * as assert from "assert";
import fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { UserError } from "../../../cli/errors";
import { MAX_INPUT_DEPTH_ENV, MAX_INPUT_MB_ENV } from "../../../cli/inputFile";
import { runCli } from "../../../cli/main";
import { PreviewDocument } from "../../../document/previewDocument";
import { readStackSettings } from "../../../cli/commands/preview/stack/stackSettings";
import { renderPreviewMarkdown } from "../../../cli/commands/preview/render/renderMarkdown";
import { renderPreviewText } from "../../../cli/commands/preview/render/renderText";
import { topologyMermaid } from "../../../cli/render/topologyMermaid";
import { renderDiffMarkdown } from "../../../cli/commands/diff/render/renderMarkdown";
import { diffView } from "../../../cli/commands/diff/diffView";
import { netguard } from "../../helpers/netguardCli";
import { container, documentOf, network, violation } from "../../helpers/previewFixtures";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-hostile-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function write(content: string | Buffer, name = `input-${++fileCount}.json`): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
}

interface Run {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

async function cli(...args: string[]): Promise<Run> {
    let stdout = "";
    let stderr = "";
    const code = await runCli(["node", "netguard", ...args], { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
    return { code, stdout, stderr };
}

/** The contract of a failed run: exit 2, nothing on stdout, exactly one line on stderr that names `what`, no stack trace. */
function assertOneNamedLine(run: Run, what: string | RegExp): void {
    assert.strictEqual(run.code, 2, `exit ${run.code}: ${run.stderr}`);
    assert.strictEqual(run.stdout, "");
    const lines = run.stderr.split("\n");
    assert.strictEqual(lines.length, 2, `one line, got: ${JSON.stringify(run.stderr)}`);
    assert.strictEqual(lines[1], "");
    assert.match(lines[0] as string, /^netguard: /);
    if (typeof what === "string") assert.ok((lines[0] as string).includes(what), `names ${what}: ${lines[0]}`);
    else assert.match(lines[0] as string, what);
    assert.doesNotMatch(run.stderr, /\n\s+at |internal error/);
    assert.doesNotMatch(run.stderr, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/, "no control characters");
}

function sample(): PreviewDocument {
    return documentOf(
        [network("app"), network("data", { subnet: "10.30.1.0/24", gateway: "10.30.1.1" })],
        [container("web", ["app"]), container("api", ["app", "data"], { dualHomed: true }), container("db", ["data"])],
        [violation("docker-no-default-bridge", "mandatory", "web")],
    );
}

/** Markdown with code spans removed: what GitHub would scan for mentions and links. */
function outsideCode(markdown: string): string {
    return markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, "").replace(/(`+)[^`]*?\1/g, "");
}

describe("hostile input", () => {
    describe("diff documents: a property", () => {
        // A valid document with one part replaced by arbitrary JSON, truncated, or wrapped deep.
        const mutation = fc.oneof(
            fc.record({ kind: fc.constant("replace" as const), path: fc.constantFrom("networks", "containers", "reachability", "violations", "resources", "networks.0", "containers.0.attachments", "reachability.0", "violations.0.level", "containers.0.name"), value: fc.jsonValue({ maxDepth: 3 }) }),
            fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
            fc.record({ kind: fc.constant("deep" as const), depth: fc.integer({ min: 60, max: 3000 }) }),
            fc.record({ kind: fc.constant("bytes" as const), text: fc.string({ unit: "binary", maxLength: 40 }) }),
        );

        type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

        function mutate(doc: PreviewDocument, m: Mutation): string {
            const text = JSON.stringify(doc);
            if (m.kind === "truncate") return text.slice(0, m.at % (text.length + 1));
            if (m.kind === "deep") return `${"[".repeat(m.depth)}${"]".repeat(m.depth)}`;
            if (m.kind === "bytes") return m.text;
            const copy = JSON.parse(text) as Record<string, unknown>;
            const keys = m.path.split(".");
            let target: Record<string, unknown> = copy;
            for (const key of keys.slice(0, -1)) {
                const next = target[key];
                if (next === null || typeof next !== "object") return JSON.stringify(copy);
                target = next as Record<string, unknown>;
            }
            target[keys[keys.length - 1] as string] = m.value;
            return JSON.stringify(copy);
        }

        it("exits 0, 1 or 2; on 2 with one line naming the file, no stack trace", async () => {
            const base = write(JSON.stringify(sample()), "base.json");
            await fc.assert(
                fc.asyncProperty(mutation, fc.constantFrom("--json", "--markdown", "--text"), async (m, format) => {
                    const head = write(mutate(sample(), m));
                    const run = await cli("diff", base, head, ...(format === "--text" ? [] : [format]));
                    assert.ok([0, 1, 2].includes(run.code), `exit ${run.code}`);
                    if (run.code === 2) assertOneNamedLine(run, head);
                    else assert.strictEqual(run.stderr, "");
                }),
                { numRuns: 150 },
            );
        });
    });

    describe("policy configs: a property", () => {
        const glob = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("*a*a*a*a*a*a*a*a*a*a*b", "*(*(*(a)))b", "{a,b}", "!x", "[z-a]", "\\", "x".repeat(300)));
        const config = fc.oneof(
            fc.jsonValue({ maxDepth: 3 }),
            fc.record({ "docker-forbidden-flows": fc.record({ deny: fc.array(fc.record({ from: glob, to: glob }), { maxLength: 3 }) }) }),
            fc.record({ "docker-no-shared-network-namespace": fc.record({ allow: fc.array(glob, { maxLength: 3 }) }) }),
            fc.dictionary(fc.constantFrom("all", "docker-no-default-bridge", "bogus"), fc.oneof(fc.constantFrom("advisory", "mandatory", "disabled", "strict"), fc.jsonValue({ maxDepth: 2 }))),
        );

        it("exits 0, 1 or 2; on 2 with one line naming the file, no stack trace", async () => {
            await fc.assert(
                fc.asyncProperty(config, async (value) => {
                    const file = write(JSON.stringify(value) ?? "null");
                    const run = await cli("preview", "test/programs/forbidden-flow", "--policy-config", file, "--json");
                    assert.ok([0, 1, 2].includes(run.code), `exit ${run.code}: ${run.stderr}`);
                    if (run.code === 2) assertOneNamedLine(run, file);
                }),
                { numRuns: 25 },
            );
        });
    });

    describe("hangs", () => {
        it("refuses a deny extglob by name instead of backtracking on it", async () => {
            const file = write(JSON.stringify({ "docker-forbidden-flows": { deny: [{ from: "*(*(*(a)))b", to: "*" }] } }));
            const run = await cli("preview", "test/programs/forbidden-flow", "--policy-config", file);
            assertOneNamedLine(run, /policy docker-forbidden-flows: setting "deny\[0\]\.from": glob "\*\(\*\(\*\(a\)\)\)b" has "\(" at character 2: extglob groups are not supported/);
        });

        it("refuses a stack file whose YAML aliases expand exponentially", () => {
            const project = fs.mkdtempSync(path.join(dir, "bomb-"));
            const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
            for (let i = 1; i < 12; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(", ")}]`);
            fs.writeFileSync(path.join(project, "Pulumi.bomb.yaml"), `${levels.join("\n")}\nconfig:\n  p:k: *l\n`);
            assert.throws(
                () => readStackSettings(project, "bomb"),
                (err: unknown) => err instanceof UserError && /Pulumi\.bomb\.yaml: its YAML aliases expand it to more than 100,000 values/.test(err.message),
            );
        });

        it("refuses a YAML alias that contains itself, and YAML nested past the limit", () => {
            const project = fs.mkdtempSync(path.join(dir, "yaml-"));
            fs.writeFileSync(path.join(project, "Pulumi.loop.yaml"), "config: &c\n  p:k: [*c]\n");
            assert.throws(() => readStackSettings(project, "loop"), /a YAML alias refers to a collection that contains it/);
            fs.writeFileSync(path.join(project, "Pulumi.deep.yaml"), `config:\n  p:k: ${"[".repeat(5000)}${"]".repeat(5000)}\n`);
            assert.throws(() => readStackSettings(project, "deep"), new RegExp(`Pulumi\\.deep\\.yaml nests deeper than 64 levels .*set ${MAX_INPUT_DEPTH_ENV} to raise it`));
            fs.writeFileSync(path.join(project, "Pulumi.ok.yaml"), "shared: &s {x: 1}\nconfig:\n  p:a: *s\n  p:b: *s\n");
            assert.deepStrictEqual(readStackSettings(project, "ok").config, { "p:a": '{"x":1}', "p:b": '{"x":1}' }, "small aliases still work");
        });
    });

    describe("crashes on valid or merely large input", () => {
        it("renders 400 containers on one network (160,000 pairs) in every view", () => {
            const names = Array.from({ length: 400 }, (_, i) => `c${i}`);
            const doc = documentOf([network("big")], names.map((name) => container(name, ["big"])));
            assert.strictEqual(doc.reachability.length, 400 * 399);
            assert.match(renderPreviewText(doc, {}), /Reachability \(159600 pairs\)/);
            assert.match(renderPreviewMarkdown(doc), /All 400 members of `big` reach each other by name/);
        });

        it("renders a name with more backtick runs than a call takes arguments", () => {
            const name = "`a".repeat(1_000_000);
            const doc = documentOf([network("n")], [container(name, ["n"])], [violation("docker-no-default-bridge", "mandatory", name)]);
            assert.match(renderPreviewMarkdown(doc), /1 container/);
        });

        it("refuses JSON nested thousands of levels by name, before parsing", async () => {
            const file = write(`{"networks": ${"[".repeat(5000)}${"]".repeat(5000)}}`);
            const run = await cli("diff", write(JSON.stringify(sample())), file);
            assertOneNamedLine(run, new RegExp(`the HEAD preview .*${path.basename(file)} nests deeper than 64 levels \\(at line 1, column 77\\).*set ${MAX_INPUT_DEPTH_ENV} to raise it`));
        });

        it("refuses a file over the size limit without reading it (a sparse 300 MB file)", async () => {
            const file = path.join(dir, "huge.json");
            fs.writeFileSync(file, "");
            fs.truncateSync(file, 300 * 1024 * 1024);
            const run = await cli("diff", file, file);
            assertOneNamedLine(run, new RegExp(`the BASE preview .*huge\\.json is larger than 64 MiB, the limit for an input file; set ${MAX_INPUT_MB_ENV} \\(in MiB\\) to raise it`));
        });

        it("stops reading /dev/zero at the limit, and takes the limits from the environment", () => {
            const base = write(JSON.stringify(sample()));
            const zero = netguard(["diff", base, "/dev/zero"], { env: { [MAX_INPUT_MB_ENV]: "1" } });
            assertOneNamedLine({ code: zero.status ?? -1, stdout: zero.stdout, stderr: zero.stderr }, /the HEAD preview \/dev\/zero is larger than 1 MiB/);
            const deep = write(`{"networks": [[[[[]]]]]}`);
            const raised = netguard(["diff", base, deep], { env: { [MAX_INPUT_DEPTH_ENV]: "3" } });
            assertOneNamedLine({ code: raised.status ?? -1, stdout: raised.stdout, stderr: raised.stderr }, /nests deeper than 3 levels/);
            const bad = netguard(["diff", base, base], { env: { [MAX_INPUT_MB_ENV]: "lots" } });
            assertOneNamedLine({ code: bad.status ?? -1, stdout: bad.stdout, stderr: bad.stderr }, /NETGUARD_MAX_INPUT_MB = "lots": must be a positive number/);
        });

        it("names a folder given as a document", async () => {
            assertOneNamedLine(await cli("diff", dir, dir), /cannot read the BASE preview .*: it is a folder, not a file/);
        });
    });

    describe("quadratic work", () => {
        it("renders diff --markdown of 40,000 new containers (it took 96 s)", () => {
            const networks = Array.from({ length: 4000 }, (_, i) => network(`n${i}`));
            const containers = Array.from({ length: 40_000 }, (_, i) => container(`c${i}`, [`n${Math.floor(i / 10)}`]));
            const reachability = containers.flatMap((from, i) =>
                containers.slice(Math.floor(i / 10) * 10, Math.floor(i / 10) * 10 + 10).filter((to) => to !== from).map((to) => ({ from: from.name, to: to.name, networks: [from.attachments[0]?.network as string], byName: true })),
            );
            const head: PreviewDocument = { resources: [], networks, containers, reachability, violations: [], notJudged: [] };
            const base: PreviewDocument = { resources: [], networks: [], containers: [], reachability: [], violations: [], notJudged: [] };
            const markdown = renderDiffMarkdown(diffView(base, head, "base", "head"));
            assert.match(markdown, /- `c49` \(on `n4`\): reaches 9 containers, reachable from 9 containers\n\n…and 39950 more containers/);
            assert.ok(markdown.length < 65_536, `one GitHub comment, not ${markdown.length} characters`);
        });
    });

    describe("quadratic work: Mermaid ids", () => {
        it("gives 30,000 networks whose names differ only in punctuation an id each, at once", () => {
            const punctuation = ".-_!@#+~";
            const names = Array.from({ length: 30_000 }, (_, i) => `a${i.toString(8).replace(/[0-7]/g, (digit) => punctuation[Number(digit)] as string)}`);
            const mermaid = topologyMermaid(documentOf(names.map((name) => network(name)), []));
            assert.match(mermaid, /subgraph net_a_30000 /);
        });
    });

    describe("weaponized output", () => {
        const hostile = ["@org/security", "https://evil.example/login", "www.evil.example", "mail@evil.example", "see #12", "\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007", "two\nlines", "\u202eevil"];

        it("Markdown pings no one and links nowhere, in names and in messages", () => {
            const doc = documentOf(
                [network("net")],
                hostile.map((name) => container(name, ["net"])),
                hostile.map((name) => violation("docker-no-default-bridge", "mandatory", name, `container "${name}" lands on the default bridge`)),
            );
            const empty: PreviewDocument = { resources: [], networks: [], containers: [], reachability: [], violations: [], notJudged: [] };
            for (const markdown of [renderPreviewMarkdown(doc), renderDiffMarkdown(diffView(empty, doc, "a", "b"))]) {
                const text = outsideCode(markdown);
                assert.doesNotMatch(text, /@[A-Za-z0-9]/, "no mention");
                assert.doesNotMatch(text, /https?:\/\//, "no URL");
                assert.doesNotMatch(text, /www\./, "no www autolink");
                assert.doesNotMatch(text, /(?<!&)#\d/, "no issue reference");
                assert.match(markdown, /@&#8203;org\/security/, "the name is still readable");
            }
        });

        it("text views escape control characters and keep one line per item", async () => {
            const doc = documentOf([network("net")], hostile.map((name) => container(name, ["net"])), [violation("p", "advisory", hostile[5] as string, "bad\u001b[2J\nmessage")]);
            const text = renderPreviewText(doc, {});
            assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
            assert.match(text, /two\\u000alines/);
            const base = write(JSON.stringify({ ...doc, containers: [], reachability: [], violations: [] }));
            const head = write(JSON.stringify(doc));
            const run = await cli("diff", base, head);
            assert.strictEqual(run.code, 0, run.stderr);
            assert.doesNotMatch(run.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
            assert.match(run.stdout, /\+ bad\\u001b\[2J\\u000amessage|\\u001b\[2J\\u000amessage/);
        });

        it("error messages quote a short, escaped excerpt on one line", async () => {
            const raw = `{"networks": [\n\u001b[31mline\n${"x".repeat(10_000)}\n`;
            const run = await cli("diff", write(JSON.stringify(sample())), write(raw));
            assertOneNamedLine(run, /is not valid JSON/);
            assert.ok(run.stderr.length < 600, `${run.stderr.length} characters`);
            const shape = await cli("diff", write(JSON.stringify(sample())), write(JSON.stringify({ ...sample(), networks: [{ name: `${"\u001b[31m".repeat(1000)}` , internal: "y".repeat(100_000) }] })));
            assertOneNamedLine(shape, /networks\[0\]\.internal must be true or false, not "y+\.\.\."/);
            assert.ok(shape.stderr.length < 600, `${shape.stderr.length} characters`);
        });
    });

    describe("unvalidated names", () => {
        const cases: [string, string[], RegExp][] = [
            ["a stack name with a path", ["--stack", "x/../../../tmp/evil"], /--stack "x\/\.\.\/\.\.\/\.\.\/tmp\/evil": qualified stack names .* are not supported/],
            ["a stack name with a line break", ["--stack", "dev\nevil"], /--stack "dev\\nevil": stack names may only contain letters, digits, hyphens, underscores and periods/],
            ["a stack name over 100 characters", ["--stack", "s".repeat(101)], /a stack name has 1 to 100 characters, this one 101/],
        ];
        for (const [what, args, message] of cases) {
            it(`refuses ${what}`, async () => assertOneNamedLine(await cli("preview", "index.ts", ...args), message));
        }

        it("refuses a program that is not a .ts or .js file, a device, or a symbolic link loop", async () => {
            assertOneNamedLine(await cli("preview", "package.json"), /program package\.json is not a TypeScript or JavaScript file: pass a \.ts or \.js file, or a folder with Pulumi\.yaml/);
            assertOneNamedLine(await cli("preview", "/dev/null"), /program \/dev\/null is not a regular file/);
            const loop = path.join(dir, "loop.ts");
            fs.symlinkSync(loop, loop);
            assertOneNamedLine(await cli("preview", loop), /program .*loop\.ts is a loop of symbolic links/);
        });
    });
});
