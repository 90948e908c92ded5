import { ContainerNode, isDefaultBridgeKey, Topology, isKnown, workloadKind } from "../../topology/model";
import { declarationOf, describeContainer } from "../describe";
import { Finding, Rule, noSettings } from "../rule";
import { DOCKER_DOCS, RuleDoc, cisDocker } from "../ruleDoc";

/** How to get off the default bridge, in the words of where the workload was declared. */
function howToFix(container: ContainerNode): string {
    if (declarationOf(container) === "compose") {
        return "Drop network_mode: bridge and put the service on a network of the project (networks:, with an ipam.config subnet), as Compose does by default.";
    }
    if (workloadKind(container) === "service") {
        return container.origin === "command"
            ? "Give it --network <an overlay network> (one created with docker network create -d overlay --subnet … --gateway …)."
            : 'Put it on a swarm-scope IsolatedServiceNet (scope: "swarm"), or name an overlay network of the stack in its taskSpec.networksAdvanceds.';
    }
    return container.origin === "command"
        ? "Give it --network <a user-defined network> (one created with docker network create --subnet … --gateway …, or an IsolatedServiceNet), not bridge."
        : "Attach it to an IsolatedServiceNet, or give it networksAdvanced on a user-defined network.";
}

/** What put it there, when written: the network mode. */
function how(container: ContainerNode): string {
    const mode = container.networkMode !== undefined && isKnown(container.networkMode) ? container.networkMode : undefined;
    if (mode === undefined) return "";
    if (declarationOf(container) === "compose") return ` (network_mode: ${mode})`;
    return container.origin === "command" ? ` (--network ${mode})` : ` (networkMode "${mode}")`;
}

const doc: RuleDoc = {
    summary:
        "Containers (and swarm services' tasks) must not use Docker's default bridge: there they reach every other container by IP and cannot resolve names.",
    topic: "Docker's default bridge",
    reports:
        "A container that lands on Docker's default bridge, in any way: no network at all, `networkMode` `bridge`/`default` without " +
        "`networksAdvanced`, a `networksAdvanced` entry naming `bridge`, a `docker run`/`docker create` without `--network` (or with " +
        "`--network bridge`), or `docker network connect bridge …`. A swarm service's tasks are containers too: a service that names no " +
        "network and publishes no port through the routing mesh runs its tasks on their node's default bridge, and this policy (not " +
        "`docker-service-user-network`) reports it.",
    rationale:
        "Every container started without a network joins the default bridge (`docker0`), so unrelated stacks, services and containers " +
        "share one segment and reach each other by IP on every port. Names do not resolve there (only legacy `--link`s make them), and " +
        "its settings are the daemon's, shared by all. A user-defined network confines a container to the containers on it and gives " +
        "them DNS names and aliases.",
    references: [
        cisDocker("5.30", "Ensure that Docker's default bridge 'docker0' is not used", "5.29"),
        cisDocker("2.2", "Ensure network traffic is restricted between containers on the default bridge"),
        DOCKER_DOCS.bridge,
    ],
    compose: {
        reports:
            "`network_mode: bridge` on a service. Compose's default is the project's own network (`<project>_default`), so only that mode puts " +
            "a service's containers on `docker0`.",
        example:
            "services:\n" +
            "  web:\n" +
            "    image: nginx:1.27-alpine\n" +
            "    network_mode: bridge",
    },
    examples: {
        bad: { docker: "docker run -d --name web nginx:1.27-alpine" },
        good: {
            docker:
                "docker network create --subnet 10.20.1.0/24 --gateway 10.20.1.1 app\n" +
                "docker run -d --name web --network app nginx:1.27-alpine",
        },
    },
};

/** `docker-no-default-bridge`: see {@link doc}. The adapters decide who lands on the default bridge. */
export const dockerNoDefaultBridge: Rule = {
    name: "docker-no-default-bridge",
    description: doc.summary,
    doc,
    scope: "resource",
    readConfig: noSettings,
    judgesLiveState: true,
    check(topology: Topology): Finding[] {
        return topology.containers
            .filter((container) => container.attachments.some((a) => isDefaultBridgeKey(a.network)))
            .map((container) => ({
                subject: container,
                message:
                    workloadKind(container) === "service"
                        ? `${describeContainer(container)} names no network, so Docker runs its tasks on their node's default bridge: ` +
                          `there every container on that node reaches them by IP and names do not resolve. ${howToFix(container)}`
                        : `${describeContainer(container)} lands on Docker's default bridge${how(container)}: ` +
                          `there every container reaches it by IP and names do not resolve. ${howToFix(container)}`,
            }));
    },
};
