import { ContainerNode, NetworkNode, Topology, isKnown, networksByKey, workloadKind } from "../../topology/model";
import { describeContainer } from "../describe";
import { Finding, Rule, noSettings } from "../rule";

/**
 * The distinct networks a container is provably on by its own choosing:
 * resolved networks by name, plus references to networks outside the stack
 * as written. Unknown, unresolved references are left out: they may name
 * one of the others.
 */
function distinctNetworks(container: ContainerNode, networks: ReadonlyMap<string, NetworkNode>): { name: string; iccOff: boolean }[] {
    const names = new Map<string, { name: string; iccOff: boolean }>();
    for (const attachment of container.attachments) {
        // The routing mesh's endpoint of a publishing service is Docker's, on every such service: no bridge anyone built.
        if (attachment.routingMesh === true) continue;
        const network = attachment.network === undefined ? undefined : networks.get(attachment.network);
        if (attachment.network !== undefined) names.set(`key:${attachment.network}`, { name: network?.name ?? attachment.network, iccOff: network?.interContainer === false });
        else if (isKnown(attachment.reference)) names.set(`ref:${attachment.reference}`, { name: attachment.reference, iccOff: false });
    }
    return [...names.values()];
}

const quoted = (names: readonly { name: string }[]) => names.map((n) => `"${n.name}"`).join(", ");

/** Who can reach the container: members of its networks, except where inter-container traffic is off. */
function reachedBy(names: readonly { name: string; iccOff: boolean }[]): string {
    const on = names.filter((n) => !n.iccOff);
    const off = names.filter((n) => n.iccOff);
    const parts = [
        ...(on.length > 0 ? [`every member of ${quoted(on)} can reach it`] : []),
        ...(off.length > 0 ? [`on ${quoted(off)} inter-container traffic is off, so members there cannot reach it, but it still sits on ${off.length === 1 ? "that network" : "those networks"}`] : []),
    ];
    return parts.join("; ");
}

/**
 * `docker-multi-homing-declared`: a container on two or more networks is a
 * bridge between them, so it must be declared as such — the container
 * of a `DualHomedContainer`, or a swarm service the service of a
 * `DualHomedService` (the topology follows the parent chain).
 */
export const dockerMultiHomingDeclared: Rule = {
    name: "docker-multi-homing-declared",
    description:
        "A container (or swarm service) attached to two or more networks bridges them, so it must be declared as a DualHomedContainer (or DualHomedService).",
    scope: "stack",
    readConfig: noSettings,
    judgesLiveState: true,
    check(topology: Topology): Finding[] {
        const networks = networksByKey(topology);
        const findings: Finding[] = [];
        for (const container of topology.containers) {
            if (container.declaredMultiHomed) continue;
            const names = distinctNetworks(container, networks);
            if (names.length < 2) continue;
            findings.push({
                subject: container,
                message:
                    `${describeContainer(container)} is attached to ${names.length} networks (${quoted(names)}) ` +
                    `without being declared: it is a bridge between them; ${reachedBy(names)}. ` +
                    (workloadKind(container) === "service"
                        ? "Declare it as a DualHomedService (docker-netguard components), or attach it to one network."
                        : "Declare it as a DualHomedContainer (docker-netguard components), or attach it to one network."),
            });
        }
        return findings;
    },
};
