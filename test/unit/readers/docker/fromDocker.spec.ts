import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { rules } from "../../../../policies/pack";
import { DEFAULT_BRIDGE_KEY, Topology } from "../../../../topology/model";
import { topologyFromDocker } from "../../../../readers/docker/fromDocker";
import { DockerEngineState } from "../../../../readers/docker/engineState";
import { computeReachability } from "../../../../topology/reachability";

// Real inspect output (trimmed) of the tutorial topology on dockerd 20.10:
// fx-web on the default bridge, then `docker network connect --alias www fx-app`;
// fx-client `--link fx-web:web`; fx-app with IPAM, ip range and an aux address;
// fx-db `--ip 10.238.1.10 --network-alias database`; fx-api `--link fx-db:maindb`
// on fx-app; fx-gateway labelled dual-homed on fx-app and fx-internal;
// fx-vault on the internal net; fx-q1 on fx-quiet (ICC off); fx-host, fx-none,
// fx-sidecar (container:fx-db); fx-stopped created, never started.
const state: DockerEngineState = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "fixtures", "docker-engine-20.10.json"), "utf8"));

function container(topology: Topology, name: string) {
    const found = topology.containers.find((c) => c.name === name);
    assert.ok(found, `no container ${name}`);
    return found;
}

function network(topology: Topology, name: string) {
    const found = topology.networks.find((n) => n.name === name);
    assert.ok(found, `no network ${name}`);
    return found;
}

describe("topology/fromDocker", () => {
    const topology = topologyFromDocker(state);

    it("makes a node of every network but host and none, the default bridge under the model's key", () => {
        assert.deepStrictEqual(topology.networks.map((n) => n.name).sort(), ["bridge", "fx-app", "fx-internal", "fx-quiet"]);
        const bridge = network(topology, "bridge");
        assert.strictEqual(bridge.key, DEFAULT_BRIDGE_KEY);
        assert.strictEqual(bridge.defaultBridge, true);
        assert.strictEqual(bridge.resource, undefined);
        assert.deepStrictEqual(bridge.ipam, [{ subnet: "172.17.0.0/16", gateway: "172.17.0.1", ipRange: undefined, auxAddresses: {} }]);
    });

    it("reads IPAM, internal, ICC and driver, with Docker names as name and resource", () => {
        const app = network(topology, "fx-app");
        assert.deepStrictEqual(
            { ...app },
            {
                key: "fx-app",
                resource: "fx-app",
                name: "fx-app",
                dockerName: "fx-app",
                driver: "bridge",
                ipam: [{ subnet: "10.238.1.0/24", gateway: "10.238.1.1", ipRange: "10.238.1.128/25", auxAddresses: { reserved: "10.238.1.5" } }],
                internal: false,
                interContainer: true,
                driverOptions: {},
                defaultBridge: false,
            },
        );
        assert.strictEqual(network(topology, "fx-internal").internal, true);
        assert.strictEqual(network(topology, "fx-quiet").interContainer, false);
    });

    it("takes attachments from NetworkSettings: a connected bridge container is on both, aliases without the short id", () => {
        const web = container(topology, "fx-web");
        assert.strictEqual(web.resource, "fx-web");
        assert.strictEqual(web.dockerName, "fx-web");
        assert.strictEqual(web.networkMode, undefined, "Docker's 'default' means no mode was given");
        assert.deepStrictEqual(web.attachments, [
            { network: DEFAULT_BRIDGE_KEY, reference: "bridge", aliases: [], ipv4Address: "172.17.0.2", staticAddress: false },
            { network: "fx-app", reference: "fx-app", aliases: ["www"], ipv4Address: "10.238.1.129", staticAddress: false },
        ]);
    });

    it("marks requested addresses static, assigned ones not", () => {
        assert.deepStrictEqual(container(topology, "fx-db").attachments, [
            { network: "fx-app", reference: "fx-app", aliases: ["database"], ipv4Address: "10.238.1.10", staticAddress: true },
        ]);
        assert.strictEqual(container(topology, "fx-api").attachments[0].staticAddress, false);
    });

    it("reads an endpoint's IPv6 address: the requested one (--ip6), else the one Docker assigned", () => {
        const withV6 = (endpoint: Record<string, unknown>) => {
            const fx = state.containers.find((c) => c.Name === "/fx-db")!;
            const networks = { "fx-app": { ...fx.NetworkSettings!.Networks!["fx-app"], ...endpoint } };
            const changed = { ...state, containers: state.containers.map((c) => (c === fx ? { ...c, NetworkSettings: { ...c.NetworkSettings, Networks: networks } } : c)) };
            return container(topologyFromDocker(changed), "fx-db").attachments[0].ipv6Address;
        };
        assert.strictEqual(withV6({ GlobalIPv6Address: "fd00:1::7", IPAMConfig: { IPv4Address: "10.238.1.10", IPv6Address: "fd00:1::5" } }), "fd00:1::5");
        assert.strictEqual(withV6({ GlobalIPv6Address: "fd00:1::7" }), "fd00:1::7");
        assert.strictEqual(withV6({}), undefined);
    });

    it("keeps a stopped container, its requested address, and resolves its network by name", () => {
        assert.deepStrictEqual(container(topology, "fx-stopped").attachments, [
            { network: "fx-app", reference: "fx-app", aliases: [], ipv4Address: "10.238.1.11", staticAddress: true },
        ]);
    });

    it("reads links from HostConfig (/target:/self/alias) and from user-defined endpoints (target:alias)", () => {
        assert.deepStrictEqual(container(topology, "fx-client").links, [{ target: "fx-web", alias: "web" }]);
        assert.deepStrictEqual(container(topology, "fx-api").links, [{ target: "fx-db", alias: "maindb" }]);
        assert.deepStrictEqual(container(topology, "fx-web").links, []);
    });

    it("gives host, none and container: modes no attachment, and keeps the mode", () => {
        for (const [name, mode] of [
            ["fx-host", "host"],
            ["fx-none", "none"],
        ]) {
            assert.deepStrictEqual(container(topology, name).attachments, []);
            assert.strictEqual(container(topology, name).networkMode, mode);
        }
        const sidecar = container(topology, "fx-sidecar");
        assert.deepStrictEqual(sidecar.attachments, []);
        assert.match(String(sidecar.networkMode), /^container:795a4fa4b79d/);
    });

    it("declares multi-homing only through the DualHomedContainer label", () => {
        assert.strictEqual(container(topology, "fx-gateway").declaredMultiHomed, true);
        assert.strictEqual(container(topology, "fx-web").declaredMultiHomed, false);
        assert.strictEqual(container(topology, "fx-gateway").attachments.length, 2);
    });

    it("leaves the default bridge out when no container is on it, as a preview does", () => {
        const withoutBridge = topologyFromDocker({
            networks: state.networks,
            containers: state.containers.filter((c) => !["/fx-web", "/fx-client"].includes(c.Name)),
        });
        assert.ok(!withoutBridge.networks.some((n) => n.defaultBridge));
    });

    it("predicts the tutorial's reachability: links one way by name, bridge by IP, internal and ICC off", () => {
        const pairs = computeReachability(topology).map((p) => `${p.from}>${p.to} ${p.networks.join(",")}${p.byName ? "" : " (ip)"}`);
        // fx-sidecar is in fx-db's namespace (container:fx-db): it reaches and is reached as fx-db.
        // fx-host is in the host's namespace: it reaches, by IP, every container the host reaches over a bridge (stopped ones too: the audit filters).
        assert.deepStrictEqual(pairs, [
            "fx-api>fx-db fx-app",
            "fx-api>fx-gateway fx-app",
            "fx-api>fx-sidecar fx-app",
            "fx-api>fx-stopped fx-app",
            "fx-api>fx-web fx-app",
            "fx-client>fx-web bridge",
            "fx-db>fx-api fx-app",
            "fx-db>fx-gateway fx-app",
            "fx-db>fx-sidecar fx-app",
            "fx-db>fx-stopped fx-app",
            "fx-db>fx-web fx-app",
            "fx-gateway>fx-api fx-app",
            "fx-gateway>fx-db fx-app",
            "fx-gateway>fx-sidecar fx-app",
            "fx-gateway>fx-stopped fx-app",
            "fx-gateway>fx-vault fx-internal",
            "fx-gateway>fx-web fx-app",
            "fx-host>fx-api fx-app (ip)",
            "fx-host>fx-client bridge (ip)",
            "fx-host>fx-db fx-app (ip)",
            "fx-host>fx-gateway fx-app,fx-internal (ip)",
            "fx-host>fx-q1 fx-quiet (ip)",
            "fx-host>fx-stopped fx-app (ip)",
            "fx-host>fx-vault fx-internal (ip)",
            "fx-host>fx-web bridge,fx-app (ip)",
            "fx-sidecar>fx-api fx-app",
            "fx-sidecar>fx-db fx-app",
            "fx-sidecar>fx-gateway fx-app",
            "fx-sidecar>fx-stopped fx-app",
            "fx-sidecar>fx-web fx-app",
            "fx-stopped>fx-api fx-app",
            "fx-stopped>fx-db fx-app",
            "fx-stopped>fx-gateway fx-app",
            "fx-stopped>fx-sidecar fx-app",
            "fx-stopped>fx-web fx-app",
            "fx-vault>fx-gateway fx-internal",
            "fx-web>fx-api fx-app",
            "fx-web>fx-client bridge (ip)",
            "fx-web>fx-db fx-app",
            "fx-web>fx-gateway fx-app",
            "fx-web>fx-sidecar fx-app",
            "fx-web>fx-stopped fx-app",
        ]);
    });

    it("lets the pack's live rules judge it, each finding on the right container", () => {
        const findings = rules
            .filter((rule) => rule.judgesLiveState)
            .flatMap((rule) => rule.check(topology, rule.readConfig({})).map((f) => `${rule.name} ${f.subject.name}`))
            .sort();
        const expected = [
            "docker-multi-homing-declared fx-web",
            "docker-no-default-bridge fx-client",
            "docker-no-default-bridge fx-web",
            "docker-no-legacy-links fx-api",
            "docker-no-legacy-links fx-client",
            "docker-no-shared-network-namespace fx-host",
            "docker-no-shared-network-namespace fx-sidecar",
        ];
        const live = new Set(rules.filter((rule) => rule.judgesLiveState).map((rule) => rule.name));
        assert.deepStrictEqual(findings, expected.filter((line) => live.has(line.split(" ")[0])));
    });

    it("accepts empty and null fields the engine leaves out", () => {
        const topology = topologyFromDocker({
            networks: [{ Id: "n1", Name: "bare", IPAM: null, Options: null }],
            containers: [
                { Id: "c1", Name: "/lonely", Config: null, HostConfig: null, NetworkSettings: null },
                { Id: "c2abcdef0123456789", Name: "/member", NetworkSettings: { Networks: { bare: { NetworkID: "n1", Aliases: ["c2abcdef0123", "c2abcdef0123456789"] } } } },
            ],
        });
        assert.deepStrictEqual(topology.networks.map((n) => [n.name, n.driver, n.ipam.length, n.interContainer]), [["bare", "bridge", 0, true]]);
        assert.deepStrictEqual(topology.containers.map((c) => [c.name, c.attachments.length, c.links.length]), [
            ["lonely", 0, 0],
            ["member", 1, 0],
        ]);
        assert.deepStrictEqual(topology.containers[1].attachments[0].aliases, []);
        assert.strictEqual(topology.containers[1].attachments[0].ipv4Address, undefined);
    });
});
