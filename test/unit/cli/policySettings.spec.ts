/**
 * Policy settings are checked as strictly as enforcement levels: a setting a
 * policy does not declare, a setting on a policy that has none, and a value
 * its reader rejects (a glob that does not compile, a CIDR that does not
 * parse) are exit 2, naming the policy, the setting, the value and the file.
 */
import * as assert from "assert";
import fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { UserError } from "../../../cli/errors";
import { readPolicyConfigFile } from "../../../cli/policyConfigFile";
import { rules } from "../../../policies/pack";
import { settingNames } from "../../../policies/policySettings";
import { netguard } from "../../helpers/netguardCli";
import { NETWORK, resource, runPolicy } from "../../helpers/policyHarness";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-settings-"));

function configFile(config: unknown): string {
    const file = path.join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(file, JSON.stringify(config));
    return file;
}

/** The message `readPolicyConfigFile` refuses the config with; fails when it accepts it. */
function refusal(config: unknown): { file: string; message: string } {
    const file = configFile(config);
    try {
        readPolicyConfigFile(file);
    } catch (err) {
        assert.ok(err instanceof UserError, `not a UserError: ${String(err)}`);
        return { file, message: err.message };
    }
    assert.fail(`accepted ${JSON.stringify(config)}`);
}

describe("policy settings are checked as strictly as levels", () => {
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("accepts every declared setting of every policy, with a level beside it", () => {
        const file = configFile({
            all: "advisory",
            "docker-network-no-overlap": { enforcementLevel: "mandatory", reserved: ["10.99.0.0/16"] },
            "docker-forbidden-flows": { deny: [{ from: "web-*", to: "db" }] },
            "docker-no-default-bridge": "disabled",
            "docker-no-legacy-links": { enforcementLevel: "advisory" },
        });
        assert.strictEqual(readPolicyConfigFile(file).get("docker-network-no-overlap")?.enforcementLevel, "mandatory");
    });

    it("refuses a misspelt setting, naming policy, setting, value, file, and the setting meant", () => {
        const { file, message } = refusal({ "docker-network-no-overlap": { reservd: ["10.99.0.0/16"] } });
        assert.ok(message.startsWith(`${file}: `), message);
        assert.match(message, /policy docker-network-no-overlap: setting "reservd" = \["10\.99\.0\.0\/16"\] is not a setting of this policy; did you mean "reserved"\?/);
    });

    it("refuses any undeclared setting on any policy (property)", () => {
        fc.assert(
            fc.property(fc.constantFrom(...rules), fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue(), (rule, name, value) => {
                fc.pre(!settingNames(rule).includes(name) && name !== "enforcementLevel");
                const { file, message } = refusal({ [rule.name]: { [name]: value } });
                assert.ok(message.includes(file) && message.includes(rule.name) && message.includes(JSON.stringify(name)), message);
            }),
            { numRuns: 60 },
        );
    });

    it("refuses a setting on a policy that has none", () => {
        const { message } = refusal({ "docker-no-legacy-links": { enforcementLevel: "advisory", allow: ["web"] } });
        assert.match(message, /policy docker-no-legacy-links: setting "allow" = \["web"\]: this policy takes no settings/);
    });

    it("refuses settings under all, which takes only a level", () => {
        assert.match(refusal({ all: { enforcementLevel: "advisory", deny: [] } }).message, /policy config "all": setting "deny" = \[\]: "all" takes only "enforcementLevel"/);
    });

    it("refuses a value the policy's reader rejects before anything runs: a glob that does not compile, a CIDR that does not parse", () => {
        const long = "w".repeat(70_000);
        const glob = refusal({ "docker-forbidden-flows": { deny: [{ from: long, to: "db" }] } }).message;
        assert.match(glob, /policy docker-forbidden-flows: setting "deny(\[0\]\.from)?"/);
        assert.match(glob, /wwwwwwww/);
        const cidr = refusal({ "docker-network-private-range": { extraRanges: ["100.64.0.0/33"] } }).message;
        assert.match(cidr, /policy docker-network-private-range: setting "extraRanges" has "100\.64\.0\.0\/33", which is not a CIDR block/);
    });

    it("refuses undeclared settings in the CrossGuard policies too (the engine's analyzer path)", async () => {
        const net = resource(NETWORK, "n", { name: "n", ipamConfigs: [{ subnet: "10.20.1.0/24" }] });
        await assert.rejects(runPolicy("docker-network-no-overlap", [net], { reservd: ["10.99.0.0/16"] }), /policy docker-network-no-overlap: setting "reservd"/);
        await assert.rejects(runPolicy("docker-network-explicit-ipam", [net], { strict: true }), /this policy takes no settings/);
        assert.deepStrictEqual(await runPolicy("docker-network-no-overlap", [net], { enforcementLevel: "advisory", reserved: ["10.99.0.0/16"] }), []);
    });

    it("makes netguard preview exit 2 with that message before running the program", () => {
        const file = configFile({ "docker-network-no-overlap": { reservd: ["10.99.0.0/16"] } });
        const result = netguard(["preview", "test/programs/default-bridge/index.ts", "--json", "--policy-config", file]);
        assert.strictEqual(result.status, 2, result.stderr);
        assert.strictEqual(result.stdout, "");
        assert.match(result.stderr, /setting "reservd"/);
        assert.ok(result.stderr.includes(file), result.stderr);
    });
});
