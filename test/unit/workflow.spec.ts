/**
 * The pull-request workflows: .github/workflows/netguard.yml, the reusable
 * workflow (`workflow_call`) that other repositories call, and
 * netguard-pr.yml, this repository's own, which runs the tests and calls it.
 * Checked: valid workflow syntax (action-validator's schema check), the
 * structure the README promises, commands that exist in this repository,
 * expressions that use only contexts GitHub allows where they stand, and the
 * comment script run against a fake GitHub API.
 */
import { validateWorkflow } from "@action-validator/core";
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";
import { buildProgram } from "../../cli/main";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const WORKFLOWS = path.join(REPO_ROOT, ".github", "workflows");
const MARKER = "<!-- netguard-pr-preview -->";

interface Step {
    id?: string;
    name?: string;
    uses?: string;
    run?: string;
    if?: string;
    "working-directory"?: string;
    with?: Record<string, string | number | boolean>;
    env?: Record<string, string>;
}
interface Job {
    "runs-on"?: string;
    uses?: string;
    permissions?: Record<string, string>;
    env?: Record<string, string>;
    if?: string;
    with?: Record<string, string | number | boolean>;
    secrets?: unknown;
    steps?: Step[];
}
interface Input {
    type: string;
    default?: string | number | boolean;
    description?: string;
}
interface Workflow {
    on: Record<string, { inputs?: Record<string, Input>; secrets?: Record<string, { required?: boolean }> } | undefined>;
    permissions?: Record<string, string>;
    env?: Record<string, string>;
    jobs: Record<string, Job>;
}

function load(file: string): { text: string; workflow: Workflow } {
    const text = fs.readFileSync(path.join(WORKFLOWS, file), "utf8");
    return { text, workflow: yaml.load(text) as Workflow };
}
const own = load("netguard-pr.yml");
const reusable = load("netguard.yml");
const reusableInputs = reusable.workflow.on.workflow_call?.inputs ?? {};

const stepsOf = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps ?? []);
const runScriptsOf = (workflow: Workflow) => stepsOf(workflow).map((step) => step.run).filter((run): run is string => run !== undefined);

function stepUsing(job: Job, action: string): Step | undefined {
    return job.steps?.find((step) => step.uses?.split("@")[0] === action);
}
function stepNamed(job: Job, name: string): Step {
    const step = job.steps?.find((s) => s.name === name);
    assert.ok(step, `a step named "${name}"`);
    return step;
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

for (const [file, { text, workflow }] of [["netguard-pr.yml", own], ["netguard.yml", reusable]] as const) {
    describe(`.github/workflows/${file}: syntax, commands and contexts`, () => {
        it("is a valid workflow for action-validator's schema", () => {
            const result = validateWorkflow(text);
            assert.deepStrictEqual(result.errors, [], JSON.stringify(result.errors, null, 2));
        });

        it("the validator catches a broken workflow (so the check above can fail)", () => {
            assert.notDeepStrictEqual(validateWorkflow(text.replace(/runs-on:/g, "run-on:").replace(/uses: \.\//g, "use: ./")).errors, []);
        });

        it("has read-only rights by default", () => {
            assert.deepStrictEqual(workflow.permissions, { contents: "read" });
        });

        it("uses only npm scripts and netguard commands and options that exist", () => {
            const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { bin: Record<string, string>; scripts: Record<string, string> };
            assert.strictEqual(path.normalize(pkg.bin.netguard), path.normalize("bin/netguard.js"));
            const scripts = runScriptsOf(workflow).join("\n");
            for (const match of scripts.matchAll(/npm (?:run |run-script )?([\w:-]+)/g)) {
                if (["ci", "install"].includes(match[1])) continue;
                assert.ok(pkg.scripts[match[1]], `npm ${match[1]} is a script in package.json`);
            }
            const commands = new Map(buildProgram().commands.map((command) => [command.name(), command]));
            const uses = [...scripts.matchAll(/node "\$NETGUARD" (\w+)([^\n>]*)/g)];
            if (file === "netguard.yml") assert.ok(uses.length >= 4, "the reusable workflow runs netguard preview and diff");
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
                jobWith: ["github", "needs", "strategy", "matrix", "vars", "inputs"],
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
                check(`jobs.${name}.with`, job.with, allowed.jobWith);
                const ids = new Set<string>();
                for (const step of job.steps ?? []) {
                    const withIf = { ...step, if: step.if ? `\${{ ${step.if} }}` : undefined };
                    check(`jobs.${name} step ${step.name ?? step.uses}`, withIf, allowed.step);
                    for (const expression of expressions(withIf)) {
                        for (const [, id] of expression.matchAll(/steps\.([\w-]+)\./g)) assert.ok(ids.has(id), `step ${id} is defined before it is read (${expression})`);
                    }
                    if (step.id) ids.add(step.id);
                }
            }
            assert.throws(() => check("bad", "${{ runner.temp }}", allowed.jobEnv), /runner is not available/);
        });

        it("has shell scripts that bash can parse", () => {
            for (const script of runScriptsOf(workflow)) {
                const result = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
                assert.strictEqual(result.status, 0, `${result.stderr}\n${script}`);
            }
        });
    });
}

describe(".github/workflows/netguard-pr.yml (this repository's checks)", () => {
    const workflow = own.workflow;

    it("runs on pull requests", () => {
        assert.ok(workflow.on.pull_request !== undefined, "on: pull_request");
    });

    it("has a test job: full checkout, Node 20 (the project's machines), npm ci, npm test", () => {
        const job = workflow.jobs.test;
        assert.ok(job);
        assert.strictEqual(stepUsing(job, "actions/checkout")?.with?.["fetch-depth"], 0);
        assert.strictEqual(String(stepUsing(job, "actions/setup-node")?.with?.["node-version"]), "20");
        const runs = (job.steps ?? []).map((step) => step.run?.trim());
        assert.ok(runs.includes("npm ci"));
        assert.ok(runs.includes("npm test"));
        assert.ok(runs.indexOf("npm ci") < runs.indexOf("npm test"));
    });

    it("calls the reusable workflow with inputs it declares, on files that exist, with the rights it needs", () => {
        const job = workflow.jobs.netguard;
        assert.strictEqual(job.uses, "./.github/workflows/netguard.yml");
        assert.strictEqual(job.permissions?.["pull-requests"], "write");
        assert.strictEqual(job.secrets, "inherit");
        for (const input of Object.keys(job.with ?? {})) assert.ok(reusableInputs[input], `netguard.yml declares input ${input}`);
        assert.ok(fs.existsSync(path.join(REPO_ROOT, String(job.with?.netguard))), "the netguard script it names");
        const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { files: string[] };
        assert.ok(pkg.files.includes(`${job.with?.["policy-pack"]}/`), "the pack it names is the one the package ships (built by npm ci's prepare)");
    });
});

describe(".github/workflows/netguard.yml (the reusable workflow)", () => {
    const workflow = reusable.workflow;

    it("is called with workflow_call, with inputs for the program folder, stack, pack, policy config, Node.js and backend", () => {
        for (const input of ["program-dir", "stack", "policy-pack", "policy-config", "netguard", "node-version", "backend-url"]) {
            assert.strictEqual(reusableInputs[input]?.type, "string", `input ${input}`);
        }
        assert.ok(Number(reusableInputs["node-version"].default) >= 22, "a Node.js release line still supported (20 reached its end of life in April 2026)");
        const secrets = workflow.on.workflow_call?.secrets ?? {};
        for (const secret of ["PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_BACKEND_ENV"]) assert.strictEqual(secrets[secret]?.required, false, secret);
    });

    it("has a preview job that previews base and head, diffs them, comments once and fails on exit 1", () => {
        const job = workflow.jobs.preview;
        assert.strictEqual(stepUsing(job, "actions/checkout")?.with?.["fetch-depth"], 0, "the base commit must be there for the worktree");
        assert.strictEqual(stepUsing(job, "actions/setup-node")?.with?.["node-version"], "${{ inputs.node-version }}");
        assert.strictEqual(job.permissions?.["pull-requests"], "write");
        assert.strictEqual(stepNamed(job, "Install the program's dependencies")["working-directory"], "${{ inputs.program-dir }}");
        const script = (job.steps ?? []).map((step) => step.run ?? "").join("\n");
        assert.match(script, /git worktree add --detach "\$BASE_DIR" "\$BASE_SHA"/);
        assert.ok((job.steps ?? []).some((step) => step.env?.BASE_SHA === "${{ github.event.pull_request.base.sha }}"));
        assert.match(script, /node "\$NETGUARD" preview --stack "\$NETGUARD_STACK" "\$\{policy\[@\]\}" --json > "\$OUT\/base\.json"/);
        assert.match(script, /node "\$NETGUARD" preview --stack "\$NETGUARD_STACK" "\$\{policy\[@\]\}" --json > "\$OUT\/head\.json"/);
        assert.match(script, /node "\$NETGUARD" diff "\$OUT\/base\.json" "\$OUT\/head\.json" --markdown/);

        const comment = stepUsing(job, "actions/github-script");
        assert.ok(comment?.with?.script, "a github-script step posts the comment");
        assert.ok(String(comment.with.script).includes(MARKER), "the comment is found again by its hidden marker");
        assert.match(comment.if ?? "", /always\(\)/, "the comment is posted even when a step before failed");
        assert.strictEqual(comment.env?.OUT, "${{ runner.temp }}/netguard", "the comment step does not depend on an earlier step to know where the documents are");

        const steps = job.steps ?? [];
        const last = steps[steps.length - 1];
        assert.match(last.if ?? "", /always\(\)/);
        assert.strictEqual(last.env?.DIFF_EXIT, "${{ steps.diff.outputs.exit }}");
        assert.match(last.run ?? "", /1\) .*exit 1/);
    });

    it("passes the policy config file to netguard and to the pack run alike", () => {
        const preview = workflow.jobs.preview;
        const resolve = stepNamed(preview, "Resolve paths and check out the base in a worktree");
        assert.strictEqual(resolve.env?.POLICY_CONFIG_INPUT, "${{ inputs.policy-config }}");
        for (const name of ["Preview the base", "Preview the head"]) assert.match(stepNamed(preview, name).run ?? "", /policy=\(--policy-config "\$POLICY_CONFIG"\)/);
        const pulumi = stepNamed(workflow.jobs["pulumi-policy"], "pulumi preview --policy-pack");
        assert.strictEqual(pulumi.env?.POLICY_CONFIG_INPUT, "${{ inputs.policy-config }}");
        assert.match(pulumi.run ?? "", /--policy-pack-config "\$GITHUB_WORKSPACE\/\$POLICY_CONFIG_INPUT"/);
        assert.match(pulumi.run ?? "", /pulumi preview --stack "\$NETGUARD_STACK" .*"\$\{policy\[@\]\}"/);
    });

    it("runs pulumi preview on a self-managed backend or Pulumi Cloud, and skips without either", () => {
        const job = workflow.jobs["pulumi-policy"];
        assert.strictEqual(job.env?.PULUMI_ACCESS_TOKEN, "${{ secrets.PULUMI_ACCESS_TOKEN }}");
        assert.strictEqual(job.env?.PULUMI_BACKEND, "${{ inputs.backend-url }}");
        assert.strictEqual(job.env?.PULUMI_CONFIG_PASSPHRASE, "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
        const steps = job.steps ?? [];
        assert.strictEqual(steps[0].id, "backend");
        for (const step of steps.slice(1)) assert.strictEqual(step.if, "steps.backend.outputs.ready == 'true'", `${step.name ?? step.uses} runs only with a backend`);
        const run = stepNamed(job, "pulumi preview --policy-pack").run ?? "";
        assert.match(run, /pulumi login "\$PULUMI_BACKEND"; else pulumi login; fi/);
        assert.match(run, /node_modules\/docker-netguard\/policy-pack/);
        assert.match(stepUsing(job, "pulumi/actions")?.uses ?? "", /^pulumi\/actions@v\d+$/);
    });

    it("decides whether a backend is there the way the step's shell does", () => {
        const script = workflow.jobs["pulumi-policy"].steps![0].run!;
        const ready = (env: Record<string, string>) => {
            const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "netguard-backend-")), "out");
            fs.writeFileSync(output, "");
            spawnSync("bash", ["-e", "-c", script], { env: { PATH: process.env.PATH, GITHUB_OUTPUT: output, ...env }, encoding: "utf8" });
            return fs.readFileSync(output, "utf8").includes("ready=true");
        };
        assert.strictEqual(ready({ PULUMI_BACKEND: "s3://state-bucket" }), true);
        assert.strictEqual(ready({ PULUMI_ACCESS_TOKEN: "pul-123" }), true);
        assert.strictEqual(ready({ PULUMI_BACKEND: "", PULUMI_ACCESS_TOKEN: "" }), false);
    });
});

describe("the PR comment script (against a fake GitHub API)", () => {
    type Comment = { id: number; body: string };
    const source = String(stepUsing(reusable.workflow.jobs.preview, "actions/github-script")!.with!.script);
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
        await run(github, context, {}, require, { env: { OUT: out, HEAD_EXIT: "", ...env } });
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

    it("does not crash when an earlier step failed: no documents, no head exit code", async () => {
        fs.rmSync(out, { recursive: true, force: true });
        const { comments, calls } = await postComment([], {});
        assert.deepStrictEqual(calls, ["create on #7"]);
        assert.match(comments[0].body, /netguard did not run on 0123456: an earlier step failed/);
    });

    it("does not crash when the documents' folder is unknown", async () => {
        const { comments } = await postComment([], { OUT: "", HEAD_EXIT: "2" });
        assert.match(comments[0].body, /could not run the head \(0123456\)/);
    });
});
