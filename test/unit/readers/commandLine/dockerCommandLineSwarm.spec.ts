import * as assert from "assert";
import fc from "fast-check";
import { csvRecord, isRefused, parseNetworkFlag } from "../../../../readers/commandLine/dockerCliArgs";
import { topologyFromCommandLines } from "../../../../readers/commandLine/dockerCommandLine";
import { parseServicePublish } from "../../../../readers/commandLine/dockerPublish";
import { applyNetworkConnections } from "../../../../readers/commandLine/networkConnections";
import { overlayEncrypted } from "../../../../topology/driverOptions";
import { topologyFromResources } from "../../../../readers/pulumi/fromPulumi";
import { ResourceView } from "../../../../readers/pulumi/resourceFields";
import { ContainerNode, DEFAULT_BRIDGE_KEY, NetworkNode, SWARM_INGRESS_KEY, UNKNOWN, defaultBridgeAttachment, routingMeshAttachment } from "../../../../topology/model";

const URN = "urn:pulumi:test::netguard-test::command:local:Command::swarm";
const source = { urn: URN, name: "swarm" };

function fromCreate(create: string) {
    return topologyFromCommandLines(source, [{ field: "create", text: create }]);
}

function onlyService(create: string): ContainerNode {
    const { containers, notJudged } = fromCreate(create);
    assert.strictEqual(containers.length, 1, `${JSON.stringify(containers)} ${JSON.stringify(notJudged)}`);
    return containers[0];
}

function onlyNetwork(create: string): NetworkNode {
    const { networks } = fromCreate(create);
    assert.strictEqual(networks.length, 1, JSON.stringify(networks));
    return networks[0];
}

const reasons = (create: string) => fromCreate(create).notJudged.map((entry) => entry.reason);

describe("topology/dockerCommandLine: swarm", () => {
    describe("docker service create", () => {
        it("turns the line into one service node with its replicas, networks, aliases and ports", () => {
            const service = onlyService(
                "docker service create -d --name api --replicas 3 --network name=back,alias=orders,alias=o2 --network front " +
                    "--publish published=8080,target=80 -p 9090:90/udp --endpoint-mode vip -e A=1 --label x=y netguard-probe:local sh -c 'sleep 1'",
            );
            assert.deepStrictEqual(service, {
                key: `${URN}#1`,
                resource: URN,
                name: "api",
                dockerName: "api",
                attachments: [
                    { reference: "back", network: undefined, aliases: ["orders", "o2"], ipv4Address: undefined, staticAddress: false },
                    { reference: "front", network: undefined, aliases: [], ipv4Address: undefined, staticAddress: false },
                    routingMeshAttachment(),
                ],
                links: [],
                declaredMultiHomed: false,
                origin: "command",
                ports: [
                    { internal: 80, external: 8080, protocol: "tcp" },
                    { internal: 90, external: 9090, protocol: "udp" },
                ],
                kind: "service",
                replicas: 3,
            });
        });

        it("asks for one task unless --replicas says otherwise, and leaves global modes' count to the swarm", () => {
            const replicas = (line: string) => onlyService(`docker service create ${line} img`).replicas;
            assert.strictEqual(replicas(""), 1);
            assert.strictEqual(replicas("--replicas=0"), 0);
            assert.strictEqual(replicas("--mode replicated-job --replicas 4"), 4);
            assert.strictEqual(replicas("--replicas 0x10"), 16, "pflag reads uint flags with base prefixes");
            assert.strictEqual(replicas("--replicas 1_000"), 1000);
            assert.strictEqual(replicas("--mode global"), UNKNOWN);
            assert.strictEqual(replicas("--mode global-job"), UNKNOWN);
            assert.strictEqual(replicas("--replicas $N"), UNKNOWN);
            assert.strictEqual(replicas("--mode $MODE --replicas 2"), UNKNOWN);
        });

        it("finds the image past options that take values, and stops there", () => {
            const service = onlyService(
                "docker service create --constraint node.role==manager --mount type=tmpfs,dst=/x --health-cmd true --stop-grace-period 5s " +
                    "-u 1000 -w /app --with-registry-auth --init -t img --network ignored --name ignored",
            );
            assert.deepStrictEqual([service.name, service.attachments.map((a) => a.network)], ["swarm line 1", [DEFAULT_BRIDGE_KEY]]);
        });

        it("puts a service without --network where Docker does: the routing mesh when it publishes in ingress mode, else the default bridge", () => {
            const meshed = onlyService("docker service create --name web -p 8080:80 img");
            assert.deepStrictEqual([meshed.attachments, meshed.networkMode], [[routingMeshAttachment()], undefined]);
            const hostMode = onlyService("docker service create --name lonely -p published=8080,target=80,mode=host img");
            assert.deepStrictEqual(hostMode.attachments, [defaultBridgeAttachment()]);
            assert.deepStrictEqual(onlyService("docker service create --name lonely img").attachments, [defaultBridgeAttachment()]);
            assert.deepStrictEqual(onlyService("docker service create $OPTS img").attachments.map((a) => a.reference), [UNKNOWN]);
        });

        it("adds the routing mesh next to the networks a publishing service names, and never reads --network bridge as docker0 (Docker refuses it)", () => {
            const web = onlyService("docker service create --network front -p 8080:80 -p published=9090,target=90,mode=host img");
            assert.deepStrictEqual(web.attachments.map((a) => [a.reference, a.network, a.routingMesh]), [["front", undefined, undefined], ["ingress", SWARM_INGRESS_KEY, true]]);
            const odd = onlyService("docker service create --network bridge img");
            assert.deepStrictEqual(odd.attachments.map((a) => [a.reference, a.network]), [["bridge", undefined]]);
        });

        it("keeps --network host and none as network modes, and an unknown network as a mode that may be one", () => {
            for (const mode of ["host", "none"]) {
                const service = onlyService(`docker service create --network ${mode} img`);
                assert.deepStrictEqual([service.networkMode, service.attachments], [mode, []], mode);
            }
            const hidden = onlyService("docker service create --network $NET img");
            assert.deepStrictEqual([hidden.networkMode, hidden.attachments.map((a) => a.reference)], [UNKNOWN, [UNKNOWN]]);
        });

        it("ignores ip= of the long syntax (the swarm assigns service addresses) and reads driver-opt", () => {
            const service = onlyService("docker service create --network name=back,ip=10.9.0.5,driver-opt=com.docker.network.endpoint.x=1 img");
            assert.deepStrictEqual(service.attachments.map((a) => [a.reference, a.ipv4Address, a.staticAddress]), [["back", undefined, false]]);
        });

        it("lists lines the docker CLI refuses, with its reason, and creates nothing for them", () => {
            const refused: [string, string][] = [
                ["--network a=b", "invalid field key a"],
                ["--network name=a,bogus=1", "invalid field key bogus"],
                ["--network name=a,driver-opt=x", "invalid key value pair format in driver options"],
                ["--network alias=a,alias=b", "network name/id is not specified"],
                ["--network 'na\"me=a'", 'bare " in non-quoted field'],
                ["--mode daemon", "Unknown mode: daemon"],
                ["--mode global --replicas 2", "replicas can only be used with replicated or replicated-job mode"],
                ["--replicas many", 'invalid argument "many" for "--replicas" flag'],
                ["--replicas -1", 'invalid argument "-1"'],
                ["-p 127.0.0.1:8080:80", "hostip is not supported"],
                ["-p target=80,foo=1", "invalid field key: foo"],
                ["-p published=8080", 'missing mandatory field "target"'],
                ["-p target=80,protocol=icmp", "invalid protocol value 'icmp'"],
                ["-p target=80,mode=bridge", "invalid publish mode value bridge"],
                ["-p published=8080-8081,target=80", "invalid published port (8080-8081)"],
                ["-p http", 'invalid port "http"'],
            ];
            for (const [flags, reason] of refused) {
                const { containers, notJudged } = fromCreate(`docker service create ${flags} img`);
                assert.deepStrictEqual(containers, [], flags);
                assert.strictEqual(notJudged.length, 1, flags);
                assert.ok(notJudged[0].reason.startsWith("the docker CLI refuses this command ("), notJudged[0].reason);
                assert.ok(notJudged[0].reason.includes(reason), `${flags}: ${notJudged[0].reason}`);
            }
        });

        it("lists unknown flags and unknown judged values, and keeps the service", () => {
            const { containers, notJudged } = fromCreate("docker service create --bogus x --name $NAME --replicas 2 img");
            assert.strictEqual(containers.length, 1);
            assert.deepStrictEqual(notJudged.map((entry) => entry.reason), [
                "unknown flag --bogus: the docker CLI refuses it, or is newer than this reader; the words after it may be misread",
                "--name is unknown ($NAME): rules that need it skip this command",
            ]);
            assert.deepStrictEqual(reasons("docker service create --publish $P --network $N img"), [
                "--publish is unknown ($P); --network is unknown ($N): rules that need these skip this command",
            ]);
        });

        it("declares a service once when update repeats create, and a container and a service of one name apart", () => {
            const line = "docker service create --name web --network front img";
            const { containers } = topologyFromCommandLines(source, [
                { field: "create", text: `${line}\ndocker run -d --name web --network front img` },
                { field: "update", text: `docker service rm web; ${line} ` },
            ]);
            assert.deepStrictEqual(containers.map((c) => [c.name, c.kind ?? "container"]), [["web", "service"], ["web", "container"]]);
        });

        it("never throws, whatever the line (property)", () => {
            const word = fc.constantFrom(
                "docker", "service", "create", "update", "--network", "--network-add", "--network-rm", "name=a,alias=b", "a=b", "--replicas", "2",
                "x", "--mode", "global", "-p", "8080:80", "target=80", "--publish", "$X", "'a,\"b'", ";", "--name", "-d", "--", "img",
            );
            fc.assert(
                fc.property(fc.array(word, { maxLength: 25 }), (words) => {
                    const result = fromCreate(words.join(" "));
                    applyNetworkConnections(result.containers, result.connections);
                }),
                { numRuns: 1000 },
            );
        });
    });

    describe("docker service update", () => {
        it("adds and removes networks of a service the same resource creates", () => {
            const { containers, connections } = fromCreate(
                "docker service create --name api --network front img\n" +
                    "docker service update --network-add name=back,alias=orders --network-rm front --replicas 2 api",
            );
            const [api] = applyNetworkConnections(containers, connections);
            assert.deepStrictEqual(api.attachments.map((a) => [a.reference, a.aliases]), [["back", ["orders"]]]);
        });

        it("moves a service off the default bridge when it gains a network, and back when it loses its last one", () => {
            const gains = fromCreate("docker service create --name api img\ndocker service update --network-add back api");
            assert.deepStrictEqual(applyNetworkConnections(gains.containers, gains.connections)[0].attachments.map((a) => a.reference), ["back"]);
            const loses = fromCreate("docker service create --name api --network front img\ndocker service update --network-rm front api");
            assert.deepStrictEqual(applyNetworkConnections(loses.containers, loses.connections)[0].attachments, [defaultBridgeAttachment()]);
            const meshed = fromCreate("docker service create --name web -p 80 --network front img\ndocker service update --network-rm front web");
            assert.deepStrictEqual(applyNetworkConnections(meshed.containers, meshed.connections)[0].attachments, [routingMeshAttachment()]);
        });

        it("connects a service, not a container of the same name", () => {
            const { containers, connections } = fromCreate(
                "docker run -d --name api --network front img\ndocker service create --name api --network front img\ndocker service update --network-add back api",
            );
            const nodes = applyNetworkConnections(containers, connections);
            assert.deepStrictEqual(nodes.map((n) => [n.kind ?? "container", n.attachments.map((a) => a.reference)]), [
                ["container", ["front"]],
                ["service", ["front", "back"]],
            ]);
        });

        it("gives a service nobody declares a node on the added network, with unknown replicas", () => {
            const { containers, connections } = fromCreate("docker service update --network-add back legacy");
            const [node] = applyNetworkConnections(containers, connections);
            assert.deepStrictEqual([node.name, node.kind, node.replicas, node.attachments.map((a) => a.reference)], ["legacy", "service", UNKNOWN, ["back"]]);
        });

        it("lists an update the CLI refuses, an unknown flag, and ignores a delete script's updates", () => {
            assert.deepStrictEqual(reasons("docker service update --network-add a=b api"), [
                "the docker CLI refuses this command (--network-add: invalid field key a): it creates nothing",
            ]);
            assert.deepStrictEqual(reasons("docker service update --network-ad back api"), [
                "unknown flag --network-ad: the docker CLI refuses it, or is newer than this reader; the words after it may be misread",
            ]);
            const deleted = topologyFromCommandLines(source, [{ field: "delete", text: "docker service update --network-rm $NET api" }]);
            assert.deepStrictEqual([deleted.connections, deleted.notJudged], [[], []]);
        });
    });

    describe("docker network create -d overlay", () => {
        it("makes a swarm network: attachable, encrypted, its IPAM, no ICC switch", () => {
            const network = onlyNetwork(
                "docker network create -d overlay --attachable --opt encrypted --subnet 10.21.1.0/24 --gateway 10.21.1.1 --ip-range 10.21.1.128/25 order",
            );
            assert.deepStrictEqual(network, {
                key: `${URN}#1`,
                resource: URN,
                name: "order",
                dockerName: "order",
                driver: "overlay",
                ipam: [{ subnet: "10.21.1.0/24", gateway: "10.21.1.1", ipRange: "10.21.1.128/25", auxAddresses: {} }],
                internal: false,
                interContainer: true,
                driverOptions: { encrypted: "" },
                defaultBridge: false,
                scope: "swarm",
                attachable: true,
                encrypted: true,
                ingress: false,
            });
        });

        it("encrypts when the option key is present, whatever its value, as libnetwork does", () => {
            const encrypted = (flags: string) => onlyNetwork(`docker network create --driver=overlay ${flags} n`).encrypted;
            for (const flags of ["-o encrypted", "-o encrypted=true", "-o encrypted=false", "--opt=encrypted=", "-oencrypted", "-o encrypted=$X"]) {
                assert.strictEqual(encrypted(flags), true, flags);
            }
            assert.strictEqual(encrypted(""), false);
            assert.strictEqual(encrypted("-o com.docker.network.driver.mtu=1400 -o encryption=true"), false);
        });

        it("counts an option whose name is hidden as encrypted: an unknown value never makes a violation (listed as not judged)", () => {
            const { networks, notJudged } = fromCreate("docker network create -d overlay -o $OPT n\ndocker network create $FLAGS -d overlay m");
            assert.deepStrictEqual(networks.map((n) => n.encrypted), [true, true]);
            assert.deepStrictEqual(notJudged.map((entry) => entry.line), [1, 2]);
        });

        it("reads --scope swarm, --ingress and a local network's absence of swarm fields", () => {
            assert.deepStrictEqual(
                [onlyNetwork("docker network create --scope swarm -d macvlan --config-from conf m")].map((n) => [n.driver, n.scope, n.encrypted]),
                [["macvlan", "swarm", false]],
            );
            const ingress = onlyNetwork("docker network create --ingress -d overlay --subnet 10.0.0.0/24 ingress");
            assert.deepStrictEqual([ingress.scope, ingress.ingress, ingress.attachable], ["swarm", true, false]);
            const local = onlyNetwork("docker network create --attachable -d bridge b");
            assert.deepStrictEqual([local.scope, local.attachable, local.encrypted, local.ingress], [undefined, undefined, undefined, undefined]);
        });

        it("keeps -o KEY without a value as the empty value the CLI gives it", () => {
            assert.deepStrictEqual(onlyNetwork("docker network create -o com.docker.network.bridge.enable_icc b").driverOptions, {
                "com.docker.network.bridge.enable_icc": "",
            });
        });
    });

    describe("docker stack deploy", () => {
        it("is listed as not judged: its compose file is not read", () => {
            const { containers, notJudged } = fromCreate("docker stack deploy -c stack.yml shop");
            assert.deepStrictEqual(containers, []);
            assert.match(notJudged[0].reason, /^docker stack deploy is not judged/);
        });
    });

    describe("in the topology of a stack (fromPulumi)", () => {
        it("resolves a service's --network to an overlay network a command line creates", () => {
            const setup: ResourceView = {
                urn: URN,
                type: "command:local:Command",
                name: "swarm",
                props: {
                    create: "docker network create -d overlay -o encrypted --subnet 10.21.1.0/24 --gateway 10.21.1.1 order\ndocker service create --name db --network order img",
                },
            };
            const topology = topologyFromResources([setup]);
            assert.deepStrictEqual(topology.networks.map((n) => [n.key, n.scope]), [[`${URN}#1`, "swarm"]]);
            assert.deepStrictEqual(topology.containers.map((c) => [c.kind, c.attachments.map((a) => a.network)]), [["service", [`${URN}#1`]]]);
        });
    });
});

describe("topology/dockerCliArgs: the long syntax", () => {
    it("reads one CSV record as Go's encoding/csv does", () => {
        assert.deepStrictEqual(csvRecord("a,b,c"), ["a", "b", "c"]);
        assert.deepStrictEqual(csvRecord('name=a,"alias=b,c"'), ["name=a", "alias=b,c"]);
        assert.deepStrictEqual(csvRecord('"say ""hi""",'), ['say "hi"', ""]);
        for (const bad of ['a"b', '"a"b', '"open']) assert.ok(isRefused(csvRecord(bad)), bad);
    });

    it("reads --network as a name unless the long syntax matches anywhere in it", () => {
        assert.deepStrictEqual(parseNetworkFlag({ text: "my-net", known: true }), { reference: "my-net", aliases: [], driverOptions: {} });
        assert.deepStrictEqual(parseNetworkFlag({ text: " name = a ", known: true }), { reference: " name = a ", aliases: [], driverOptions: {} });
        assert.deepStrictEqual(parseNetworkFlag({ text: " name= a ,alias=b ", known: true }), { reference: "a", aliases: ["b"], driverOptions: {} });
        assert.deepStrictEqual(parseNetworkFlag({ text: "name=a,gw-priority=5,mac-address=x,link-local-ip=y,ip6=z", known: true }), {
            reference: "a",
            aliases: [],
            ip6: "z",
            driverOptions: {},
        });
    });

    it("makes docker run refuse a malformed long syntax as the CLI does, and read a good one", () => {
        const refused = fromCreate("docker run --network name=a,bogus=1 img");
        assert.deepStrictEqual(refused.containers, []);
        assert.deepStrictEqual(refused.notJudged.map((entry) => entry.reason), [
            "the docker CLI refuses this command (--network: invalid field key bogus): it creates nothing",
        ]);
        const [container] = fromCreate('docker run --network \'name=a,"alias=x,y",ip=10.1.0.5\' img').containers;
        assert.deepStrictEqual(container.attachments.map((a) => [a.reference, a.aliases, a.ipv4Address]), [["a", ["x,y"], "10.1.0.5"]]);
    });

        it("reads a service's --publish short and long", () => {
        assert.deepStrictEqual(parseServicePublish("8080-8081:80"), [
            { internal: 80, external: 8080, protocol: "tcp" },
            { internal: 80, external: 8081, protocol: "tcp" },
        ]);
        assert.deepStrictEqual(parseServicePublish("80"), [{ internal: 80, protocol: "tcp" }], "the swarm picks the published port");
        assert.deepStrictEqual(parseServicePublish("published=0,target=53,protocol=udp,mode=host"), [{ internal: 53, protocol: "udp", publishMode: "host" }]);
        assert.deepStrictEqual(parseServicePublish("published=53,target=53,mode=ingress"), [{ internal: 53, external: 53, protocol: "tcp" }], "ingress: the default, not written");
    });
});

describe("topology/driverOptions: overlayEncrypted", () => {
    it("is the presence of the key", () => {
        assert.strictEqual(overlayEncrypted(undefined), false);
        assert.strictEqual(overlayEncrypted({}), false);
        assert.strictEqual(overlayEncrypted({ encrypted: undefined }), false);
        assert.strictEqual(overlayEncrypted({ encrypted: "" }), true);
        assert.strictEqual(overlayEncrypted({ encrypted: "false" }), true);
        assert.strictEqual(overlayEncrypted({ encrypted: UNKNOWN }), true);
        assert.strictEqual(overlayEncrypted({ ENCRYPTED: "true" }), false);
    });
});
