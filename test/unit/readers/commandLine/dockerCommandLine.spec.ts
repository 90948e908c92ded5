import * as assert from "assert";
import fc from "fast-check";
import { CommandScript, topologyFromCommandLines } from "../../../../readers/commandLine/dockerCommandLine";
import { parsePublish } from "../../../../readers/commandLine/dockerPublish";
import { NETWORK_BEFORE_CONNECT, applyNetworkConnections } from "../../../../readers/commandLine/networkConnections";
import { topologyFromResources } from "../../../../readers/pulumi/fromPulumi";
import { ResourceView } from "../../../../readers/pulumi/resourceFields";
import { ContainerNode, DEFAULT_BRIDGE_KEY, UNKNOWN } from "../../../../topology/model";

const URN = "urn:pulumi:test::netguard-test::command:local:Command::setup";
const source = { urn: URN, name: "setup" };

function fromCreate(create: string, env?: Map<string, string>) {
    return topologyFromCommandLines(source, [{ field: "create", text: create }], env);
}

function onlyContainer(create: string): ContainerNode {
    const { containers } = fromCreate(create);
    assert.strictEqual(containers.length, 1, JSON.stringify(containers));
    return containers[0];
}

function command(name: string, props: Record<string, unknown>): ResourceView {
    return { urn: `urn:pulumi:test::netguard-test::command:local:Command::${name}`, type: "command:local:Command", name, props };
}

describe("topology/dockerCommandLine", () => {
    describe("docker run / create", () => {
        it("turns a docker run line into a container node", () => {
            const container = onlyContainer(
                "docker run -dit --rm --name web --network app --network-alias www --alias w2 --ip 10.20.1.5 --link db:database -p 80:80 nginx:alpine",
            );
            assert.deepStrictEqual(container, {
                key: `${URN}#1`,
                resource: URN,
                name: "web",
                dockerName: "web",
                networkMode: "app",
                attachments: [{ reference: "app", network: undefined, aliases: ["www", "w2"], ipv4Address: "10.20.1.5", staticAddress: true }],
                links: [{ target: "db", alias: "database" }],
                declaredMultiHomed: false,
                origin: "command",
                ports: [{ internal: 80, external: 80, protocol: "tcp" }],
            });
        });

        it("reads -p/--publish as Docker does: [IP:][HOST:]CONTAINER[/PROTO], bracketed IPv6, pairwise ranges", () => {
            const ip = fc.constantFrom(undefined, "127.0.0.1", "0.0.0.0", "10.1.2.3", "::1", "::");
            const port = fc.integer({ min: 1, max: 65535 });
            const spec = fc.record({ ip, external: fc.option(port, { nil: undefined }), internal: port, protocol: fc.constantFrom(undefined, "tcp", "udp", "sctp") });
            fc.assert(
                fc.property(spec, ({ ip, external, internal, protocol }) => {
                    const host = ip === undefined ? "" : ip.includes(":") ? `[${ip}]:` : `${ip}:`;
                    const text = `${host}${external ?? (ip === undefined ? "" : "")}${external !== undefined || ip !== undefined ? ":" : ""}${internal}${protocol ? `/${protocol}` : ""}`;
                    assert.deepStrictEqual(parsePublish(text), [
                        { internal, ...(external === undefined ? {} : { external }), ...(ip === undefined ? {} : { ip }), protocol: protocol ?? "tcp" },
                    ], text);
                }),
            );
            assert.deepStrictEqual(parsePublish("8000-8001:80-81/udp")?.map((p) => [p.external, p.internal, p.protocol]), [[8000, 80, "udp"], [8001, 81, "udp"]]);
            assert.deepStrictEqual(parsePublish("8000-8010:80"), [{ internal: 80, protocol: "tcp" }], "Docker picks the host port from the range");
            for (const bad of ["", "http", "80:http", "0", "70000", "80/icmp", "8000-8001:80-82", "[::1:80", "1.2.3.4:[::1]:80:80"]) {
                assert.strictEqual(parsePublish(bad), undefined, bad);
            }
        });

        it("puts a container without --network (or with bridge/default) on the default bridge", () => {
            for (const line of ["docker run nginx", "docker run --network bridge nginx", "docker create --net=default nginx"]) {
                assert.deepStrictEqual(onlyContainer(line).attachments.map((a) => a.network), [DEFAULT_BRIDGE_KEY], line);
            }
        });

        it("keeps host, none and container:… as network mode, with no attachment", () => {
            for (const mode of ["host", "none", "container:db"]) {
                const container = onlyContainer(`docker run --network=${mode} nginx`);
                assert.strictEqual(container.networkMode, mode);
                assert.deepStrictEqual(container.attachments, []);
            }
        });

        it("reads every spelling docker accepts", () => {
            const lines = [
                "docker container run --network app img",
                "docker container create --network app img",
                "/usr/bin/docker -H unix:///var/run/docker.sock --log-level warn run --network app img",
                "sudo docker --context prod run -d -p8080:80 -e X=1 --network app img",
                "docker run -dp 80:80 --network app img",
            ];
            for (const line of lines) assert.deepStrictEqual(onlyContainer(line).attachments.map((a) => a.reference), ["app"], line);
            assert.deepStrictEqual(fromCreate("docker ps; docker network ls; docker container ls; docker-compose up").containers, []);
        });

        it("reads Docker 25's --network name=…,alias=…,ip=… and several --network flags", () => {
            const container = onlyContainer("docker run --network name=front,alias=web,ip=10.1.0.5 --network back img");
            assert.deepStrictEqual(
                container.attachments.map((a) => [a.reference, a.aliases, a.ipv4Address]),
                [["front", ["web"], "10.1.0.5"], ["back", [], undefined]],
            );
        });

        it("stops at the image: the container's own arguments are not docker's", () => {
            const container = onlyContainer("docker run --network app busybox sh -c 'ping --link x' --network host");
            assert.deepStrictEqual([container.networkMode, container.links], ["app", []]);
        });

        it("names an unnamed container after its command resource and line", () => {
            const { containers } = topologyFromCommandLines(source, [
                { field: "create", text: "set -e\ndocker run img && docker run img2" },
                { field: "update", text: "docker run img3" },
            ]);
            assert.deepStrictEqual(containers.map((c) => [c.key, c.name, c.dockerName]), [
                [`${URN}#2`, "setup line 2", undefined],
                [`${URN}#3`, "setup line 2 (2)", undefined],
                [`${URN}#4`, "setup line 3", undefined],
            ]);
        });

        it("declares a container once when update repeats create", () => {
            const line = "docker run -d --name web --network app nginx";
            const scripts: CommandScript[] = [{ field: "create", text: line }, { field: "update", text: `docker rm -f web; ${line}` }];
            assert.strictEqual(topologyFromCommandLines(source, scripts).containers.length, 1);
        });

        it("leaves what hides behind unknown expansions unknown", () => {
            const container = onlyContainer("docker run --name $NAME --network $NET --ip=$IP img");
            assert.deepStrictEqual(
                [container.name, container.dockerName, container.networkMode, container.attachments[0].reference, container.attachments[0].ipv4Address],
                ["setup line 1", UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN],
            );
            // An unknown word among the options may carry --network: not the default bridge, not known either.
            assert.deepStrictEqual(onlyContainer("docker run $OPTS -d img").attachments.map((a) => [a.reference, a.network]), [[UNKNOWN, undefined]]);
            assert.deepStrictEqual(onlyContainer("docker run -d $IMAGE").attachments.map((a) => a.network), [DEFAULT_BRIDGE_KEY]);
            assert.deepStrictEqual(topologyFromCommandLines(source, [{ field: "create", text: UNKNOWN }]).containers, []);
        });

        it("expands the environment it is given", () => {
            const { containers } = fromCreate('docker run --name "$NAME" --network $NET img', new Map([["NAME", "web"], ["NET", "app"]]));
            assert.deepStrictEqual([containers[0].name, containers[0].attachments[0].reference], ["web", "app"]);
        });
    });

    describe("docker network create", () => {
        it("turns the line into a network node", () => {
            const { networks } = fromCreate(
                "docker network create -d bridge --subnet 10.20.1.0/24 --gateway 10.20.1.1 --ip-range=10.20.1.128/25 " +
                    "--aux-address router=10.20.1.2 --internal -o com.docker.network.bridge.enable_icc=false app",
            );
            assert.deepStrictEqual(networks, [
                {
                    key: `${URN}#1`,
                    resource: URN,
                    name: "app",
                    dockerName: "app",
                    driver: "bridge",
                    ipam: [{ subnet: "10.20.1.0/24", gateway: "10.20.1.1", ipRange: "10.20.1.128/25", auxAddresses: { router: "10.20.1.2" } }],
                    internal: true,
                    interContainer: false,
                    driverOptions: { "com.docker.network.bridge.enable_icc": "false" },
                    defaultBridge: false,
                },
            ]);
        });

        it("pairs each gateway and range with the subnet that holds it; the CLI refuses one that fits none (Docker's truth, oracle)", () => {
            const [network] = fromCreate("docker network create -d overlay --subnet 10.1.0.0/24 --subnet 10.2.0.0/24 --gateway 10.2.0.1 --ip-range 10.1.0.0/25 two").networks;
            assert.deepStrictEqual(network.ipam.map((b) => [b.subnet, b.gateway, b.ipRange]), [
                ["10.1.0.0/24", undefined, "10.1.0.0/25"],
                ["10.2.0.0/24", "10.2.0.1", undefined],
            ]);
            const stray = fromCreate("docker network create --subnet 10.1.0.0/24 --gateway 10.9.0.1 two");
            assert.deepStrictEqual([stray.networks, stray.notJudged.map((n) => n.reason)], [[], ["the docker CLI refuses this command (no matching subnet for gateway 10.9.0.1): it creates nothing"]]);
            assert.match(fromCreate("docker network create --gateway 10.0.0.1 x").notJudged[0].reason, /every ip-range or gateway must have a corresponding subnet/);
            assert.deepStrictEqual(fromCreate("docker network create x").networks[0].ipam, []);
        });

        it("reads defaults and flags set to false", () => {
            const [network] = fromCreate("docker network create --internal=false --driver overlay --attachable x").networks;
            assert.deepStrictEqual([network.driver, network.internal, network.interContainer], ["overlay", false, true]);
        });
    });

    describe("docker network connect / disconnect", () => {
        it("adds an attachment to a container the same resource runs", () => {
            const { containers, connections } = fromCreate("docker run -d --name web --network front img\ndocker network connect --alias api --ip 10.2.0.5 back web");
            const [web] = applyNetworkConnections(containers, connections);
            assert.deepStrictEqual(web.attachments.map((a) => [a.reference, a.aliases, a.ipv4Address]), [
                ["front", [], undefined],
                ["back", ["api"], "10.2.0.5"],
            ]);
        });

        it("refuses, as Docker does (oracle), to connect a named container nothing in the stack creates: no node, listed as not judged", () => {
            const { containers, connections } = fromCreate("docker network connect --link db:db back legacy");
            const reasons: string[] = [];
            assert.deepStrictEqual(applyNetworkConnections(containers, connections, (_, reason) => reasons.push(reason)), []);
            assert.match(reasons[0], /No such container: legacy/);
        });

        it("gives a container whose name is unknown a node of its own, on its unknown first network and the connected one", () => {
            const { containers, connections } = fromCreate("docker network connect back $WHO");
            const [node] = applyNetworkConnections(containers, connections);
            assert.deepStrictEqual([node.key, node.name, node.resource], [`${URN}#1`, "setup line 1", URN]);
            assert.deepStrictEqual(node.attachments.map((a) => a.reference), [NETWORK_BEFORE_CONNECT, "back"]);
        });

        it("undoes a connection with disconnect, except in the delete script", () => {
            const run = "docker run -d --name web img\ndocker network connect app web\ndocker network disconnect bridge web";
            const created = topologyFromCommandLines(source, [{ field: "create", text: run }, { field: "delete", text: "docker network disconnect -f app web" }]);
            const [web] = applyNetworkConnections(created.containers, created.connections);
            assert.deepStrictEqual(web.attachments.map((a) => a.reference), ["app"]);
        });
    });

    describe("in the topology of a stack (fromPulumi)", () => {
        const network = (name: string): ResourceView => ({
            urn: `urn:pulumi:test::netguard-test::docker:index/network:Network::${name}-net`,
            type: "docker:index/network:Network",
            name: `${name}-net`,
            props: { name, ipamConfigs: [{ subnet: "10.20.1.0/24", gateway: "10.20.1.1" }] },
        });

        it("resolves --network names to docker.Network resources and to networks created on command lines", () => {
            const setup = command("setup", {
                create: "docker network create --subnet 10.30.0.0/24 --gateway 10.30.0.1 back\ndocker run -d --name web --network $NET img\ndocker network connect back web",
                environment: { NET: "front" },
            });
            const topology = topologyFromResources([network("front"), setup]);
            assert.deepStrictEqual(topology.networks.map((n) => n.key), [network("front").urn, `${setup.urn}#1`]);
            assert.deepStrictEqual(topology.containers[0].attachments.map((a) => a.network), [network("front").urn, `${setup.urn}#1`]);
        });

        it("connects a docker.Container that another resource declares, by its Docker name", () => {
            const web: ResourceView = {
                urn: "urn:pulumi:test::netguard-test::docker:index/container:Container::web",
                type: "docker:index/container:Container",
                name: "web",
                props: { name: "web-1", networksAdvanced: [{ name: "front" }] },
            };
            const topology = topologyFromResources([network("front"), network("back"), web, command("connect", { create: "docker network connect back web-1" })]);
            assert.strictEqual(topology.containers.length, 1);
            assert.deepStrictEqual(topology.containers[0].attachments.map((a) => a.network), [network("front").urn, network("back").urn]);
        });

        it("adds the default bridge when a command line lands there", () => {
            const topology = topologyFromResources([command("setup", { create: "docker run img" })]);
            assert.deepStrictEqual(topology.networks.map((n) => n.key), [DEFAULT_BRIDGE_KEY]);
        });
    });

    describe("commands read as a shell runs them", () => {
        it("reads no docker line out of a heredoc of data, and every one a shell, sudo or timeout runs", () => {
            const { containers, networks } = fromCreate(
                "cat > README <<EOF\ndocker run --link db old\nEOF\nsudo bash <<'EOF'\ndocker network create app\nEOF\ntimeout 30 docker run --name web --network app img",
            );
            assert.deepStrictEqual(networks.map((n) => n.name), ["app"]);
            assert.deepStrictEqual(containers.map((c) => [c.name, c.links]), [["web", []]]);
        });

        it("knows a network assigned earlier in the script", () => {
            const container = onlyContainer("NET=app\ndocker run --name web --network $NET img");
            assert.deepStrictEqual(container.attachments.map((a) => a.reference), ["app"]);
        });
    });

    describe("what cannot be judged", () => {
        const reasons = (create: string, env?: Map<string, string>) =>
            fromCreate(create, env).notJudged.map(({ line, excerpt, reason }) => `${line} ${excerpt}: ${reason}`);

        it("lists docker lines whose judged values are unknown, and not those that are known", () => {
            assert.deepStrictEqual(reasons("docker run --network $NET --ip=${IP} img\ndocker network connect $NET2 web"), [
                "1 docker run --network $NET --ip=${IP} img: --network is unknown ($NET); --ip is unknown (--ip=${IP}): rules that need these skip this command",
                "2 docker network connect $NET2 web: the network is unknown ($NET2): rules that need it skip this command",
            ]);
            assert.deepStrictEqual(reasons("docker run --network $NET img", new Map([["NET", "app"]])), []);
            assert.deepStrictEqual(reasons("docker network create --subnet $SUBNET app"), [
                "1 docker network create --subnet $SUBNET app: --subnet is unknown ($SUBNET): rules that need it skip this command",
            ]);
        });

        it("treats an unquoted unknown word among the options as options it cannot see", () => {
            const { containers, networks, notJudged } = fromCreate("docker run $OPTS --name web img\ndocker network create $EXTRA --subnet 10.9.0.0/24 app");
            assert.deepStrictEqual(containers[0].attachments.map((a) => a.reference), [UNKNOWN]);
            assert.deepStrictEqual(networks[0].ipam, [{ subnet: "10.9.0.0/24", gateway: UNKNOWN, auxAddresses: {} }]);
            assert.deepStrictEqual(notJudged.map((entry) => entry.reason), [
                "options may hide in $OPTS: rules that need it skip this command",
                "options may hide in $EXTRA: rules that need it skip this command",
            ]);
        });

        it("lists unknown subcommands, unknown programs and unknown scripts", () => {
            assert.deepStrictEqual(reasons("docker $VERB --network app img; docker network $OP app x; $DOCKER run img"), [
                "1 $DOCKER run img: the program it runs is unknown ($DOCKER)",
                "1 docker $VERB --network app img: the docker subcommand is unknown ($VERB)",
                "1 docker network $OP app x: the docker subcommand is unknown ($OP)",
            ]);
            assert.deepStrictEqual(topologyFromCommandLines(source, [{ field: "update", text: UNKNOWN }]).notJudged, [
                { resource: URN, name: "setup", field: "update", line: null, excerpt: "", reason: "the update script is unknown until other resources exist" },
            ]);
        });

        it("counts lines on through update and delete, and lists a line repeated in update once", () => {
            const scripts: CommandScript[] = [
                { field: "create", text: "docker run --network $NET a\necho" },
                { field: "update", text: "docker run --network $NET a" },
                { field: "delete", text: "$CLEANUP" },
            ];
            const { notJudged } = topologyFromCommandLines(source, scripts);
            assert.deepStrictEqual(notJudged.map((entry) => [entry.field, entry.line]), [["create", 1], ["delete", 4]]);
        });

        it("lists podman lines instead of reading them as Docker's", () => {
            const { containers, networks, connections, notJudged } = fromCreate(
                "podman network create --subnet 10.5.0.0/24 pn\npodman run -d --link x img\npodman container run --network pn img\npodman network connect pn c\npodman ps",
            );
            assert.deepStrictEqual([containers, networks, connections], [[], [], []]);
            assert.deepStrictEqual(notJudged.map((entry) => entry.line), [1, 2, 3, 4]);
            assert.ok(notJudged.every((entry) => /^podman is not judged/.test(entry.reason)));
        });
    });

    it("never throws, whatever the script (property)", () => {
        const word = fc.constantFrom("docker", "run", "create", "network", "connect", "disconnect", "container", "--network", "--net=host", "--name", "x", "--subnet", "10.0.0.0/24", "--gateway", "--ip", "--link", "-d", "-o", "$X", "'a b'", ";", "&&", "\\\n", "--", "=");
        fc.assert(
            fc.property(fc.array(word, { maxLength: 30 }), (words) => {
                const result = fromCreate(words.join(" "));
                applyNetworkConnections(result.containers, result.connections);
            }),
            { numRuns: 2000 },
        );
    });
});
