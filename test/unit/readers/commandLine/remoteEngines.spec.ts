import { strict as assert } from "node:assert";
import { topologyFromCommandLines } from "../../../../readers/commandLine";
import { readResources } from "../../../../readers/pulumi/fromPulumi";
import { LOCAL_COMMAND_TYPE, NETWORK_TYPE, REMOTE_COMMAND_TYPE } from "../../../../readers/pulumi/resourceFields";
import { describeTopology } from "../../../../document/previewDocument";
import { computeReachability, reachabilityFromHost } from "../../../../topology/reachability";
import { LOCAL_COMMAND, REMOTE_COMMAND, resource, runPolicy } from "../../../helpers/policyHarness";

const stack = "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s";
const command = (name: string, create: string, remoteHost?: string) => {
    const type = remoteHost === undefined ? LOCAL_COMMAND_TYPE : REMOTE_COMMAND_TYPE;
    const connection = remoteHost === undefined ? {} : { connection: { host: remoteHost, user: "ops" } };
    return { urn: `urn:pulumi:s::p::${type}::${name}`, type, name, parent: stack, props: { create, ...connection } };
};
const APP = (subnet: string, container: string) => `docker network create --subnet ${subnet} app\ndocker run -d --name ${container} --network app img`;
const source = { urn: "urn:pulumi:s::p::command:local:Command::setup", name: "setup" };
const read = (text: string) => topologyFromCommandLines(source, [{ field: "create", text }]);

describe("readers/commandLine: commands that target another host's engine", () => {
    it("keeps a remote Command's network apart from a local one of the same name: no shared network, no @host pair", () => {
        const { topology } = readResources([command("local", APP("10.40.0.0/24", "web")), command("far", APP("10.40.0.0/25", "db"), "db1.example")] as never, "29");
        assert.deepEqual(topology.networks.map((n) => [n.dockerName, n.engineHost]), [["app", undefined], ["app", "db1.example"]]);
        const db = topology.containers.find((c) => c.dockerName === "db")!;
        assert.equal(db.engineHost, "db1.example");
        assert.equal(db.attachments[0].network, topology.networks[1].key);
        assert.deepEqual(computeReachability(topology), []);
        assert.deepEqual(reachabilityFromHost(topology).map((pair) => pair.to), ["web"]);
        const document = describeTopology(topology);
        assert.deepEqual(document.networks.map((n) => n.host), [undefined, "db1.example"]);
        assert.deepEqual(document.containers.map((c) => c.host), [undefined, "db1.example"]);
    });

    it("judges no overlap between networks of two hosts, and still judges each host's own", async () => {
        const local = resource(LOCAL_COMMAND, "local", { create: APP("10.40.0.0/24", "web") });
        const far = (name: string, create: string) => resource(REMOTE_COMMAND, name, { create, connection: { host: "db1.example" } });
        assert.deepEqual(await runPolicy("docker-network-no-overlap", [local, far("far", APP("10.40.0.0/25", "db"))]), []);
        // Two Commands on one remote host: their networks meet there.
        const twice = await runPolicy("docker-network-no-overlap", [local, far("far", APP("10.40.0.0/25", "db")), far("more", "docker network create --subnet 10.40.0.0/26 other")]);
        assert.equal(twice.length, 1);
        assert.match(twice[0].message, /host "db1\.example"/);
    });

    it("a remote script's --network app is not satisfied by a local docker.Network app", () => {
        const network = { urn: `urn:pulumi:s::p::${NETWORK_TYPE}::app`, type: NETWORK_TYPE, name: "app", parent: stack, props: { name: "app" } };
        const { topology, notJudged } = readResources([network, command("far", "docker run -d --name db --network app img", "db1.example")] as never, "29");
        assert.match(notJudged.map((e) => e.reason).join("\n"), /network app not found.*nothing in the stack creates it/);
        assert.deepEqual(topology.containers.flatMap((c) => c.attachments.map((a) => a.network)).filter((key) => key === network.urn), []);
    });

    it("reads ssh HOST docker … in a local script as that host's engine", () => {
        const lines = read(`${APP("10.40.0.0/24", "web")}\nssh ops@db1 docker network create app\nssh ops@db1 'docker run -d --name db --network app img'`);
        assert.deepEqual(lines.networks.map((n) => n.engineHost), [undefined, "db1"]);
        assert.deepEqual(lines.containers.map((c) => [c.dockerName, c.engineHost]), [["web", undefined], ["db", "db1"]]);
        assert.deepEqual(lines.notJudged, []);
    });

    it("reads docker -H, DOCKER_HOST and --context as another engine; a unix socket is the machine's own", () => {
        const lines = read("docker -H tcp://10.1.2.3:2376 network create app\nDOCKER_HOST=ssh://ops@db1 docker run -d --name a --network app img\ndocker --context prod run -d --name b img\ndocker -H unix:///var/run/docker.sock run -d --name c img");
        assert.deepEqual(lines.networks.map((n) => n.engineHost), ["10.1.2.3:2376"]);
        assert.deepEqual(lines.containers.map((c) => [c.dockerName, c.engineHost]), [["c", undefined], ["a", "db1"], ["b", "context prod"]]);
        assert.deepEqual(lines.containers.find((c) => c.dockerName === "b")!.attachments.map((a) => a.network), ["docker:default-bridge@context prod"]);
    });

    it("gives each remote host its own default bridge", () => {
        const { topology } = readResources([command("local", "docker run -d --name web img"), command("far", "docker run -d --name db img", "db1.example")] as never, "29");
        assert.deepEqual(topology.networks.map((n) => [n.key, n.engineHost]), [["docker:default-bridge", undefined], ["docker:default-bridge@db1.example", "db1.example"]]);
        assert.deepEqual(computeReachability(topology), []);
    });
});
