/**
 * The tutorial's commands as whole Pulumi programs (test/programs/*),
 * previewed end to end with `netguard preview --json` in a subprocess: the
 * exact violations, on the right resources, and the exit codes of the
 * policy config (mandatory → 1, `{"all": "advisory"}` → 0, bad config → 2).
 */
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PreviewDocument } from "../../../../../document/previewDocument";
import { REPO_ROOT } from "../../../../helpers/netguardCli";
import { inPool } from "../../../../helpers/pool";

interface Preview {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
    /** Parsed stdout, when it is a JSON document. */
    readonly doc?: PreviewDocument;
}

/** Runs `netguard preview PROGRAM --json [--policy-config FILE]` from the repository root. */
function preview(program: string, policyConfig?: string): Promise<Preview> {
    const args = [path.join(REPO_ROOT, "bin", "netguard.js"), "preview", program, "--json"];
    if (policyConfig) args.push("--policy-config", policyConfig);
    return new Promise((resolve) => {
        execFile(process.execPath, args, { cwd: REPO_ROOT, encoding: "utf8", timeout: 120_000 }, (err, stdout, stderr) => {
            const status = err ? (typeof err.code === "number" ? err.code : null) : 0;
            let doc: PreviewDocument | undefined;
            try {
                doc = JSON.parse(stdout) as PreviewDocument;
            } catch {
                doc = undefined;
            }
            resolve({ status, stdout, stderr, doc });
        });
    });
}

/** `policy name (resource type)` of each violation, sorted: the resource is looked up in the document by URN. */
function violationSet(run: Preview): string[] {
    const doc = documentOf(run);
    const typeOf = new Map(doc.resources.map((resource) => [resource.urn, resource.type]));
    return doc.violations
        .map((violation) => {
            assert.ok(violation.resource, `${violation.policy} is reported on a resource`);
            return `${violation.policy} ${violation.name} (${typeOf.get(violation.resource)})`;
        })
        .sort();
}

function documentOf(run: Preview): PreviewDocument {
    assert.ok(run.doc, `preview printed no JSON document (exit ${run.status}): ${run.stderr}`);
    return run.doc;
}

const CONTAINER = "docker:index/container:Container";
const NETWORK = "docker:index/network:Network";
const LOCAL_COMMAND = "command:local:Command";

/** Each program of test/programs and exactly the violations the pack must find in it. */
const PROGRAMS: Record<string, string[]> = {
    // `docker run` with no network, and with `--network bridge`.
    "default-bridge": [`docker-no-default-bridge web-01 (${CONTAINER})`, `docker-no-default-bridge web-02 (${CONTAINER})`],
    // `--link db:db` on an untyped container resource; both containers are on the default bridge.
    "legacy-links": [
        `docker-no-default-bridge db (${CONTAINER})`,
        `docker-no-default-bridge web (${CONTAINER})`,
        `docker-no-legacy-links web (${CONTAINER})`,
    ],
    // The tutorial's 192.169.0.0/16 is public address space.
    "public-range": [`docker-network-private-range tutorial-net (${NETWORK})`],
    // `docker network connect` puts a component's container on a second net: reported on that container.
    "network-connect": [`docker-multi-homing-declared front-web (${CONTAINER})`],
    // The same, all in one shell script: reported on the command resource.
    "network-connect-shell": [`docker-multi-homing-declared tutorial (${LOCAL_COMMAND})`],
    // Networks referenced by `id`: overlap (the narrower one), a static address on the gateway, an undeclared bridge.
    "overlapping-by-id": [
        `docker-container-static-ip-valid svc-b (${CONTAINER})`,
        `docker-multi-homing-declared svc-ab (${CONTAINER})`,
        `docker-network-no-overlap net-b (${NETWORK})`,
    ],
    // Correct components: nothing until the config denies a flow.
    "forbidden-flow": [],
};

const DENY_CONFIG = "test/programs/forbidden-flow/deny-frontend-to-vault.json";

describe("netguard preview: the policy pack on whole programs", function () {
    this.timeout(600_000);
    let configDir: string;
    const runs = new Map<string, Preview>();

    /** Writes a policy config file and returns its path. */
    function config(name: string, content: unknown): string {
        const file = path.join(configDir, `${name}.json`);
        fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
        return file;
    }

    const run = (key: string): Preview => {
        const result = runs.get(key);
        assert.ok(result, `no preview run "${key}"`);
        return result;
    };

    before(async () => {
        configDir = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-policy-config-"));
        const advisory = config("all-advisory", { all: "advisory" });
        const jobs: [string, string, string?][] = [];
        for (const [program, expected] of Object.entries(PROGRAMS)) {
            jobs.push([program, `test/programs/${program}`]);
            if (expected.length > 0) jobs.push([`${program} advisory`, `test/programs/${program}`, advisory]);
        }
        jobs.push(
            ["example", "index.ts"],
            ["example reserved", "index.ts", config("reserved", { "docker-network-no-overlap": { reserved: ["172.17.0.0/16", "10.20.2.0/24"] } })],
            ["forbidden-flow denied", "test/programs/forbidden-flow", DENY_CONFIG],
            ["forbidden-flow denied advisory", "test/programs/forbidden-flow", config("deny-advisory", {
                ...JSON.parse(fs.readFileSync(path.join(REPO_ROOT, DENY_CONFIG), "utf8")),
                all: "advisory",
            })],
            ["mixed levels", "test/programs/overlapping-by-id", config("mixed", {
                all: "advisory",
                "docker-multi-homing-declared": "mandatory",
                "docker-network-no-overlap": "disabled",
            })],
            ["bad deny", "test/programs/forbidden-flow", config("bad-deny", { "docker-forbidden-flows": { deny: [{ from: "www" }] } })],
            ["bad reserved", "index.ts", config("bad-reserved", { "docker-network-no-overlap": { reserved: ["office-vpn"] } })],
            ["unknown policy", "index.ts", config("unknown-policy", { "docker-no-overlap": "advisory" })],
            ["bad level", "index.ts", config("bad-level", { all: "strict" })],
            ["not json", "index.ts", config("not-json", "{ all: advisory")],
        );
        const results = await inPool(jobs.map(([, program, policyConfig]) => () => preview(program, policyConfig)), os.cpus().length);
        jobs.forEach(([key], i) => runs.set(key, results[i]));
    });

    after(() => {
        fs.rmSync(configDir, { recursive: true, force: true });
    });

    for (const [program, expected] of Object.entries(PROGRAMS)) {
        describe(program, () => {
            it(`reports exactly ${expected.length === 0 ? "nothing" : expected.join(", ")}`, () => {
                assert.deepStrictEqual(violationSet(run(program)), expected);
                assert.ok(documentOf(run(program)).violations.every((v) => v.level === "mandatory"));
            });

            it(`exits ${expected.length > 0 ? 1 : 0} by default`, () => {
                assert.strictEqual(run(program).status, expected.length > 0 ? 1 : 0, run(program).stderr);
            });

            if (expected.length === 0) return;
            it('reports the same violations as advisory and exits 0 with {"all": "advisory"}', () => {
                const advisory = run(`${program} advisory`);
                assert.strictEqual(advisory.status, 0, advisory.stderr);
                assert.deepStrictEqual(violationSet(advisory), expected);
                assert.ok(documentOf(advisory).violations.every((v) => v.level === "advisory"));
            });
        });
    }

    describe("messages", () => {
        it("name the resource, what is wrong and how to fix it", () => {
            const byPolicy = new Map(documentOf(run("overlapping-by-id")).violations.map((v) => [v.policy, v.message]));
            assert.match(byPolicy.get("docker-network-no-overlap") ?? "", /network "net-b": subnet 10\.50\.1\.0\/24 overlaps network "net-a"'s subnet 10\.50\.0\.0\/16.*Pin a subnet/);
            assert.match(byPolicy.get("docker-container-static-ip-valid") ?? "", /container "svc-b": static address 10\.50\.1\.1 is network "net-b"'s gateway.*Pick an unused address/);
            assert.match(byPolicy.get("docker-multi-homing-declared") ?? "", /container "svc-ab" is attached to 2 networks \("net-a", "net-b"\).*Declare it as a DualHomedContainer/);
            const [connected] = documentOf(run("network-connect-shell")).violations;
            assert.match(connected.message, /container "web" \(docker command line in command "tutorial"\) is attached to 2 networks \("front", "back"\)/);
        });
    });

    describe("the example stack", () => {
        it("has no violation and exits 0", () => {
            assert.strictEqual(run("example").status, 0, run("example").stderr);
            assert.deepStrictEqual(documentOf(run("example")).violations, []);
        });

        it("reports a network on a reserved range from --policy-config", () => {
            assert.deepStrictEqual(violationSet(run("example reserved")), [`docker-network-no-overlap web (${NETWORK})`]);
            assert.match(documentOf(run("example reserved")).violations[0].message, /overlaps the reserved range 10\.20\.2\.0\/24/);
            assert.strictEqual(run("example reserved").status, 1);
        });
    });

    describe("a flow denied through --policy-config", () => {
        it("is reported on the `from` container, naming the denied target and entry", () => {
            const denied = run("forbidden-flow denied");
            assert.strictEqual(denied.status, 1, denied.stderr);
            assert.deepStrictEqual(violationSet(denied), [`docker-forbidden-flows edge-frontend (${CONTAINER})`]);
            // The frontend reaches the db only through the declared api: the second entry denies nothing.
            assert.match(documentOf(denied).violations[0].message, /"edge-vault" over "edge" \(denied by from "www" to "payments-\*"\)/);
            assert.doesNotMatch(documentOf(denied).violations[0].message, /core-db/);
        });

        it("is advisory (exit 0) when the same config says all: advisory", () => {
            const advisory = run("forbidden-flow denied advisory");
            assert.strictEqual(advisory.status, 0, advisory.stderr);
            assert.deepStrictEqual(documentOf(advisory).violations.map((v) => [v.policy, v.level]), [["docker-forbidden-flows", "advisory"]]);
        });
    });

    it("applies each policy's own level over `all`, and disables a policy", () => {
        const mixed = run("mixed levels");
        assert.strictEqual(mixed.status, 1, mixed.stderr);
        assert.deepStrictEqual(
            documentOf(mixed).violations.map((v) => [v.policy, v.name, v.level]).sort(),
            [
                ["docker-container-static-ip-valid", "svc-b", "advisory"],
                ["docker-multi-homing-declared", "svc-ab", "mandatory"],
            ],
        );
    });

    describe("a bad policy config exits 2 with one paragraph naming the setting, and no stack trace", () => {
        const cases: [string, RegExp][] = [
            ["bad deny", /policy docker-forbidden-flows: setting "deny\[0\]\.to" must be a non-empty glob .*got undefined/],
            ["bad reserved", /policy docker-network-no-overlap: setting "reserved" has "office-vpn", which is not a CIDR block/],
            ["unknown policy", /names "docker-no-overlap", which is not a policy of this pack/],
            ["bad level", /policy config "all": "strict" is not an enforcement level/],
            ["not json", /policy config .*not-json\.json is not valid JSON/],
        ];
        for (const [key, message] of cases) {
            it(key, () => {
                const result = run(key);
                assert.strictEqual(result.status, 2, result.stderr);
                assert.strictEqual(result.stdout, "");
                assert.match(result.stderr, message);
                assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
            });
        }
    });
});
