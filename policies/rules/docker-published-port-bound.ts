import { autoPortCollision, hostBindings, publishesAllOnEveryInterface } from "../../topology/hostBindings";
import { GATEWAY_MODE_OPTIONS, gatewayModeRoutesDirectly, portsReachedAtContainerAddress } from "../../topology/engineSemantics";
import { NetworkNode, PublishedPort, Topology, isKnown, publishedOnAllInterfaces, semanticsOf, workloadKind } from "../../topology/model";
import { declarationOf, describeContainer, describeNetwork } from "../describe";
import { Finding, Rule, noSettings } from "../rule";
import { cisDocker, DOCKER_DOCS, RuleDoc } from "../ruleDoc";

function describePort(port: PublishedPort): string {
    return `${port.ip ?? "(no address: every interface)"}:${port.external ?? "(a port Docker picks)"} -> ${port.internal}/${port.protocol}`;
}

const doc: RuleDoc = {
    summary:
        "Published ports should be bound to a specific host address: a port published on all host interfaces (0.0.0.0, ::) is reachable from every network the host is on.",
    topic: "ports published on every interface",
    reports:
        "A port published on every host interface: a `ports` entry without `ip` (the provider binds `0.0.0.0`) or with `0.0.0.0`/`::`, " +
        "`-p 8080:80` or `-p 0.0.0.0:8080:80` on `docker run`/`docker create`, `-P` (`publishAllPorts`), a live binding on `0.0.0.0`/`::`; and a swarm service's " +
        "published port, which the routing mesh opens on every interface of every node. On Docker 28 and later (the default semantics), also " +
        "a bridge network whose `com.docker.network.bridge.gateway_mode_ipv4` (or `_ipv6`) is `routed` or `nat-unprotected`: Docker then " +
        "routes to its containers' own addresses with no NAT: `routed` opens their published ports there and " +
        "`nat-unprotected` every port, published or not (Docker 20.10 ignores the option). Ports are judged as Docker binds them: none for a " +
        "container whose every network is internal or in network mode `host`, the address of the publishing network's " +
        "`com.docker.network.bridge.host_binding_ipv4` for a port written without one, and no IPv4 host address in a `routed` gateway " +
        "mode (28+). On Docker 28+, also a container that publishes one port twice on overlapping host addresses with the host port left to " +
        "Docker (`-p 80 -p 127.0.0.1::80`): Docker picks one port for both and refuses to start it. Advisory by default, the one policy of the pack " +
        'that is, since publishing a public service is sometimes the point: make it blocking with `{"docker-published-port-bound": "mandatory"}`.',
    rationale:
        "Docker forwards a published port from every host address it is bound to, with packet-filter rules of its own. Bound to every " +
        "interface, the port is reachable from every network the host is on (the LAN, a VPN, the internet), past the isolation of " +
        "user-defined networks. Bound to one address (`127.0.0.1` behind a local reverse proxy, an internal interface), it is reachable " +
        "only there.",
    references: [
        cisDocker("5.14", "Ensure that incoming container traffic is bound to a specific host interface", "5.13"),
        cisDocker("7.2", "Ensure that swarm services are bound to a specific host interface", "7.3"),
        DOCKER_DOCS.bridge,
    ],
    compose: {
        reports:
            "`ports:` in the short (`\"8080:80\"`) or long syntax without a host address (`host_ip`), which Docker binds on every interface. " +
            "`expose:` publishes nothing and is not reported.",
        example:
            "services:\n" +
            "  web:\n" +
            "    image: nginx:1.27-alpine\n" +
            "    ports:\n" +
            "      - \"8080:80\"",
    },
    examples: {
        bad: {
            docker:
                "docker network create --subnet 10.20.1.0/24 --gateway 10.20.1.1 app\n" +
                "docker run -d --name web --network app -p 8080:80 nginx:1.27-alpine",
        },
        good: {
            docker:
                "docker network create --subnet 10.20.1.0/24 --gateway 10.20.1.1 app\n" +
                "docker run -d --name web --network app -p 127.0.0.1:8080:80 nginx:1.27-alpine",
        },
    },
};

/** `docker-published-port-bound`: see {@link doc}. */
export const dockerPublishedPortBound: Rule = {
    name: "docker-published-port-bound",
    description: doc.summary,
    doc,
    scope: "resource",
    defaultLevel: "advisory",
    readConfig: noSettings,
    judgesLiveState: true,
    check(topology: Topology): Finding[] {
        return [...routedNetworks(topology), ...publishingContainers(topology), ...collidingContainers(topology)];
    },
};

/** The gateway mode options of a network that expose its containers directly (Docker 28+ honours them). */
function directlyRoutedModes(network: NetworkNode, topology: Topology): string[] {
    return GATEWAY_MODE_OPTIONS.flatMap((option) => {
        const mode = network.driverOptions?.[option];
        return mode !== undefined && isKnown(mode) && gatewayModeRoutesDirectly(semanticsOf(topology), mode) ? [`${option}=${mode}`] : [];
    });
}

/** Bridge networks in a routed gateway mode: every container port is a published one, on the container's own address. */
function routedNetworks(topology: Topology): Finding[] {
    return topology.networks.flatMap((network) => {
        const modes = directlyRoutedModes(network, topology);
        if (modes.length === 0) return [];
        return [
            {
                subject: network,
                message:
                    `${describeNetwork(network)} sets ${modes.join(" and ")}: Docker routes to its containers' own addresses without NAT, ` +
                    `so anything that can route to the network's subnet through the host reaches ${opensEveryPort(network, topology) ? "every port of its containers, published or not" : "their published ports there"}, whatever other networks isolate them. ` +
                    "Leave the gateway mode at its default (nat) and publish only the ports that should serve, bound to one host address.",
            },
        ];
    });
}

/** True when a gateway mode of the network (as the topology's engine reads it) opens its containers' unpublished ports too. */
function opensEveryPort(network: NetworkNode, topology: Topology): boolean {
    return GATEWAY_MODE_OPTIONS.some((option) => {
        const mode = network.driverOptions?.[option];
        return mode !== undefined && isKnown(mode) && portsReachedAtContainerAddress(semanticsOf(topology), mode) === "all";
    });
}

function publishingContainers(topology: Topology): Finding[] {
        return topology.containers.flatMap((container) => {
            const open = hostBindings(container, topology).filter(publishedOnAllInterfaces).map(describePort);
            const all = publishesAllOnEveryInterface(container, topology);
            if (all) open.push("every port its image exposes (-P, publishAllPorts), on ports Docker picks");
            if (open.length === 0) return [];
            const count = open.length === 1 && !all ? "a port" : `${all ? "" : `${open.length} `}ports`;
            if (workloadKind(container) === "service") {
                return [
                    {
                        subject: container,
                        message:
                            `${describeContainer(container)} publishes ${open.length === 1 ? "a port" : `${open.length} ports`} on every interface of ${open.length === 1 ? "its" : "their"} swarm nodes: ${open.join(", ")}. ` +
                            "Anything that reaches any node of the swarm on any of its addresses reaches the service (the routing mesh forwards it), whatever networks isolate it. " +
                            "A service cannot bind a published port to one address (neither the routing mesh nor mode host takes one): do not publish it, " +
                            "and reach it over an overlay network from a container that publishes on one host address (a reverse proxy), or accept it at this policy's advisory level.",
                    },
                ];
            }
            const declaration = declarationOf(container);
            const how =
                declaration === "compose"
                    ? "a host_ip in its ports: entry (e.g. \"127.0.0.1:8080:80\")"
                    : declaration === "command"
                      ? "-p IP:HOST_PORT:CONTAINER_PORT"
                      : "the port's ip (e.g. ip: \"127.0.0.1\")";
            return [
                {
                    subject: container,
                    message:
                        `${describeContainer(container)} publishes ${count} on every host interface: ${open.join(", ")}. ` +
                        "Anything that reaches the host on any of its addresses reaches the container, whatever networks isolate it. " +
                        `Bind the port to the one host address that should serve it with ${how}, or do not publish it.`,
                },
            ];
        });
}

/** Containers Docker 28+ does not start: two bindings that leave the host port to Docker get one port, on overlapping addresses. */
function collidingContainers(topology: Topology): Finding[] {
    return topology.containers.flatMap((container) => {
        const collision = autoPortCollision(container, topology);
        if (collision === undefined) return [];
        return [
            {
                subject: container,
                message:
                    `${describeContainer(container)} publishes one port twice on overlapping host addresses, each on a host port Docker picks: ` +
                    `Docker 28+ picks one port for both and refuses to start the container ("${collision}"). Give each binding its own host port, or drop one.`,
            },
        ];
    });
}
