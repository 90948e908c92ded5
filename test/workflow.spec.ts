/**
 * The pull-request workflow (.github/workflows/netguard-pr.yml): valid
 * workflow syntax (action-validator's schema check), the structure the
 * README promises, commands that exist in this repository, expressions that
 * use only contexts GitHub allows where they stand, and the comment script
 * run against a fake GitHub API.
 */
import { validateWorkflow } from "@action-validator/core";
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";
import { buildProgram } from "../cli/main";

const REPO_ROOT = path.resolve(__dirname, "..");
const WORKFLOW_FILE = path.join(REPO_ROOT, ".github", "workflows", "netguard-pr.yml");
const MARKER = "<!-- netguard-pr-preview -->";

interface Step {
    id?: string;
    name?: string;
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, string | number | boolean>;
    env?: Record<string, string>;
}
interface Job {
    "runs-on": string;
    permissions?: Record<string, string>;
    env?: Record<string, string>;
    if?: string;
    steps: Step[];
}
interface Workflow {
    on: Record<string, unknown>;
    permissions?: Record<string, string>;
    env?: Record<string, string>;
    jobs: Record<string, Job>;
}

const text = fs.readFileSync(WORKFLOW_FILE, "utf8");
const workflow = yaml.load(text) as Workflow;
const allSteps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const runScripts = allSteps.map((step) => step.run).filter((run): run is string => run !== undefined);

function stepUsing(job: Job, action: string): Step | undefined {
    return job.steps.find((step) => step.uses?.split("@")[0] === action);
}

/** Every `${{ … }}` expression in a value, recursively. */
function expressions(value: unknown): string[] {
    if (typeof value === "string") return [...value.matchAll(/\$\{\{(.*?)\}\}/g)].map((match) => match[1].trim());
    if (Array.isArray(value)) return value.flatMap(expressions);
    if (value && typeof value === "object") return Object.values(value).flatMap(expressions);
    return [];
}

/** Context names an expression reads (`steps.head.outputs.exit` -> `steps`). */
function contextsIn(expression: string): string[] {
    const withoutStrings = expression.replace(/'[^']*'/g, "''");
    return [...withoutStrings.matchAll(/(?<![\w.])([a-z_]+)\s*\./g)].map((match) => match[1]);
}

describe(".github/workflows/netguard-pr.yml", () => {
    it("is a valid workflow for action-validator's schema", () => {
        const result = validateWorkflow(text);
        assert.deepStrictEqual(result.errors, [], JSON.stringify(result.errors, null, 2));
    });

    it("the validator catches a broken workflow (so the check above can fail)", () => {
        assert.notDeepStrictEqual(validateWorkflow(text.replace(/runs-on:/g, "run-on:")).errors, []);
    });

    it("runs on pull requests, with read-only rights by default", () => {
        assert.ok(workflow.on.pull_request !== undefined, "on: pull_request");
        assert.deepStrictEqual(workflow.permissions, { contents: "read" });
    });

    it("has a test job: full checkout, Node 20, npm ci, npm test", () => {
        const job = workflow.jobs.test;
        assert.ok(job);
        assert.strictEqual(stepUsing(job, "actions/checkout")?.with?.["fetch-depth"], 0);
        assert.strictEqual(String(stepUsing(job, "actions/setup-node")?.with?.["node-version"]), "20");
        const runs = job.steps.map((step) => step.run?.trim());
        assert.ok(runs.includes("npm ci"));
        assert.ok(runs.includes("npm test"));
        assert.ok(runs.indexOf("npm ci") < runs.indexOf("npm test"));
    });

    it("has a preview job that previews base and head, diffs them, comments once and fails on exit 1", () => {
        const job = workflow.jobs.preview;
        assert.ok(job);
        assert.strictEqual(stepUsing(job, "actions/checkout")?.with?.["fetch-depth"], 0, "the base commit must be there for the worktree");
        assert.strictEqual(String(stepUsing(job, "actions/setup-node")?.with?.["node-version"]), "20");
        assert.strictEqual(job.permissions?.["pull-requests"], "write");
        const script = job.steps.map((step) => step.run ?? "").join("\n");
        assert.match(script, /git worktree add --detach "\$BASE_DIR" "\$BASE_SHA"/);
        assert.ok(job.steps.some((step) => step.env?.BASE_SHA === "${{ github.event.pull_request.base.sha }}"));
        assert.match(script, /netguard\.js" preview --stack "\$NETGUARD_STACK" --json > "\$OUT\/base\.json"/);
        assert.match(script, /netguard\.js" preview --stack "\$NETGUARD_STACK" --json > "\$OUT\/head\.json"/);
        assert.match(script, /node bin\/netguard\.js diff "\$OUT\/base\.json" "\$OUT\/head\.json" --markdown/);

        const comment = stepUsing(job, "actions/github-script");
        assert.ok(comment?.with?.script, "a github-script step posts the comment");
        assert.ok(String(comment.with.script).includes(MARKER), "the comment is found again by its hidden marker");
        assert.match(comment.if ?? "", /always\(\)/, "the comment is posted even when a step before failed");

        const last = job.steps[job.steps.length - 1];
        assert.match(last.if ?? "", /always\(\)/);
        assert.strictEqual(last.env?.DIFF_EXIT, "${{ steps.diff.outputs.exit }}");
        assert.match(last.run ?? "", /1\) .*exit 1/);
    });

    it("runs pulumi preview with the policy pack through the official action, only with a PULUMI_ACCESS_TOKEN", () => {
        const job = workflow.jobs["pulumi-policy"];
        assert.ok(job);
        assert.strictEqual(job.env?.PULUMI_ACCESS_TOKEN, "${{ secrets.PULUMI_ACCESS_TOKEN }}");
        const pulumi = stepUsing(job, "pulumi/actions");
        assert.ok(pulumi, "uses pulumi/actions");
        assert.match(pulumi.uses ?? "", /^pulumi\/actions@v\d+$/);
        assert.strictEqual(pulumi.with?.command, "preview");
        assert.strictEqual(pulumi.with?.policyPacks, "./policies");
        assert.ok(pulumi.with?.["stack-name"]);
        for (const step of job.steps) {
            assert.match(step.if ?? "", /env\.PULUMI_ACCESS_TOKEN (!=|==) ''/, `${step.name ?? step.uses ?? step.run} depends on the token`);
        }
        assert.ok(fs.existsSync(path.join(REPO_ROOT, "policies", "index.ts")), "the policy pack it runs is there");
    });

    it("uses only npm scripts and netguard commands and options that exist", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { bin: Record<string, string>; scripts: Record<string, string> };
        assert.strictEqual(path.normalize(pkg.bin.netguard), path.normalize("bin/netguard.js"));
        assert.ok(fs.existsSync(path.join(REPO_ROOT, "bin", "netguard.js")));
        for (const match of runScripts.join("\n").matchAll(/npm (?:run |run-script )?([\w:-]+)/g)) {
            const script = match[1];
            if (["ci", "install"].includes(script)) continue;
            assert.ok(pkg.scripts[script], `npm ${script} is a script in package.json`);
        }
        const commands = new Map(buildProgram().commands.map((command) => [command.name(), command]));
        const uses = [...runScripts.join("\n").matchAll(/netguard\.js"? (\w+)([^\n>]*)/g)];
        assert.ok(uses.length >= 3);
        for (const [, name, rest] of uses) {
            const command = commands.get(name);
            assert.ok(command, `netguard ${name} exists`);
            for (const [flag] of rest.matchAll(/--[\w-]+/g)) {
                assert.ok(command.options.some((option) => option.long === flag), `netguard ${name} has ${flag}`);
            }
        }
    });

    it("uses contexts only where GitHub allows them", () => {
        // https://docs.github.com/actions/learn-github-actions/contexts#context-availability
        const allowed = {
            jobEnv: ["github", "needs", "strategy", "matrix", "vars", "secrets", "inputs"],
            jobIf: ["github", "needs", "vars", "inputs"],
            step: ["github", "needs", "strategy", "matrix", "job", "runner", "env", "vars", "secrets", "steps", "inputs"],
        };
        const check = (where: string, value: unknown, contexts: string[]) => {
            for (const expression of expressions(value)) {
                for (const context of contextsIn(expression)) assert.ok(contexts.includes(context), `${where}: ${context} is not available in \${{ ${expression} }}`);
            }
        };
        check("workflow env", workflow.env, allowed.jobIf);
        for (const [name, job] of Object.entries(workflow.jobs)) {
            check(`jobs.${name}.env`, job.env, allowed.jobEnv);
            check(`jobs.${name}.if`, job.if, allowed.jobIf);
            const ids = new Set<string>();
            for (const step of job.steps) {
                check(`jobs.${name} step ${step.name ?? step.uses}`, { ...step, if: step.if ? `\${{ ${step.if} }}` : undefined }, allowed.step);
                for (const expression of expressions({ ...step, if: step.if ? `\${{ ${step.if} }}` : undefined })) {
                    for (const [, id] of expression.matchAll(/steps\.([\w-]+)\./g)) assert.ok(ids.has(id), `step ${id} is defined before it is read (${expression})`);
                }
                if (step.id) ids.add(step.id);
            }
        }
        assert.throws(() => check("bad", "${{ runner.temp }}", allowed.jobEnv), /runner is not available/);
    });

    it("has shell scripts that bash can parse", () => {
        for (const script of runScripts) {
            const result = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
            assert.strictEqual(result.status, 0, `${result.stderr}\n${script}`);
        }
    });
});

describe("the PR comment script (against a fake GitHub API)", () => {
    type Comment = { id: number; body: string };
    const job = workflow.jobs.preview;
    const source = String(stepUsing(job, "actions/github-script")!.with!.script);
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
    const run = new AsyncFunction("github", "context", "core", "require", "process", source);

    let out: string;
    beforeEach(() => {
        out = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-comment-"));
    });
    afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

    /** Runs the script over `comments` and returns them afterwards, with what it called. */
    async function postComment(comments: Comment[], env: Record<string, string>): Promise<{ comments: Comment[]; calls: string[] }> {
        const calls: string[] = [];
        const listComments = async () => ({ data: comments });
        const github = {
            paginate: async (method: unknown) => {
                assert.strictEqual(method, listComments);
                return comments;
            },
            rest: {
                issues: {
                    listComments,
                    updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
                        calls.push(`update ${comment_id}`);
                        comments.find((comment) => comment.id === comment_id)!.body = body;
                    },
                    createComment: async ({ issue_number, body }: { issue_number: number; body: string }) => {
                        calls.push(`create on #${issue_number}`);
                        comments.push({ id: 100 + comments.length, body });
                    },
                },
            },
        };
        const context = { repo: { owner: "o", repo: "r" }, issue: { number: 7 }, payload: { pull_request: { head: { sha: "0123456789abcdef" } } } };
        await run(github, context, {}, require, { env: { OUT: out, ...env } });
        return { comments, calls };
    }

    it("creates one comment with the marker, the diff and the head's preview", async () => {
        fs.writeFileSync(path.join(out, "diff.md"), "## netguard diff\n\nnew container `api`\n");
        fs.writeFileSync(path.join(out, "head.md"), "## netguard preview\n\n```mermaid\nflowchart LR\n```\n");
        const { comments, calls } = await postComment([{ id: 1, body: "someone else's comment" }], { HEAD_EXIT: "0" });
        assert.deepStrictEqual(calls, ["create on #7"]);
        const body = comments[1].body;
        assert.ok(body.startsWith(`${MARKER}\n## netguard diff`));
        assert.match(body, /<details><summary>Full preview of the head \(0123456\)<\/summary>\n\n## netguard preview/);
    });

    it("updates the comment that has the marker instead of adding another", async () => {
        fs.writeFileSync(path.join(out, "diff.md"), "## netguard diff\n\nsecond push\n");
        const existing = [
            { id: 1, body: "unrelated" },
            { id: 2, body: `${MARKER}\n## netguard diff\n\nfirst push\n` },
        ];
        const { comments, calls } = await postComment(existing, { HEAD_EXIT: "1" });
        assert.deepStrictEqual(calls, ["update 2"]);
        assert.strictEqual(comments.length, 2);
        assert.match(comments[1].body, /second push/);
        assert.strictEqual(comments.filter((comment) => comment.body.includes(MARKER)).length, 1);
    });

    it("reports a head that netguard could not run", async () => {
        fs.writeFileSync(path.join(out, "head.err"), "netguard: the program index.ts failed: boom\n");
        const { comments } = await postComment([], { HEAD_EXIT: "2" });
        assert.match(comments[0].body, /\[!CAUTION\]\n> `netguard preview` could not run the head \(0123456\)/);
        assert.match(comments[0].body, /the program index\.ts failed: boom/);
    });

    it("stays under GitHub's comment size limit", async () => {
        fs.writeFileSync(path.join(out, "diff.md"), "## netguard diff\n\n" + "x".repeat(40_000));
        fs.writeFileSync(path.join(out, "head.md"), "y".repeat(40_000));
        const { comments } = await postComment([], { HEAD_EXIT: "0" });
        assert.ok(comments[0].body.length <= 65_000);
        assert.doesNotMatch(comments[0].body, /<details>/, "the full preview is left out when both do not fit");
    });
});
