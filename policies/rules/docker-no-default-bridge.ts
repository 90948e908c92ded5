import { ContainerNode, DEFAULT_BRIDGE_KEY, Topology, isKnown, workloadKind } from "../../topology/model";
import { describeContainer } from "../describe";
import { Finding, Rule, noSettings } from "../rule";

/** How to get off the default bridge, in the words of where the workload was declared. */
function howToFix(container: ContainerNode): string {
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
    return container.origin === "command" ? ` (--network ${mode})` : ` (networkMode "${mode}")`;
}

/**
 * `docker-no-default-bridge`: no container may land on Docker's default
 * bridge, in any way: no network at all, `networkMode` `bridge`/`default`
 * without `networksAdvanced`, a `networksAdvanced` entry naming `bridge`, a
 * `docker run` without `--network` (or with `bridge`), or
 * `docker network connect bridge …`. A swarm service's tasks are
 * containers too: one that names no network and publishes no port through
 * the routing mesh runs its tasks on their node's default bridge (Docker
 * 20.10 does so), and this rule, not `docker-service-user-network`, reports
 * it. The adapters decide who lands there.
 */
export const dockerNoDefaultBridge: Rule = {
    name: "docker-no-default-bridge",
    description:
        "Containers (and swarm services' tasks) must not use Docker's default bridge: there they reach every other container by IP and cannot resolve names.",
    scope: "resource",
    readConfig: noSettings,
    judgesLiveState: true,
    check(topology: Topology): Finding[] {
        return topology.containers
            .filter((container) => container.attachments.some((a) => a.network === DEFAULT_BRIDGE_KEY))
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
