/**
 * Every fenced block of the README and of docs/*.md (docs/policies/ has its
 * own test, policyDocs.spec.ts) is checked, so none goes stale:
 *
 * - ```ts blocks type-check as a consumer's program importing "docker-netguard";
 * - ```json and ```yaml blocks parse;
 * - ```python blocks import every module they use;
 * - ```sh commands name a known program; `netguard` commands a subcommand and
 *   flags its --help lists; `npm run` a script of package.json (and flags after
 *   `--` that its source knows); `pulumi` a subcommand we mean;
 * - `netguard …` lines of ```text blocks (synopses) are checked the same way;
 * - a ```sh block runs for real, offline, unless an HTML comment right before
 *   it says why not: `<!-- not-run: REASON -->`;
 * - a block after `<!-- output-of: COMMAND -->` is a trimmed excerpt of what
 *   COMMAND prints: every line but `…` must appear in its real output.
 *
 * Needs no Docker engine, no Pulumi CLI and no network.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import yaml from "js-yaml";
import { ROOT } from "../../../scripts/policyDocs";
import { programTypeErrors } from "../../helpers/typeCheck";

export interface CodeBlock {
    readonly file: string;
    /** 1-based line of the opening fence. */
    readonly line: number;
    readonly lang: string;
    readonly body: string;
    /** The `<!-- kind: text -->` comment on the last non-blank line before the fence, if any. */
    readonly marker?: { readonly kind: string; readonly text: string };
}

const MARKER = /^<!--\s*([a-z-]+):\s*(.*?)\s*-->$/;

/** The fenced blocks of a Markdown text, with the marker comment before each. */
export function codeBlocks(file: string, text: string): CodeBlock[] {
    const lines = text.split("\n");
    const blocks: CodeBlock[] = [];
    for (let i = 0; i < lines.length; i++) {
        const open = /^(\s*)(`{3,})\s*([\w-]*)\s*$/.exec(lines[i]);
        if (!open) continue;
        const [, , fence, lang] = open;
        let end = i + 1;
        while (end < lines.length && lines[end].trim() !== fence) end++;
        assert.ok(end < lines.length, `${file}:${i + 1}: a code block that is never closed`);
        let before = i - 1;
        while (before >= 0 && lines[before].trim() === "") before--;
        const marker = before >= 0 ? MARKER.exec(lines[before].trim()) : null;
        blocks.push({
            file,
            line: i + 1,
            lang,
            body: lines.slice(i + 1, end).join("\n"),
            marker: marker ? { kind: marker[1], text: marker[2] } : undefined,
        });
        i = end;
    }
    return blocks;
}

/** The marker comments of a text that stand before no code block. */
function strayMarkers(text: string): string[] {
    const lines = text.split("\n");
    const stray: string[] = [];
    lines.forEach((line, i) => {
        if (!MARKER.test(line.trim()) || !/^<!--\s*(not-run|output-of):/.test(line.trim())) return;
        let next = i + 1;
        while (next < lines.length && lines[next].trim() === "") next++;
        if (!/^\s*`{3,}/.test(lines[next] ?? "")) stray.push(`line ${i + 1}: ${line.trim()}`);
    });
    return stray;
}

export const DOC_FILES = ["README.md", ...fs.readdirSync(path.join(ROOT, "docs")).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)];

// ---- shell commands ------------------------------------------------------

/** The simple commands of a shell block: continuations joined, comments dropped, split on ;, &&, ||, | and ( ). */
export function shellCommands(body: string): string[][] {
    const joined = body.replace(/\\\n\s*/g, " ");
    const commands: string[][] = [];
    for (const rawLine of joined.split("\n")) {
        const line = rawLine.replace(/(^|\s)#.*$/, "");
        for (const part of line.split(/&&|\|\||[;|()]/)) {
            const words = (part.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^["']|["']$/g, ""));
            while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) words.shift();
            if (words[0] === "export") continue; // assignments only
            if (words.length > 0) commands.push(words);
        }
    }
    return commands;
}

const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };

/** Programs the docs may name, and what makes each a real one (beyond netguard, npm and pulumi, checked below). */
const PROGRAMS = new Set(["netguard", "npx", "npm", "node", "pulumi", "docker", "git", "ln", "mkdir", "cd"]);
/** npm commands the docs may use. */
const NPM_COMMANDS = new Set(["ci", "install", "test", "start", "run", "init", "pack"]);
/** Pulumi CLI commands the docs name: the first word, or the first two. */
const PULUMI_COMMANDS = new Set([
    "new", "login", "preview", "up", "destroy", "stack init", "stack export", "stack import", "stack output",
    "policy analyze", "policy publish", "package add", "package get-schema",
]);

const helpCache = new Map<string, string>();
function netguardHelp(command: string): string {
    let help = helpCache.get(command);
    if (help === undefined) {
        const run = spawnSync(process.execPath, ["bin/netguard.js", ...(command ? [command] : []), "--help"], { cwd: ROOT, encoding: "utf8" });
        assert.strictEqual(run.status, 0, `netguard ${command} --help: ${run.stderr}`);
        help = run.stdout;
        helpCache.set(command, help);
    }
    return help;
}

/** What is wrong with a `netguard` command's words (after `netguard`): its subcommand and flags. */
export function netguardProblems(args: readonly string[]): string[] {
    const [command, ...rest] = args;
    if (command === undefined || command.startsWith("-")) {
        return (command === undefined ? [] : [command]).filter((flag) => !optionsOf(netguardHelp("")).has(flag)).map((f) => `netguard has no option ${f}`);
    }
    if (!["preview", "diff", "audit", "import"].includes(command)) return [`netguard has no command ${command}`];
    const options = optionsOf(netguardHelp(command));
    return rest
        .map((word) => word.replace(/^[[(]+|[\]).]+$/g, "").split("=")[0])
        .filter((word) => /^--?[a-zA-Z]/.test(word))
        .filter((flag) => !options.has(flag))
        .map((flag) => `netguard ${command} has no option ${flag}`);
}

function optionsOf(help: string): Set<string> {
    return new Set([...help.matchAll(/(?:^|[\s,])(--?[a-zA-Z][\w-]*)/g)].map((m) => m[1]));
}

/** The source file a package.json script runs (for the flags after `--`). */
function scriptSource(script: string): string | undefined {
    const file = PACKAGE.scripts[script]?.split(/\s+/).find((word) => /\.(ts|js)$/.test(word));
    return file ? fs.readFileSync(path.join(ROOT, file), "utf8") : undefined;
}

/** What is wrong with one simple command of a docs block; empty when it names real things. */
export function commandProblems(words: readonly string[]): string[] {
    let [program, ...args] = words;
    if (program === "npx" && args[0] === "netguard") [program, ...args] = args;
    if (program === "node" && /(^|\/)bin\/netguard\.js$/.test(args[0] ?? "")) [program, ...args] = ["netguard", ...args.slice(1)];
    if (!PROGRAMS.has(program)) return [`unknown program ${program}`];
    if (program === "npx") return [`npx runs only netguard in these docs, not ${args[0]}`];
    if (program === "netguard") return netguardProblems(args);
    if (program === "npm") {
        const [command, script, ...rest] = args;
        if (!NPM_COMMANDS.has(command)) return [`npm ${command} is not a command these docs mean`];
        if (command !== "run") return [];
        if (!(script in PACKAGE.scripts)) return [`package.json has no script ${script}`];
        const dashes = rest.indexOf("--");
        const flags = dashes < 0 ? [] : rest.slice(dashes + 1).filter((word) => word.startsWith("--"));
        const source = scriptSource(script) ?? "";
        return flags.filter((flag) => !source.includes(flag)).map((flag) => `npm run ${script}: ${flag} is unknown to its source`);
    }
    if (program === "pulumi") {
        const [first, second] = args;
        return PULUMI_COMMANDS.has(first) || PULUMI_COMMANDS.has(`${first} ${second}`) ? [] : [`pulumi ${first} ${second ?? ""} is not a command these docs mean`];
    }
    return [];
}

/** Runs a documented command in the repository, netguard as this checkout's; returns its exit status and output. */
function runCommand(words: readonly string[]): { status: number | null; stdout: string; stderr: string } {
    let argv = [...words];
    if (argv[0] === "npx" && argv[1] === "netguard") argv = argv.slice(1);
    if (argv[0] === "netguard") argv = [process.execPath, "bin/netguard.js", ...argv.slice(1)];
    if (argv[0] === "npm" && argv[1] === "start") argv = PACKAGE.scripts.start.split(/\s+/);
    if (argv[0] === "node") argv[0] = process.execPath;
    const run = spawnSync(argv[0], argv.slice(1), { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 110_000 });
    return { status: run.status, stdout: run.stdout ?? "", stderr: run.stderr ?? String(run.error ?? "") };
}

// ---- python --------------------------------------------------------------

/** Names a Python block uses as `name.attr` that it neither imports nor assigns. */
export function unimportedPythonNames(body: string): string[] {
    const known = new Set<string>();
    for (const m of body.matchAll(/^\s*import\s+([\w.]+)(?:\s+as\s+(\w+))?/gm)) known.add(m[2] ?? m[1].split(".")[0]);
    for (const m of body.matchAll(/^\s*from\s+[\w.]+\s+import\s+(.+)$/gm)) m[1].split(",").forEach((n) => known.add(n.trim().split(/\s+as\s+/).pop() as string));
    for (const m of body.matchAll(/^\s*(\w+)\s*=/gm)) known.add(m[1]);
    const code = body.replace(/"[^"]*"|'[^']*'|#.*$/gm, '""');
    const used = [...code.matchAll(/(?<![\w.])([a-z_]\w*)\.\w/g)].map((m) => m[1]);
    return [...new Set(used.filter((name) => !known.has(name)))];
}

// ---- links ---------------------------------------------------------------

/** GitHub's anchor for a heading: lower case, punctuation but - and _ dropped, spaces as -. */
export function anchorOf(heading: string): string {
    return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
}

/** The relative links of a Markdown file that lead nowhere: a missing file, or an anchor no heading has. */
function brokenLinks(file: string): string[] {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8").replace(/^(`{3,})[\s\S]*?^\1/gm, "");
    const broken: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const [link, anchor] = target.split("#");
        const linked = link ? path.join(path.dirname(path.join(ROOT, file)), link) : path.join(ROOT, file);
        if (!fs.existsSync(linked)) {
            broken.push(`${target}: no such file`);
            continue;
        }
        if (anchor && linked.endsWith(".md")) {
            const anchors = new Set([...fs.readFileSync(linked, "utf8").matchAll(/^#+\s+(.*)$/gm)].map((m) => anchorOf(m[1])));
            if (!anchors.has(anchor)) broken.push(`${target}: no heading has the anchor #${anchor}`);
        }
    }
    return broken;
}

// ---- the specs -----------------------------------------------------------

const LANGS = new Set(["ts", "json", "yaml", "sh", "python", "text", ""]);

describe("docs: the code blocks of the README and docs/", () => {
    const all = DOC_FILES.flatMap((file) => codeBlocks(file, fs.readFileSync(path.join(ROOT, file), "utf8")));
    const where = (block: CodeBlock) => `${block.file}:${block.line}`;

    it("finds the blocks", () => {
        assert.ok(all.some((b) => b.file === "README.md" && b.lang === "ts"), "README has a TypeScript example");
        assert.ok(all.filter((b) => b.lang === "sh").length >= 10);
    });

    it("gives every block a language it knows how to check", () => {
        assert.deepStrictEqual(all.filter((b) => !LANGS.has(b.lang)).map((b) => `${where(b)}: ${b.lang}`), []);
    });

    it("gives every not-run marker a reason, and every marker a block", () => {
        for (const file of DOC_FILES) assert.deepStrictEqual(strayMarkers(fs.readFileSync(path.join(ROOT, file), "utf8")), [], file);
        const bad = all.filter((b) => b.marker?.kind === "not-run" && b.marker.text.split(/\s+/).length < 2);
        assert.deepStrictEqual(bad.map(where), [], "a not-run marker names why, in words");
        const unknown = all.filter((b) => b.marker && !["not-run", "output-of"].includes(b.marker.kind));
        assert.deepStrictEqual(unknown.map((b) => `${where(b)}: ${b.marker?.kind}`), []);
    });

    it("links only to files and headings that exist", () => {
        assert.deepStrictEqual(DOC_FILES.flatMap((file) => brokenLinks(file).map((link) => `${file}: ${link}`)), []);
    });

    it("cites no issue numbers of a tracker readers cannot see", () => {
        for (const file of DOC_FILES) {
            assert.doesNotMatch(fs.readFileSync(path.join(ROOT, file), "utf8"), /[Ii]ssue [0-9]+|\bOWNER\//, file);
        }
    });

    for (const block of all) {
        const name = `${where(block)} (${block.lang || "plain"})`;
        switch (block.lang) {
            case "ts":
                it(`${name} type-checks as a program importing docker-netguard`, () => {
                    assert.deepStrictEqual(programTypeErrors(block.body), []);
                });
                break;
            case "json":
                it(`${name} is JSON`, () => {
                    assert.doesNotThrow(() => JSON.parse(block.body));
                });
                break;
            case "yaml":
                it(`${name} is YAML`, () => {
                    assert.doesNotThrow(() => yaml.load(block.body));
                });
                break;
            case "python":
                it(`${name} imports what it uses, and is marked not-run`, () => {
                    assert.deepStrictEqual(unimportedPythonNames(block.body), []);
                    assert.strictEqual(block.marker?.kind, "not-run", "Python cannot run here: say why");
                });
                break;
            case "sh":
                it(`${name} names programs, commands and flags that exist`, () => {
                    assert.deepStrictEqual(shellCommands(block.body).flatMap(commandProblems), []);
                });
                if (block.marker?.kind !== "not-run") {
                    it(`${name} runs, offline, and succeeds`, () => {
                        for (const words of shellCommands(block.body)) {
                            const run = runCommand(words);
                            assert.strictEqual(run.status, 0, `${words.join(" ")} exited ${run.status}:\n${run.stderr.slice(-2000)}`);
                            assert.ok(run.stdout.length > 0, `${words.join(" ")} printed nothing`);
                        }
                    });
                }
                break;
            default:
                it(`${name}: its netguard lines name commands and flags that exist`, () => {
                    const lines = block.body.replace(/\n[ \t]+(?=\[|--)/g, " ").split("\n").filter((line) => /^netguard\s/.test(line));
                    assert.deepStrictEqual(lines.flatMap((line) => netguardProblems(line.split(/\s+/).slice(1).filter((w) => w !== "|"))), []);
                });
        }
        if (block.marker?.kind === "output-of") {
            const command = block.marker.text;
            it(`${name} is what \`${command}\` prints`, () => {
                const words = command.split(/\s+/);
                assert.deepStrictEqual(commandProblems(words), []);
                const run = runCommand(words);
                assert.strictEqual(run.status, 0, run.stderr);
                const printed = new Set(run.stdout.split("\n").map((line) => line.trimEnd()));
                const missing = block.body.split("\n").filter((line) => line.trim() !== "…" && !printed.has(line.trimEnd()));
                assert.deepStrictEqual(missing, [], `lines of the excerpt that ${command} does not print`);
            });
        }
    }
});
