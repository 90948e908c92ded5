import * as assert from "assert";
import fc from "fast-check";
import { ENABLE_ICC, OVERLAY_ENCRYPTED, driverScope, networkInterContainer, overlayEncrypted, parseGoBool } from "../../../topology/driverOptions";
import { Maybe, UNKNOWN } from "../../../topology/model";
import { topologyFromCommandLines } from "../../../readers/commandLine/dockerCommandLine";
import { topologyFromResources } from "../../../readers/pulumi/fromPulumi";
import { NETWORK, resource, runPolicy } from "../../helpers/policyHarness";

const GO_TRUE = ["1", "t", "T", "TRUE", "true", "True"];
const GO_FALSE = ["0", "f", "F", "FALSE", "false", "False"];

function pulumiNetwork(value: string) {
    return resource(NETWORK, "app-net", { name: "app", driver: "bridge", ipamConfigs: [{ subnet: "10.20.1.0/24" }], options: { [ENABLE_ICC]: value } });
}

function interContainerOf(value: string): boolean {
    const { urn, type, name, inputs } = pulumiNetwork(value);
    const { networks } = topologyFromResources([{ urn, type, name, props: inputs }]);
    return networks[0].interContainer;
}

function commandLineNetwork(args: string) {
    return topologyFromCommandLines({ urn: "urn:x", name: "setup" }, [{ field: "create", text: `docker network create --subnet 10.1.0.0/24 ${args} app` }]).networks[0];
}

describe("topology/driverOptions: booleans as Go's strconv.ParseBool reads them", () => {
    it("accepts exactly Go's twelve forms", () => {
        for (const text of GO_TRUE) assert.strictEqual(parseGoBool(text), true, text);
        for (const text of GO_FALSE) assert.strictEqual(parseGoBool(text), false, text);
        fc.assert(
            fc.property(fc.string(), (text) => {
                fc.pre(![...GO_TRUE, ...GO_FALSE].includes(text));
                assert.strictEqual(parseGoBool(text), undefined);
            }),
        );
        for (const text of ["yes", "no", "on", "off", " true", "true ", "tRUE", ""]) assert.strictEqual(parseGoBool(text), undefined, text);
    });

    it("turns inter-container traffic off for every false form of enable_icc, in programs and on command lines", () => {
        fc.assert(
            fc.property(fc.constantFrom(...GO_FALSE), (value) => {
                assert.strictEqual(interContainerOf(value), false);
                assert.strictEqual(commandLineNetwork(`-o ${ENABLE_ICC}=${value}`).interContainer, false);
            }),
        );
        for (const value of GO_TRUE) {
            assert.strictEqual(interContainerOf(value), true);
            assert.strictEqual(commandLineNetwork(`--opt=${ENABLE_ICC}=${value}`).interContainer, true);
        }
    });

    it("reads boolean flags of docker network create the same way", () => {
        for (const value of GO_FALSE) assert.strictEqual(commandLineNetwork(`--internal=${value}`).internal, false, value);
        for (const value of GO_TRUE) assert.strictEqual(commandLineNetwork(`--internal=${value}`).internal, true, value);
    });

    it("reports a value Docker refuses (docker-network-ipam-consistent), naming option and value", async () => {
        for (const value of ["yes", "off", "", " false"]) {
            const violations = await runPolicy("docker-network-ipam-consistent", [pulumiNetwork(value)]);
            assert.strictEqual(violations.length, 1, JSON.stringify(value));
            assert.match(violations[0].message, new RegExp(`driver option ${ENABLE_ICC.replace(/\./g, "\\.")} = ${JSON.stringify(JSON.stringify(value)).slice(1, -1)}, which Docker refuses`));
        }
        for (const value of [...GO_TRUE, ...GO_FALSE]) assert.deepStrictEqual(await runPolicy("docker-network-ipam-consistent", [pulumiNetwork(value)]), []);
    });
});

describe("topology/driverOptions: the overlay driver", () => {
    it("encrypts when the option key is there, whatever its value (libnetwork tests presence)", () => {
        for (const value of ["", "true", "false", "0", "anything", UNKNOWN] as Maybe<string>[]) assert.strictEqual(overlayEncrypted({ [OVERLAY_ENCRYPTED]: value }), true, String(value));
        assert.strictEqual(overlayEncrypted({}), false);
        assert.strictEqual(overlayEncrypted({ "com.docker.network.driver.mtu": "1400" }), false);
    });

    it("is the one swarm-scope driver, and has no ICC switch", () => {
        assert.deepStrictEqual(["overlay", "bridge", "macvlan"].map(driverScope), ["swarm", "local", "local"]);
        assert.strictEqual(networkInterContainer("overlay", { [ENABLE_ICC]: "false" }), true);
        assert.strictEqual(networkInterContainer("bridge", { [ENABLE_ICC]: "false" }), false);
    });
});
