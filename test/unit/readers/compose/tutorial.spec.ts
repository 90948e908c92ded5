/**
 * The tutorial's mistakes written as a Compose project (test/fixtures/compose/
 * tutorial): legacy `links:`, `network_mode: bridge`, the implicit
 * `<project>_default` network without IPAM, ports on every interface. The
 * expected topology is written out, with Docker's names, and the pack's
 * verdicts on it; the project done right (isolated) draws none of them.
 */
import * as assert from "assert";
import { ContainerNode, DEFAULT_BRIDGE, NetworkNode, Topology, UNKNOWN } from "../../../../topology/model";
import { PLUGIN_TAG, PROJECTS, needsPlugin, readCorpus, verdicts } from "./composeHelpers";

const project = (folder: string, index = 0) => PROJECTS.filter((p) => p.folder === folder)[index];

/** The links Compose makes to the first container of a service (measured): under its alias (or the service's name), `<service>-1` and `<project>-<service>-1`. */
function composeLinks(target: string, alias: string, service = alias): ContainerNode["links"] {
    return [{ target, alias }, ...[`${service}-1`, `tutorial-${service}-1`].map((name) => ({ target, alias: name, composeAdded: true as const }))];
}

function container(name: string, fields: Partial<ContainerNode>): ContainerNode {
    const service = name.split("-")[1];
    return {
        key: name, resource: name, name, dockerName: name, attachments: [], links: [], declaredMultiHomed: false, origin: "container", ports: [],
        compose: { project: "tutorial", key: `services.${service}` }, ...fields,
    };
}

const TUTORIAL_DEFAULT: NetworkNode = {
    key: "tutorial_default",
    resource: "tutorial_default",
    name: "tutorial_default",
    dockerName: "tutorial_default",
    driver: "bridge",
    ipam: [],
    internal: false,
    interContainer: true,
    driverOptions: {},
    defaultBridge: false,
    compose: { project: "tutorial", key: "networks.default" },
};

const onDefault = (alias: string) => ({ network: "tutorial_default", reference: "tutorial_default", aliases: [alias], staticAddress: false });
const onBridge = { reference: "bridge", network: DEFAULT_BRIDGE.key, aliases: [], staticAddress: false };

const TUTORIAL: Topology = {
    networks: [TUTORIAL_DEFAULT, DEFAULT_BRIDGE],
    containers: [
        container("tutorial-api-1", { attachments: [onDefault("api")], ports: [{ internal: 5000, protocol: "tcp" }] }),
        container("tutorial-cache-1", { networkMode: "bridge", attachments: [onBridge], links: composeLinks("tutorial-db-1", "db") }),
        // expose: no published port.
        container("tutorial-db-1", { networkMode: "bridge", attachments: [onBridge] }),
        container("tutorial-web-1", {
            attachments: [onDefault("web")],
            links: composeLinks("tutorial-api-1", "backend", "api"),
            ports: [{ internal: 80, external: 8080, protocol: "tcp" }],
        }),
    ],
};

describe("compose: the tutorial's mistakes", () => {
    for (const usePlugin of [false, true]) {
        describe(usePlugin ? `${PLUGIN_TAG} through the plugin` : "through the built-in reader", () => {
            beforeEach(function () {
                if (usePlugin) needsPlugin(this);
            });

            it("reads the expected topology, with Docker's names", () => {
                const reading = readCorpus(project("tutorial"), usePlugin);
                assert.deepStrictEqual(reading.topology, TUTORIAL);
                assert.deepStrictEqual(reading.notJudged, []);
            });

            it("draws the pack's verdicts: default bridge, links, no IPAM, ports on every interface", () => {
                assert.deepStrictEqual(verdicts(readCorpus(project("tutorial"), usePlugin).topology), [
                    "docker-network-explicit-ipam tutorial_default",
                    "docker-no-default-bridge tutorial-cache-1",
                    "docker-no-default-bridge tutorial-db-1",
                    "docker-no-legacy-links tutorial-cache-1",
                    "docker-no-legacy-links tutorial-web-1",
                    "docker-published-port-bound tutorial-api-1",
                    "docker-published-port-bound tutorial-web-1",
                ]);
            });

            it("finds nothing wrong with the project done right", () => {
                const reading = readCorpus(project("isolated"), usePlugin);
                assert.deepStrictEqual(verdicts(reading.topology), [], "app is on two networks on purpose: the netguard.dual-homed label says so");
                assert.strictEqual(reading.topology.containers.find((c) => c.name === "isolated-app-1")!.declaredMultiHomed, true);
                const proxy = reading.topology.containers.find((c) => c.name === "isolated-proxy-1")!;
                assert.deepStrictEqual(proxy.attachments, [
                    { network: "isolated_front", reference: "isolated_front", aliases: ["proxy", "edge", "www"], ipv4Address: "10.20.1.10", staticAddress: true },
                ]);
                assert.deepStrictEqual(proxy.ports, [
                    { internal: 443, external: 8443, ip: "127.0.0.1", protocol: "tcp" },
                    { internal: 80, external: 8080, ip: "127.0.0.1", protocol: "tcp" },
                    { internal: 9000, external: 9000, ip: "127.0.0.1", protocol: "udp" },
                    { internal: 9001, external: 9001, ip: "127.0.0.1", protocol: "udp" },
                ]);
                const front = reading.topology.networks.find((n) => n.name === "isolated_front")!;
                assert.deepStrictEqual(front.ipam, [{ subnet: "10.20.1.0/24", gateway: "10.20.1.1", ipRange: "10.20.1.128/25", auxAddresses: { router: "10.20.1.2" } }]);
                assert.deepStrictEqual(
                    reading.topology.networks.map((n) => [n.name, n.internal]),
                    [["isolated_back", true], ["isolated_front", false]],
                    "a network no service uses is not created",
                );
            });

            it("reads every network mode, replicas, container_name, an external network and external links", () => {
                const { topology, notJudged } = readCorpus(project("modes"), usePlugin);
                const byName = new Map(topology.containers.map((c) => [c.name, c]));
                assert.deepStrictEqual([...byName.keys()].sort(), [
                    "modes-debugger-1", "modes-gateway-1", "modes-offline-1", "modes-scaled-1", "modes-scaled-2",
                    "modes-sidecar-1", "modes-worker-1", "modes-worker-2", "modes-worker-3", "the-app",
                ]);
                assert.strictEqual(byName.get("modes-gateway-1")!.networkMode, "host");
                assert.deepStrictEqual(byName.get("modes-offline-1")!.attachments, []);
                assert.strictEqual(byName.get("modes-sidecar-1")!.networkMode, "container:the-app");
                assert.strictEqual(byName.get("modes-sidecar-1")!.sharesNamespaceOf, "the-app");
                assert.strictEqual(byName.get("modes-debugger-1")!.networkMode, "container:some-other-container");
                assert.deepStrictEqual(byName.get("the-app")!.links, [{ target: "legacy_db_1", alias: "db" }]);
                assert.deepStrictEqual(byName.get("modes-scaled-2")!.attachments[0].aliases, ["scaled", "jobs"]);
                const shared = topology.networks.find((n) => n.name === "platform_shared")!;
                assert.deepStrictEqual(shared.ipam, [{ subnet: UNKNOWN, gateway: UNKNOWN, auxAddresses: {} }], "an external network's settings are unknown");
                assert.deepStrictEqual(notJudged.map((entry) => entry.key), ["networks.shared"]);
                assert.deepStrictEqual(verdicts(topology), [
                    "docker-network-explicit-ipam modes_default",
                    "docker-no-legacy-links the-app",
                    "docker-no-shared-network-namespace modes-debugger-1",
                    "docker-no-shared-network-namespace modes-gateway-1",
                    "docker-no-shared-network-namespace modes-sidecar-1",
                ]);
            });

            it("reads driver options, an overlay network and IPv6", () => {
                const { topology, notJudged } = readCorpus(project("drivers"), usePlugin);
                const quiet = topology.networks.find((n) => n.name === "custom-quiet")!;
                assert.strictEqual(quiet.interContainer, false);
                assert.deepStrictEqual(quiet.driverOptions, { "com.docker.network.bridge.enable_icc": "false", "com.docker.network.bridge.name": "br-quiet" });
                const mesh = topology.networks.find((n) => n.name === "drivers_mesh")!;
                assert.deepStrictEqual([mesh.driver, mesh.scope, mesh.attachable, mesh.encrypted], ["overlay", "swarm", true, true]);
                // Written fd00:41:0::/64 and fd00:41:0::10: Compose respells them when it creates the network and the container (measured).
                const v6 = topology.networks.find((n) => n.name === "drivers_v6")!;
                assert.deepStrictEqual([v6.ipv6, v6.ipam.map((block) => block.subnet)], [true, ["10.41.0.0/24", "fd00:41::/64"]]);
                const b = topology.containers.find((c) => c.name === "drivers-b-1")!;
                assert.deepStrictEqual(b.attachments.find((a) => a.network === "drivers_v6"), { network: "drivers_v6", reference: "drivers_v6", aliases: ["b"], staticAddress: false, ipv6Address: "fd00:41::10", staticIpv6: true });
                // Docker 28+ (the default semantics) drops an IPv6 block of a network without enable_ipv6; 20.10 keeps it.
                const sixless = topology.networks.find((n) => n.name === "drivers_sixless")!;
                assert.deepStrictEqual([sixless.ipam.map((block) => block.subnet), sixless.ignoredIpam?.map((block) => block.subnet)], [["10.42.0.0/24"], ["fd00:42::/64"]]);
                const on20 = readCorpus(project("drivers"), usePlugin, { semantics: "20" }).topology.networks.find((n) => n.name === "drivers_sixless")!;
                assert.deepStrictEqual([on20.ipam.map((block) => block.subnet), on20.ignoredIpam], [["10.42.0.0/24", "fd00:42::/64"], undefined]);
                assert.deepStrictEqual(notJudged, []);
            });

            it("merges override files, resolves extends and enables profiles", () => {
                const names = (index: number) => readCorpus(project("layered", index), usePlugin).topology.containers.map((c) => c.name);
                assert.deepStrictEqual(names(0), ["layered-base-1", "layered-web-1"]);
                assert.deepStrictEqual(names(1), ["layers-admin-1", "layers-base-1", "layers-web-1"]);
                assert.deepStrictEqual(names(2), ["layered-admin-1", "layered-base-1", "layered-debug-1", "layered-web-1"]);
                const web = readCorpus(project("layered"), usePlugin).topology.containers.find((c) => c.name === "layered-web-1")!;
                assert.deepStrictEqual(web.attachments.map((a) => [a.network, a.aliases]), [["layered_back", ["web"]], ["layered_front", ["web", "common"]]]);
                assert.deepStrictEqual(web.ports!.map((p) => `${p.ip ?? "*"}:${p.external}->${p.internal}`), ["127.0.0.1:7000->7000", "127.0.0.1:7001->7001", "*:7002->7002"]);
            });

            it("keeps a variable without value unknown, never guessed", () => {
                const { topology, notJudged } = readCorpus(project("variables"), usePlugin);
                const app = topology.networks.find((n) => n.name === "variables_app")!;
                assert.deepStrictEqual(app.ipam, [{ subnet: "10.30.0.0/24", gateway: UNKNOWN, auxAddresses: {} }], "SUBNET from .env, GATEWAY unset");
                const web = topology.containers.find((c) => c.name === "variables-web-1")!;
                assert.deepStrictEqual(web.attachments, [
                    { network: "variables_app", reference: "variables_app", aliases: ["web", "web-${LITERAL}"], ipv4Address: UNKNOWN, staticAddress: true },
                ]);
                assert.deepStrictEqual(web.ports, [
                    { internal: 80, external: 8081, ip: "127.0.0.1", protocol: "tcp" },
                    { internal: 9090, external: 9090, ip: "127.0.0.1", protocol: "tcp" },
                ]);
                assert.deepStrictEqual(notJudged, [{ key: "services.web.networks.app.aliases", reason: "an alias is a variable without value" }]);
                assert.deepStrictEqual(verdicts(topology), []);
            });

            it("takes the environment over the .env file", () => {
                const { topology } = readCorpus(project("variables"), usePlugin, { env: { PG_VERSION: "16", SUBNET: "10.31.0.0/24", GATEWAY: "10.31.0.1", NET_NAME: "mine" } });
                assert.deepStrictEqual(topology.networks.map((n) => [n.name, n.ipam[0].subnet, n.ipam[0].gateway]), [["mine", "10.31.0.0/24", "10.31.0.1"]]);
            });
        });
    }
});
