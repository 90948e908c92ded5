import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_BRIDGE_KEY, Topology, workloadKind } from "../../../../topology/model";
import { liveTopologyFromDocker, topologyFromDocker } from "../../../../readers/docker/fromDocker";
import { DockerEngineState, mergeEngineStates } from "../../../../readers/docker/engineState";
import { DockerNodeInspect, nodeNames } from "../../../../readers/swarm/fromSwarm";
import { computeReachability } from "../../../../topology/reachability";

// Real output (trimmed) of a single-node swarm on dockerd 20.10: overlay `audexp-net`
// (10.231.99.0/24, `--opt encrypted`) and `audexp-net2` (10.231.98.0/24, attachable);
// service audexp-a (2 replicas, alias `aa`) on audexp-net; audexp-b on both; audexp-c on
// audexp-net2 publishing 18080 (so on `ingress` too); plain container audexp-plain on
// audexp-net2. The task list keeps three finished tasks as history.
const state: DockerEngineState = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "fixtures", "docker-swarm-20.10.json"), "utf8"));

function byName<T extends { name: string }>(items: readonly T[], name: string): T {
    const found = items.find((item) => item.name === name);
    assert.ok(found, `no ${name}`);
    return found;
}

describe("topology/fromDocker: a swarm", () => {
    const live = liveTopologyFromDocker(state);
    const topology = live.topology;

    it("reads overlay networks as swarm scope: attachable, encrypted by the option's presence, ingress flagged, ICC on", () => {
        const net = byName(topology.networks, "audexp-net");
        assert.deepStrictEqual(
            { scope: net.scope, driver: net.driver, attachable: net.attachable, encrypted: net.encrypted, ingress: net.ingress, interContainer: net.interContainer },
            { scope: "swarm", driver: "overlay", attachable: false, encrypted: true, ingress: undefined, interContainer: true },
        );
        assert.strictEqual(net.driverOptions?.encrypted, "", "`--opt encrypted` is an empty value: still encrypted");
        const net2 = byName(topology.networks, "audexp-net2");
        assert.deepStrictEqual([net2.attachable, net2.encrypted], [true, false]);
        const ingress = byName(topology.networks, "ingress");
        assert.deepStrictEqual([ingress.scope, ingress.ingress, ingress.encrypted], ["swarm", true, false]);
        assert.deepStrictEqual(ingress.ipam.map((block) => block.subnet), ["10.0.0.0/24"]);
        assert.strictEqual(byName(topology.networks, "docker_gwbridge").scope, undefined, "a local bridge stays local");
    });

    it("makes each service one node with its networks, aliases and replicas, and lists no task container", () => {
        const names = topology.containers.map((c) => `${c.name}:${workloadKind(c)}`).sort();
        assert.deepStrictEqual(names, ["audexp-a:service", "audexp-b:service", "audexp-c:service", "audexp-plain:container"]);
        const a = byName(topology.containers, "audexp-a");
        assert.strictEqual(a.replicas, 2);
        assert.deepStrictEqual(a.attachments, [{ network: "audexp-net", reference: "audexp-net", aliases: ["aa"], staticAddress: false }]);
        const b = byName(topology.containers, "audexp-b");
        assert.deepStrictEqual(b.attachments.map((x) => x.network).sort(), ["audexp-net", "audexp-net2"]);
        assert.strictEqual(b.replicas, 1);
    });

    it("reads a plain container on an attachable overlay with its address, not static: the manager allocated it", () => {
        const plain = byName(topology.containers, "audexp-plain");
        assert.deepStrictEqual(plain.attachments.map((a) => [a.network, a.staticAddress]), [["audexp-net2", false]]);
        assert.match(String(plain.attachments[0].ipv4Address), /^10\.231\.98\.\d+$/);
    });

    it("puts a service that publishes a port in ingress mode on the ingress network, with the port", () => {
        const c = byName(topology.containers, "audexp-c");
        assert.deepStrictEqual(c.attachments.map((x) => [x.network, x.routingMesh]), [["audexp-net2", undefined], ["ingress", true]], "the mesh's endpoint, not a declared one");
        assert.deepStrictEqual(c.ports, [{ internal: 80, external: 18080, protocol: "tcp" }]);
    });

    it("keeps the current tasks, not the history: name, node, state, addresses by network", () => {
        assert.deepStrictEqual(
            live.tasks.map((t) => [t.name, t.node, t.state]),
            [
                ["audexp-a.1", "vm", "running"],
                ["audexp-a.2", "vm", "running"],
                ["audexp-b.1", "vm", "running"],
                ["audexp-c.1", "vm", "running"],
            ],
        );
        const b = byName(live.tasks, "audexp-b.1");
        assert.deepStrictEqual(
            [...b.attachments].map((x) => [x.network, x.ipv4Address]).sort(),
            [
                ["audexp-net", "10.231.99.10"],
                ["audexp-net2", "10.231.98.5"],
            ],
        );
        assert.ok(b.containerId && state.containers.some((c) => c.Id === b.containerId), "the task's container is on the engine");
    });

    it("knows each service's virtual IP per network: where its name resolves", () => {
        const b = byName(topology.containers, "audexp-b");
        assert.deepStrictEqual([...(live.virtualIps.get(b.key) ?? [])].sort(), [
            ["audexp-net", "10.231.99.5"],
            ["audexp-net2", "10.231.98.2"],
        ]);
    });

    it("predicts service-level reachability over shared overlays, plain members of an attachable one included", () => {
        const pairs = computeReachability(topology).map((p) => `${p.from}->${p.to} ${p.networks.join(",")} ${p.byName ? "name" : "ip"}`);
        for (const expected of ["audexp-a->audexp-b audexp-net name", "audexp-b->audexp-a audexp-net name", "audexp-plain->audexp-c audexp-net2 name", "audexp-c->audexp-b audexp-net2 name"]) {
            assert.ok(pairs.includes(expected), `${expected} in ${pairs.join("; ")}`);
        }
        assert.ok(!pairs.some((p) => p.startsWith("audexp-a->audexp-c")), "no shared network, no pair");
    });

    it("without a manager's view, task containers are neither containers nor services: they are reported as not judged", () => {
        const worker = liveTopologyFromDocker({ networks: state.networks, containers: state.containers });
        assert.deepStrictEqual(worker.topology.containers.map((c) => c.name), ["audexp-plain"]);
        assert.deepStrictEqual(worker.unjudgedTaskContainers.map((t) => t.service).sort(), ["audexp-a", "audexp-a", "audexp-b", "audexp-c"]);
        assert.deepStrictEqual(worker.tasks, []);
        assert.deepStrictEqual(worker.outOfScopeTaskContainers, []);
    });

    it("task containers of a service the manager did not report (outside a label scope) are neither listed nor judged: they are named as out of scope", () => {
        const swarm = state.swarm;
        assert.ok(swarm);
        const c = swarm.services.find((service) => service.Spec.Name === "audexp-c");
        assert.ok(c);
        const scoped = liveTopologyFromDocker({ ...state, swarm: { ...swarm, services: swarm.services.filter((service) => service !== c) } });
        assert.deepStrictEqual(scoped.topology.containers.map((node) => node.name).sort(), ["audexp-a", "audexp-b", "audexp-plain"]);
        assert.deepStrictEqual(scoped.outOfScopeTaskContainers.map((ref) => ref.service), ["audexp-c"]);
        assert.match(scoped.outOfScopeTaskContainers[0].container, /^audexp-c\.1\./);
        assert.deepStrictEqual(scoped.unjudgedTaskContainers, []);
        assert.deepStrictEqual(live.outOfScopeTaskContainers, [], "every service read: no task container out of scope");
    });
});

describe("topology/fromDocker: several engines as one", () => {
    const swarm = state.swarm;
    const other: DockerEngineState = {
        networks: state.networks.filter((n) => n.Scope === "swarm" || ["bridge", "host", "none"].includes(n.Name)).map((n) => (n.Scope === "swarm" ? n : { ...n, Id: `${n.Id}-2` })),
        containers: [
            {
                Id: "c".repeat(64),
                Name: "/audexp-plain",
                State: { Running: true, Pid: 1 },
                Config: { Labels: {} },
                HostConfig: { NetworkMode: "default" },
                NetworkSettings: { Networks: { bridge: { NetworkID: `${state.networks.find((n) => n.Name === "bridge")?.Id}-2`, IPAddress: "172.17.0.9" } } },
            },
        ],
    };
    const merged = mergeEngineStates(
        [
            { node: "vm", state: { networks: state.networks, containers: state.containers } },
            { node: "node2", state: other },
        ],
        swarm,
    );
    const topology: Topology = topologyFromDocker(merged);

    it("keeps one node per swarm network, and qualifies local names that occur on several engines", () => {
        const names = topology.networks.map((n) => n.name).sort();
        assert.deepStrictEqual(names.filter((n) => n.startsWith("audexp")), ["audexp-net", "audexp-net2"]);
        assert.ok(names.includes("bridge@node2"), names.join(", "));
        const second = topology.networks.find((n) => n.name === "bridge@node2");
        assert.ok(second?.defaultBridge, "still a default bridge");
        assert.notStrictEqual(second?.key, DEFAULT_BRIDGE_KEY, "another engine's default bridge is another network");
        assert.strictEqual(second?.node, "node2", "a local network knows its node");
        assert.strictEqual(topology.networks.find((n) => n.name === "audexp-net")?.node, undefined, "a swarm network is on every node");
    });

    it("names each container's node, and qualifies a container name that occurs on several engines", () => {
        const containers = topology.containers.filter((c) => workloadKind(c) === "container");
        assert.deepStrictEqual(containers.map((c) => [c.name, c.node]).sort(), [
            ["audexp-plain@node2", "node2"],
            ["audexp-plain@vm", "vm"],
        ]);
        assert.deepStrictEqual(containers.find((c) => c.node === "node2")?.attachments.map((a) => a.reference), ["bridge@node2"]);
    });

    it("names nodes by host name, and by host name and id where engines on one machine share it", () => {
        const nodes: DockerNodeInspect[] = [
            { ID: "aaaaaaaaaaaaaaaaaaaaaaaaa", Description: { Hostname: "vm" } },
            { ID: "bbbbbbbbbbbbbbbbbbbbbbbbb", Description: { Hostname: "vm" } },
            { ID: "ccccccccccccccccccccccccc", Description: { Hostname: "db1" } },
        ];
        assert.deepStrictEqual([...nodeNames(nodes).values()], ["vm-aaaaaaaaaaaa", "vm-bbbbbbbbbbbb", "db1"]);
    });
});
