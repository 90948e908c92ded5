/**
 * What changed between Docker 20.10 and 28/29, as facts of the model: each
 * one judged under both semantics, through the readers and rules that use it.
 */
import * as assert from "assert";
import { dockerNetworkExplicitIpam } from "../../../policies/rules/docker-network-explicit-ipam";
import { dockerPublishedPortBound } from "../../../policies/rules/docker-published-port-bound";
import { topologyFromCommandLines } from "../../../readers/commandLine";
import {
    EngineSemantics,
    assumedEngine,
    engineOfVersion,
    internalNetworkRoutesToHost,
    parseSemantics,
    portsReachedAtContainerAddress,
    publishedPortReachableFromOtherNetwork,
} from "../../../topology/engineSemantics";
import { Topology } from "../../../topology/model";

function topologyOf(script: string, engine?: EngineSemantics): Topology {
    const read = topologyFromCommandLines({ urn: "urn:setup", name: "setup" }, [{ field: "create", text: script }]);
    return { networks: read.networks, containers: read.containers, ...(engine ? { engine } : {}) };
}

const IPV6_ONLY = "docker network create --ipv6 --ipv4=false --subnet fd00:20:1::/64 v6only";
const ROUTED = "docker network create --subnet 10.20.7.0/24 -o com.docker.network.bridge.gateway_mode_ipv4=routed direct";

describe("engine semantics: Docker 20.10 and Docker 29 judged apart", () => {
    it("reads an engine's version into the semantics it is judged with, warning for families it does not know", () => {
        assert.deepStrictEqual(engineOfVersion("29.9.0"), { engine: { version: "29.9.0", semantics: "29" } });
        assert.deepStrictEqual(engineOfVersion("28.2.2"), { engine: { version: "28.2.2", semantics: "29" } });
        assert.deepStrictEqual(engineOfVersion("20.10.24+dfsg1"), { engine: { version: "20.10.24+dfsg1", semantics: "20" } });
        const older = engineOfVersion("23.0.6");
        assert.strictEqual(older.engine.semantics, "20");
        assert.match(older.warning ?? "", /Docker 23\.0\.6 is neither 20\.10 nor 28\/29.*Docker 20's semantics, the nearest/);
        assert.strictEqual(engineOfVersion("27.5.1").engine.semantics, "29");
        assert.match(engineOfVersion(null).warning ?? "", /no version we can read/);
    });

    it("takes 20 or 29 from a flag or config value, and nothing else", () => {
        assert.strictEqual(parseSemantics("29"), "29");
        assert.strictEqual(parseSemantics("20.10"), "20");
        assert.strictEqual(parseSemantics("25"), undefined);
        assert.strictEqual(parseSemantics("latest"), undefined);
        assert.deepStrictEqual(assumedEngine("20"), { version: "20.10.x", semantics: "20" });
    });

    it("an IPv6-only network that names its IPv6 subnet has explicit IPAM on 29; 20.10 ignores --ipv4=false and pools an IPv4 subnet", () => {
        assert.strictEqual(topologyOf(IPV6_ONLY).networks[0].ipv4, false);
        assert.deepStrictEqual(dockerNetworkExplicitIpam.check(topologyOf(IPV6_ONLY, "29"), {}), []);
        assert.deepStrictEqual(dockerNetworkExplicitIpam.check(topologyOf(IPV6_ONLY), {}), [], "29 is the default");
        const on20 = dockerNetworkExplicitIpam.check(topologyOf(IPV6_ONLY, "20"), {});
        assert.strictEqual(on20.length, 1);
        assert.match(on20[0].message, /has only IPv6 IPAM blocks, yet Docker still gives it an IPv4 subnet/);
        // IPv6-only with no subnet at all names nothing either way.
        assert.strictEqual(dockerNetworkExplicitIpam.check(topologyOf("docker network create --ipv6 --ipv4=false bare", "29"), {}).length, 1);
    });

    it("a routed gateway mode exposes the network's containers without -p on 29, and is ignored by 20.10", () => {
        const on29 = dockerPublishedPortBound.check(topologyOf(ROUTED, "29"), {});
        assert.strictEqual(on29.length, 1);
        assert.match(on29[0].message, /network "direct".*gateway_mode_ipv4=routed.*without NAT/);
        assert.deepStrictEqual(dockerPublishedPortBound.check(topologyOf(ROUTED, "20"), {}), []);
        const nat = ROUTED.replace("=routed", "=nat");
        assert.deepStrictEqual(dockerPublishedPortBound.check(topologyOf(nat, "29"), {}), []);
        assert.strictEqual(dockerPublishedPortBound.check(topologyOf(ROUTED.replace("=routed", "=nat-unprotected"), "29"), {}).length, 1);
    });

    it("the facts only traffic shows (test/conformance/docker/engineFacts.spec.ts measures them): ports at container addresses, proxy, internal routes", () => {
        const modes = ["nat", "routed", "nat-unprotected", undefined];
        assert.deepStrictEqual(modes.map((mode) => portsReachedAtContainerAddress("29", mode)), ["none", "published", "all", "none"]);
        assert.deepStrictEqual(modes.map((mode) => portsReachedAtContainerAddress("20", mode)), ["published", "published", "published", "published"]);
        assert.deepStrictEqual([publishedPortReachableFromOtherNetwork("20", true), publishedPortReachableFromOtherNetwork("20", false)], [true, false]);
        assert.deepStrictEqual([publishedPortReachableFromOtherNetwork("29", true), publishedPortReachableFromOtherNetwork("29", false)], [true, true]);
        assert.deepStrictEqual([internalNetworkRoutesToHost("20"), internalNetworkRoutesToHost("29")], [true, false]);
    });

    it("the routed rule says which ports each gateway mode opens: published ones for routed, every one for nat-unprotected", () => {
        assert.match(dockerPublishedPortBound.check(topologyOf(ROUTED, "29"), {})[0].message, /reaches their published ports there/);
        const unprotected = dockerPublishedPortBound.check(topologyOf(ROUTED.replace("=routed", "=nat-unprotected"), "29"), {});
        assert.match(unprotected[0].message, /every port of its containers, published or not/);
    });
});
