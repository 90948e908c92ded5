import { ContainerNode, Topology, isKnown, networksByKey } from "../../topology/model";
import { describeContainer } from "../describe";
import { Finding, Rule, noSettings } from "../rule";

/**
 * The distinct networks a container is provably on: resolved networks by
 * name, plus references to networks outside the stack as written. Unknown,
 * unresolved references are left out: they may name one of the others.
 */
function distinctNetworks(container: ContainerNode, networkName: (key: string) => string): string[] {
    const names = new Map<string, string>();
    for (const attachment of container.attachments) {
        if (attachment.network !== undefined) names.set(`key:${attachment.network}`, networkName(attachment.network));
        else if (isKnown(attachment.reference)) names.set(`ref:${attachment.reference}`, attachment.reference);
    }
    return [...names.values()];
}

/**
 * `docker-multi-homing-declared`: a container on two or more networks is the
 * only bridge between them, so it must be declared as such — the container
 * of a `DualHomedContainer` (the topology follows the parent chain).
 */
export const dockerMultiHomingDeclared: Rule = {
    name: "docker-multi-homing-declared",
    description:
        "A container attached to two or more networks bridges them, so it must be declared as a DualHomedContainer.",
    scope: "stack",
    readConfig: noSettings,
    judgesLiveState: true,
    check(topology: Topology): Finding[] {
        const networks = networksByKey(topology);
        const networkName = (key: string) => networks.get(key)?.name ?? key;
        const findings: Finding[] = [];
        for (const container of topology.containers) {
            if (container.declaredMultiHomed) continue;
            const names = distinctNetworks(container, networkName);
            if (names.length < 2) continue;
            findings.push({
                subject: container,
                message:
                    `${describeContainer(container)} is attached to ${names.length} networks (${names.map((n) => `"${n}"`).join(", ")}) ` +
                    "without being declared: it is the only bridge between them and every member of each can reach it. " +
                    "Declare it as a DualHomedContainer (docker-netguard components), or attach it to one network.",
            });
        }
        return findings;
    },
};
