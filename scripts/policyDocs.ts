/**
 * Generates the policies' documentation from each rule's `doc` (policies/ruleDoc.ts):
 *
 * - docs/policies/<policy>.md, a page per rule;
 * - README.md's policy table, between `<!-- policies:start -->` and `<!-- policies:end -->`,
 *   and what each policy means for Compose, between `<!-- compose-policies:start -->` and `<!-- compose-policies:end -->`;
 * - policies/PulumiPolicy.yaml's description, which names every rule's topic.
 *
 * Each rule's CrossGuard `description` is its doc's summary (set in the rule).
 *
 *     npm run docs            # write them
 *     npm run docs -- --check # exit 1 when a committed one differs
 *
 * test/unit/policies/policyDocs.spec.ts fails when what is committed is not
 * what this would write now.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import ts from "typescript";
import { runProgram } from "../cli/commands/preview/program/runProgram";
import { RegisteredResource } from "../policies/engineArgs";
import { Violation, evaluatePolicies } from "../policies/evaluate";
import { judgeTopology } from "../policies/judgeTopology";
import { PACK_NAME, policies, policyNames, rules } from "../policies/pack";
import { readPackConfig } from "../policies/policyConfig";
import { Rule, defaultLevelOf } from "../policies/rule";
import { Example } from "../policies/ruleDoc";
import { ComposeReading, readComposeProject } from "../readers/compose";
import { LOCAL_COMMAND_TYPE } from "../readers/pulumi/resourceFields";

export const ROOT = path.resolve(__dirname, "..");
export const PAGES_DIR = "docs/policies";
export const README = "README.md";
export const MANIFEST = "policies/PulumiPolicy.yaml";
export const TABLE_START = "<!-- policies:start -->";
export const TABLE_END = "<!-- policies:end -->";
export const COMPOSE_TABLE_START = "<!-- compose-policies:start -->";
export const COMPOSE_TABLE_END = "<!-- compose-policies:end -->";
export const GENERATE_COMMAND = "npm run docs";

/** The URN parts of the resource a command-line example is the `create` script of. */
const EXAMPLE_STACK = "docs";
const EXAMPLE_PROJECT = "netguard-docs";
const EXAMPLE_COMMAND = "setup";

export function pagePath(rule: Rule<object>): string {
    return `${PAGES_DIR}/${rule.name}.md`;
}

/** The rule module a doc lives in, for the "edit it there" notes. */
function sourcePath(rule: Rule<object>): string {
    return `policies/rules/${rule.name}.ts`;
}

/** A TypeScript example program as a function for the mock runtime: "docker-netguard" is this package's components. */
function programFunction(source: string): () => unknown {
    const js = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    const load = (id: string): unknown => (id === "docker-netguard" ? require("../components") : require(id));
    return () => {
        const module = { exports: {} as unknown };
        new Function("require", "exports", "module", js)(load, module.exports, module);
        return module.exports;
    };
}

/** What an example registers, as the engine would hand it to the pack. */
export async function exampleResources(example: Example): Promise<RegisteredResource[]> {
    if ("program" in example) {
        const run = await runProgram(programFunction(example.program), { project: EXAMPLE_PROJECT, stack: EXAMPLE_STACK, config: {}, secretKeys: [] });
        return run.resources;
    }
    const type = LOCAL_COMMAND_TYPE;
    return [
        {
            urn: `urn:pulumi:${EXAMPLE_STACK}::${EXAMPLE_PROJECT}::${type}::${EXAMPLE_COMMAND}`,
            type,
            name: EXAMPLE_COMMAND,
            custom: true,
            parent: null,
            inputs: { create: example.docker },
            propertyDependencies: {},
            dependencies: [],
        },
    ];
}

/** The pack config the examples are judged with: the rule's example settings. */
function examplesConfig(rule: Rule<object>) {
    return readPackConfig({ [rule.name]: { ...rule.doc.examples.settings } }, policyNames);
}

/** The violations the rule reports on its bad example, judged with the examples' settings. */
async function badExampleViolations(rule: Rule<object>): Promise<Violation[]> {
    const judged = policies.filter((policy) => policy.name === rule.name);
    return evaluatePolicies(judged, await exampleResources(rule.doc.examples.bad), examplesConfig(rule));
}

/** A Compose example read as `netguard preview compose.yaml` reads it (with no environment), as project `EXAMPLE_PROJECT`: by the built-in reader unless `usePlugin`. */
export function readComposeExample(yaml: string, usePlugin = false): ComposeReading {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-docs-compose-"));
    try {
        fs.writeFileSync(path.join(folder, "compose.yaml"), yaml);
        return readComposeProject(["compose.yaml"], { cwd: folder, env: {}, usePlugin, projectName: EXAMPLE_PROJECT });
    } finally {
        fs.rmSync(folder, { recursive: true, force: true });
    }
}

/** What `rule` reports on a Compose file, judged with the examples' settings. */
export function composeViolations(rule: Rule<object>, yaml: string): Violation[] {
    return judgeTopology(readComposeExample(yaml).topology, examplesConfig(rule), (judged) => judged.name === rule.name).violations;
}

// ---- Markdown ----------------------------------------------------------------

function tableCell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function fenced(language: string, text: string): string {
    return ["```" + language, text.replace(/\n+$/, ""), "```"].join("\n");
}

function exampleBlock(example: Example): string {
    return "docker" in example
        ? `As docker command lines (netguard reads them in the scripts of \`@pulumi/command\` resources):\n\n${fenced("sh", example.docker)}`
        : `As a Pulumi TypeScript program:\n\n${fenced("ts", example.program)}`;
}

function scopeText(rule: Rule<object>): string {
    return rule.scope === "resource" ? "resource (judges each resource on its own)" : "stack (needs the whole stack)";
}

function levelText(rule: Rule<object>): string {
    const level = defaultLevelOf(rule);
    return level === "advisory" ? "advisory (reported, does not block; set it to `mandatory` in the pack's config to block)" : "mandatory (blocks `pulumi up`)";
}

function settingsSection(rule: Rule<object>): string {
    const properties = (rule.configSchema?.properties ?? {}) as Record<string, { type?: string; description?: string }>;
    const names = Object.keys(properties);
    if (names.length === 0) return "None: only `enforcementLevel` (`mandatory`, `advisory` or `disabled`).";
    const rows = names.map((name) => {
        const property = properties[name];
        const fallback = rule.doc.settings?.[name]?.default;
        return `| \`${name}\` | ${property.type ?? ""} | \`${JSON.stringify(fallback)}\` | ${tableCell(property.description ?? "")} |`;
    });
    return ["Besides `enforcementLevel`:", "", "| setting | type | default | meaning |", "|---|---|---|---|", ...rows].join("\n");
}

/** A violation's message, as a Markdown quote. */
function quoted(message: string): string {
    return message.split("\n").map((line) => `> ${line}`).join("\n");
}

export async function renderPage(rule: Rule<object>): Promise<string> {
    const { doc } = rule;
    const bad = await badExampleViolations(rule);
    const config = doc.examples.settings ? { [rule.name]: doc.examples.settings } : undefined;
    const lines = [
        `# \`${rule.name}\``,
        "",
        `<!-- Generated by \`${GENERATE_COMMAND}\` from the doc in ${sourcePath(rule)}: edit it there. -->`,
        "",
        doc.summary,
        "",
        "| | |",
        "|---|---|",
        `| scope | ${scopeText(rule)} |`,
        `| default level | ${levelText(rule)} |`,
        `| \`netguard audit\` | ${rule.judgesLiveState ? "judges live Docker state with it" : "does not judge live state with it (says so instead)"} |`,
        "",
        "## What it reports",
        "",
        doc.reports,
        "",
        "## Why",
        "",
        doc.rationale,
        "",
        ...(doc.references.length > 0 ? ["## References", "", ...doc.references.map((ref) => `- ${ref.url ? `[${ref.title}](${ref.url})` : ref.title}`), ""] : []),
        "## Examples",
        "",
        ...(config ? [`Judged with this pack config (\`--policy-config\`, \`--policy-pack-config\`):`, "", fenced("json", JSON.stringify(config, null, 2)), ""] : []),
        "### Reported",
        "",
        exampleBlock(doc.examples.bad),
        "",
        `${bad.length === 1 ? "The violation" : "The violations"}:`,
        "",
        bad.map((violation) => quoted(violation.message)).join("\n\n"),
        "",
        "### Passes",
        "",
        exampleBlock(doc.examples.good),
        "",
        "No policy of the pack reports it.",
        "",
        "## In a Compose file",
        "",
        composeSection(rule),
        "",
        "## Settings",
        "",
        settingsSection(rule),
        "",
    ];
    return lines.join("\n");
}

function composeSection(rule: Rule<object>): string {
    const { reports, example } = rule.doc.compose;
    if (example === undefined) return reports;
    const violations = composeViolations(rule, example);
    return [
        reports,
        "",
        `For example, \`netguard preview compose.yaml\` (project \`${EXAMPLE_PROJECT}\`) on`,
        "",
        fenced("yaml", example),
        "",
        `reports ${violations.length === 1 ? "this violation" : "these violations"}:`,
        "",
        violations.map((violation) => quoted(violation.message)).join("\n\n"),
    ].join("\n");
}

export function renderTable(): string {
    const rows = rules.map(
        (rule) => `| [\`${rule.name}\`](${pagePath(rule)}) | ${rule.scope} | ${defaultLevelOf(rule)} | ${tableCell(rule.doc.summary)} |`,
    );
    return [
        TABLE_START,
        `<!-- Generated by \`${GENERATE_COMMAND}\` from each rule's doc (policies/rules/): edit those, not this table. -->`,
        "",
        "Each policy's page says what it reports and why, with an example it reports and one it passes, and its settings.",
        "",
        "| policy | scope | default level | summary |",
        "|---|---|---|---|",
        ...rows,
        TABLE_END,
    ].join("\n");
}

export function renderComposeTable(): string {
    return [
        COMPOSE_TABLE_START,
        `<!-- Generated by \`${GENERATE_COMMAND}\` from each rule's doc (policies/rules/): edit those, not this table. -->`,
        "",
        "| policy | in a Compose file |",
        "|---|---|",
        ...rules.map((rule) => `| [\`${rule.name}\`](${pagePath(rule)}#in-a-compose-file) | ${tableCell(rule.doc.compose.reports)} |`),
        COMPOSE_TABLE_END,
    ].join("\n");
}

function replaceSection(readme: string, startMarker: string, endMarker: string, content: string): string {
    const start = readme.indexOf(startMarker);
    const end = readme.indexOf(endMarker);
    if (start < 0 || end < start) throw new Error(`${README} has no ${startMarker} … ${endMarker} section`);
    return readme.slice(0, start) + content + readme.slice(end + endMarker.length);
}

function replaceTables(readme: string): string {
    return replaceSection(replaceSection(readme, TABLE_START, TABLE_END, renderTable()), COMPOSE_TABLE_START, COMPOSE_TABLE_END, renderComposeTable());
}

export function manifestDescription(): string {
    const topics = rules.map((rule) => rule.doc.topic);
    return `${PACK_NAME} - flags what breaks the isolation of Docker networks: ${topics.slice(0, -1).join(", ")} and ${topics[topics.length - 1]}.`;
}

function replaceDescription(manifest: string): string {
    const line = /^description:.*$/m;
    if (!line.test(manifest)) throw new Error(`${MANIFEST} has no top-level description line`);
    // A JSON string is a YAML double-quoted scalar.
    return manifest.replace(line, () => `description: ${JSON.stringify(manifestDescription())}`);
}

/** Every generated file, by path from the repository root, with the content the generator writes now. */
export async function generatedFiles(root: string = ROOT): Promise<Map<string, string>> {
    const files = new Map<string, string>();
    for (const rule of rules) files.set(pagePath(rule), await renderPage(rule));
    files.set(README, replaceTables(fs.readFileSync(path.join(root, README), "utf8")));
    files.set(MANIFEST, replaceDescription(fs.readFileSync(path.join(root, MANIFEST), "utf8")));
    return files;
}

/** Pages in docs/policies/ that no rule generates (a renamed or removed rule's). */
export function stalePages(files: ReadonlyMap<string, string>, root: string = ROOT): string[] {
    const dir = path.join(root, PAGES_DIR);
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir)
        .filter((name) => name.endsWith(".md"))
        .map((name) => `${PAGES_DIR}/${name}`)
        .filter((page) => !files.has(page));
}

/** The generated files whose committed content differs (or is missing), and the stale pages. */
export async function drift(root: string = ROOT): Promise<string[]> {
    const files = await generatedFiles(root);
    const differing = [...files].filter(([file, content]) => {
        const full = path.join(root, file);
        return !fs.existsSync(full) || fs.readFileSync(full, "utf8") !== content;
    });
    return [...differing.map(([file]) => file), ...stalePages(files, root)];
}

async function main(args: readonly string[]): Promise<void> {
    if (args.includes("--check")) {
        const files = await drift();
        if (files.length > 0) {
            console.error(`Out of date with the rules' docs: ${files.join(", ")}. Run \`${GENERATE_COMMAND}\` and commit the result.`);
            process.exitCode = 1;
        } else {
            console.log(`The generated docs match the rules' docs (${(await generatedFiles()).size} files).`);
        }
        return;
    }
    const files = await generatedFiles();
    fs.mkdirSync(path.join(ROOT, PAGES_DIR), { recursive: true });
    for (const page of stalePages(files)) fs.rmSync(path.join(ROOT, page));
    for (const [file, content] of files) {
        const full = path.join(ROOT, file);
        if (!fs.existsSync(full) || fs.readFileSync(full, "utf8") !== content) {
            fs.writeFileSync(full, content);
            console.log(`wrote ${file}`);
        }
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((err) => {
        console.error(err);
        process.exitCode = 1;
    });
}
