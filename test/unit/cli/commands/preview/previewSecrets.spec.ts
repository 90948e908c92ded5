/**
 * Secrets are values. A `pulumi.secret(...)` subnet,
 * gateway or static address, or a `secure:` stack config value, is judged by
 * its value (as the engine's analyzer unwraps it for policies) and printed
 * only as `[secret]`.
 */
import * as assert from "assert";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PreviewDocument } from "../../../../../document/previewDocument";
import { SECRET_PLACEHOLDER, redactSecrets } from "../../../../../policies/analyzerProps";
import { Violation, evaluatePolicies } from "../../../../../policies/evaluate";
import { policies } from "../../../../../policies/pack";
import { REPO_ROOT, netguard } from "../../../../helpers/netguardCli";
import { runInline } from "../../../../helpers/runInline";

/** Addressing of one network and one container on it, some of it wrong on purpose. */
interface Addressing {
    readonly subnet: string;
    readonly gateway: string;
    readonly ipv4Address: string;
}
type Field = keyof Addressing;
const FIELDS: readonly Field[] = ["subnet", "gateway", "ipv4Address"];

/** The resource each field belongs to. */
const OWNER: Record<Field, string> = { subnet: "net", gateway: "net", ipv4Address: "app" };
const STACK_POLICIES = new Set(policies.filter((policy) => "validateStack" in policy).map((policy) => policy.name));

const addressing: fc.Arbitrary<Addressing> = fc.record({
    subnet: fc.constantFrom("10.80.0.0/24", "192.169.0.0/24", "10.80.0.5/24", "172.32.0.0/24"),
    gateway: fc.constantFrom("10.80.0.1", "192.169.0.1", "10.81.0.1", "not-an-ip"),
    ipv4Address: fc.constantFrom("10.80.0.1", "10.80.0.20", "192.169.0.9", "10.80.0.255"),
});

/** Runs the stack with the chosen fields wrapped in `pulumi.secret` and evaluates every policy. */
async function violationsOf(values: Addressing, secret: ReadonlySet<Field>): Promise<Violation[]> {
    const input = (field: Field) => (secret.has(field) ? pulumi.secret(values[field]) : values[field]);
    const { resources } = await runInline(() => {
        const net = new docker.Network("net", { name: "net", ipamConfigs: [{ subnet: input("subnet"), gateway: input("gateway") }] });
        new docker.Container("app", { name: "app", image: "x", networksAdvanced: [{ name: net.name, ipv4Address: input("ipv4Address") }] });
    });
    return evaluatePolicies(policies, resources);
}

const summary = (violations: Violation[]) => violations.map((v) => `${v.policy} ${v.name} ${v.level}`).sort();

describe("secrets", () => {
    it("are judged by their value, as plain values are, and never printed", async () => {
        await fc.assert(
            fc.asyncProperty(addressing, fc.subarray([...FIELDS], { minLength: 1 }), async (values, secretFields) => {
                const secret = new Set(secretFields);
                const plain = await violationsOf(values, new Set());
                const hidden = await violationsOf(values, secret);
                assert.deepStrictEqual(summary(hidden), summary(plain), "the same verdicts as for the plain values");
                const secrets = [...secret].map((field) => values[field]);
                // A value also given in the clear elsewhere in the stack is no secret there.
                const kept = [...secret].filter((field) => !FIELDS.some((other) => !secret.has(other) && values[other] === values[field]));
                assert.deepStrictEqual(
                    hidden.map((v) => redactSecrets(v.message, secrets)),
                    plain.map((v) => redactSecrets(v.message, secrets)),
                    "the plain messages, up to [secret] in place of secrets",
                );
                for (const violation of hidden) {
                    // A resource policy sees its own resource's secrets; a stack policy sees all of them.
                    const seen = kept.filter((field) => STACK_POLICIES.has(violation.policy) || OWNER[field] === violation.name);
                    for (const field of seen) {
                        assert.strictEqual(redactSecrets(violation.message, [values[field]]), violation.message, `${values[field]} is not printed`);
                    }
                }
            }),
            { numRuns: 80 },
        );
    });

    it("hide a secret wherever it stands on its own, and only there", () => {
        assert.strictEqual(redactSecrets('gateway 10.0.0.1. Use "10.0.0.1" or 10.0.0.10', ["10.0.0.1"]), `gateway ${SECRET_PLACEHOLDER}. Use "${SECRET_PLACEHOLDER}" or 10.0.0.10`);
        assert.strictEqual(redactSecrets("subnet 10.0.0.0/24 in 10.0.0.0/8", ["10.0.0.0/24"]), `subnet ${SECRET_PLACEHOLDER} in 10.0.0.0/8`);
    });

    describe("from secure stack config (a passphrase stack encrypted by the Pulumi CLI)", () => {
        const cwd = path.join(REPO_ROOT, "test", "programs", "secure-config");
        const withPassphrase = { PULUMI_CONFIG_PASSPHRASE: "correct horse", PULUMI_CONFIG_PASSPHRASE_FILE: "" };

        it("are decrypted with the passphrase, judged, and shown as [secret] in every view", () => {
            const json = netguard(["preview", "--json"], { cwd, env: withPassphrase });
            assert.strictEqual(json.status, 1, json.stderr);
            const doc = JSON.parse(json.stdout) as PreviewDocument;
            assert.deepStrictEqual(doc.violations.map((v) => `${v.policy} ${v.name}`).sort(), [
                "docker-container-static-ip-valid vault",
                "docker-network-private-range vault-net",
            ]);
            assert.deepStrictEqual(doc.networks[0].subnet, SECRET_PLACEHOLDER);
            for (const view of [[], ["--markdown"]]) {
                const result = view.length === 0 ? netguard(["preview"], { cwd, env: withPassphrase }) : netguard(["preview", ...view], { cwd, env: withPassphrase });
                assert.match(result.stdout, /\[secret\]/);
                assert.doesNotMatch(result.stdout, /192\.169/, "the secret values appear nowhere");
            }
            assert.doesNotMatch(json.stdout, /192\.169/);
        });

        it("are unknown, with a warning naming the key, when they cannot be decrypted offline", () => {
            const result = netguard(["preview", "--json"], { cwd, env: { PULUMI_CONFIG_PASSPHRASE: undefined, PULUMI_CONFIG_PASSPHRASE_FILE: undefined } });
            assert.strictEqual(result.status, 0, result.stderr);
            assert.match(result.stderr, /warning: secure-net:subnet is a secure value that cannot be decrypted offline/);
            assert.deepStrictEqual((JSON.parse(result.stdout) as PreviewDocument).violations, []);
        });

        it("are decrypted with a passphrase read from PULUMI_CONFIG_PASSPHRASE_FILE", () => {
            const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "netguard-passphrase-")), "passphrase");
            fs.writeFileSync(file, "correct horse");
            const result = netguard(["preview", "--json"], { cwd, env: { PULUMI_CONFIG_PASSPHRASE: undefined, PULUMI_CONFIG_PASSPHRASE_FILE: file } });
            assert.strictEqual(result.status, 1, result.stderr);
            assert.doesNotMatch(result.stdout, /192\.169/);
        });

        it("exit 2 for a wrong passphrase", () => {
            const result = netguard(["preview"], { cwd, env: { PULUMI_CONFIG_PASSPHRASE: "wrong" } });
            assert.strictEqual(result.status, 2);
            assert.match(result.stderr, /Pulumi\.dev\.yaml: the passphrase .* does not decrypt this stack's secrets/);
        });
    });
});
