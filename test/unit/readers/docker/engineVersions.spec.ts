/**
 * One topology, two API shapes: the tutorial built with the same docker
 * commands on Docker 20.10 (API 1.41) and on Docker Engine 29 (API 1.56,
 * where the container's name and short id moved from `Aliases` to
 * `DNSNames`, and a container started without --network reports network
 * mode `bridge` instead of `default`, and every IPAM block its gateway).
 * The live reader must make the same
 * model of both, and the rules must say the same of it.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { rules } from "../../../../policies/pack";
import { DockerEngineState } from "../../../../readers/docker/engineState";
import { topologyFromDocker } from "../../../../readers/docker/fromDocker";
import { isDefaultBridgeMode } from "../../../../topology/dockerSemantics";
import { effectiveGatewayText } from "../../../../topology/ipamBlocks";
import { Topology } from "../../../../topology/model";
import { computeReachability } from "../../../../topology/reachability";

function fixture(name: string): DockerEngineState {
    return JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "fixtures", name), "utf8")) as DockerEngineState;
}

/** What does not depend on ids and handed-out addresses: static addresses stay, dynamic ones do not. */
function shape(topology: Topology) {
    const networkName = new Map(topology.networks.map((network) => [network.key, network.name]));
    return {
        // Engine 29 reports the gateway it chose where 20.10 leaves it out: compare the gateway in effect.
        networks: topology.networks.map(({ name, driver, ipam, internal, interContainer, defaultBridge }) => ({
            name,
            driver,
            ipam: ipam.map((block) => ({ ...block, gateway: effectiveGatewayText(block) })),
            internal,
            interContainer,
            defaultBridge,
        })),
        containers: topology.containers.map((container) => ({
            name: container.name,
            mode: isDefaultBridgeMode(container.networkMode) ? "default bridge" : String(container.networkMode).replace(/^container:.*/, "container:"),
            attachments: container.attachments.map((a) => ({ network: networkName.get(a.network ?? ""), aliases: a.aliases, static: a.staticAddress ? a.ipv4Address : undefined })),
            links: container.links,
            multiHomed: container.declaredMultiHomed,
            sharesNamespace: container.sharesNamespaceOf !== undefined,
        })),
    };
}

describe("the live reader across API versions (Docker 20.10 and 29)", () => {
    const on20 = topologyFromDocker(fixture("docker-engine-20.10.json"));
    const on29 = topologyFromDocker(fixture("docker-engine-29.json"));

    it("reads the same networks, attachments, aliases, static addresses and links from both shapes", () => {
        assert.deepStrictEqual(shape(on29), shape(on20));
    });

    it("keeps Docker's automatic names out of the aliases in both (Aliases on 1.41, DNSNames on 1.45+)", () => {
        const web = (topology: Topology) => topology.containers.find((c) => c.name === "fx-web")?.attachments.find((a) => a.aliases.length > 0)?.aliases;
        assert.deepStrictEqual(web(on20), ["www"]);
        assert.deepStrictEqual(web(on29), ["www"]);
    });

    it("gives the same reachability and the same verdicts", () => {
        const pairs = (topology: Topology) => computeReachability(topology).map((p) => `${p.from}>${p.to} ${p.byName}`);
        assert.deepStrictEqual(pairs(on29), pairs(on20));
        const verdicts = (topology: Topology) => rules.flatMap((rule) => rule.check(topology, rule.readConfig({})).map((f) => `${rule.name} ${f.subject.name}`)).sort();
        assert.deepStrictEqual(verdicts(on29), verdicts(on20));
        assert.ok(verdicts(on20).length > 3, "the tutorial has mistakes to find");
    });
});
