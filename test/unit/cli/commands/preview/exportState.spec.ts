/**
 * `netguard preview --export-state FILE`: the previewed stack as a `pulumi
 * stack export` document. The real engine reads it in test/conformance/engine/; here, its
 * shape, the CLI's handling of the flag, and the value encoding.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { StateDocument, deploymentOf, stateValue } from "../../../../../cli/commands/preview/stateExport";
import { PreviewDocument } from "../../../../../document/previewDocument";
import { CONTAINER, NETWORK, resource, unknown } from "../../../../helpers/policyHarness";
import { netguard } from "../../../../helpers/netguardCli";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const COMPUTED = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("netguard preview --export-state", function () {
    this.timeout(120_000);
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-export-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("writes the example as a version 3 deployment whose URNs are the preview's", () => {
        const file = path.join(dir, "example.json");
        const result = netguard(["preview", "--json", "--export-state", file]);
        assert.strictEqual(result.status, 0, result.stderr);
        const preview = JSON.parse(result.stdout) as PreviewDocument;
        const state = JSON.parse(fs.readFileSync(file, "utf8")) as StateDocument;
        assert.strictEqual(state.version, 3);
        const urns = state.deployment.resources.map((r) => r.urn);
        assert.deepStrictEqual(urns.filter((urn) => !urn.includes("::pulumi:providers:")), preview.resources.map((r) => r.urn));
        const [stack, provider] = state.deployment.resources;
        assert.strictEqual(stack.type, "pulumi:pulumi:Stack");
        assert.strictEqual(provider.urn, "urn:pulumi:dev::docker-netguard-example::pulumi:providers:docker::default_5_2_0");
        const network = state.deployment.resources.find((r) => r.type === "docker:index/network:Network" && r.urn.endsWith("::order"));
        assert.ok(network);
        assert.strictEqual(network.parent, "urn:pulumi:dev::docker-netguard-example::netguard:index:IsolatedServiceNet::order");
        assert.strictEqual(network.provider, `${provider.urn}::${provider.id}`);
        assert.deepStrictEqual((network.inputs?.ipamConfigs as unknown[])[0], { subnet: "10.20.1.0/24", gateway: "10.20.1.1", ipRange: "10.20.1.128/25" });
        const component = state.deployment.resources.find((r) => r.type === "netguard:index:IsolatedServiceNet");
        assert.strictEqual(component?.custom, false);
        assert.strictEqual(component?.id, undefined);
    });

    it("is written when the verdict is exit 1, with the violating resources", () => {
        const file = path.join(dir, "bridge.json");
        const result = netguard(["preview", "test/programs/default-bridge", "--export-state", file]);
        assert.strictEqual(result.status, 1, result.stderr);
        const state = JSON.parse(fs.readFileSync(file, "utf8")) as StateDocument;
        assert.deepStrictEqual(
            state.deployment.resources.filter((r) => r.type === CONTAINER).map((r) => r.urn),
            ["web-01", "web-02"].map((name) => `urn:pulumi:dev::docker-netguard-example::${CONTAINER}::${name}`),
        );
    });

    it("exits 2 naming a path that cannot be written", () => {
        const result = netguard(["preview", "--export-state", path.join(dir, "missing", "state.json")]);
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /--export-state: cannot write .*missing\/state\.json: ENOENT/);
        assert.doesNotMatch(result.stderr, /\n\s+at /);
    });

    it("keeps unknowns unknown and secrets secret (plaintext, sealed by a passphrase provider)", () => {
        assert.deepStrictEqual(stateValue({ a: unknown.number, b: [unknown.array, "x"], c: undefined }), { a: COMPUTED, b: [COMPUTED, "x"] });
        // As the preview records it: the secret's value in the inputs (as the analyzer sees it), listed apart.
        const net = { ...resource(NETWORK, "net", { ipamConfigs: [{ subnet: "10.9.0.0/24", gateway: "10.9.0.1" }] }), secrets: ["10.9.0.0/24"] };
        const state = deploymentOf([net], { pulumiVersion: "3.248.0", providerVersions: {} });
        const written = state.deployment.resources.find((r) => r.type === NETWORK);
        assert.deepStrictEqual((written?.inputs?.ipamConfigs as unknown[])[0], { subnet: { [SIG]: SECRET, plaintext: '"10.9.0.0/24"' }, gateway: "10.9.0.1" });
        assert.strictEqual(state.deployment.secrets_providers?.type, "passphrase");
        assert.match(state.deployment.secrets_providers?.state.salt ?? "", /^v1:[A-Za-z0-9+/=]+:v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
        const plain = deploymentOf([resource(NETWORK, "net", {})], { pulumiVersion: "3.248.0", providerVersions: {} });
        assert.strictEqual(plain.deployment.secrets_providers, undefined);
    });
});
