import { ContainerNode, NetworkNode, Topology, isKnown, networksByKey, workloadKind } from "../../topology/model";
import { declarationOf, describeContainer } from "../describe";
import { DUAL_HOMED_LABEL } from "../../readers/docker/fromDocker";
import { Finding, Rule, noSettings } from "../rule";
import { DOCKER_DOCS, RuleDoc } from "../ruleDoc";

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

const doc: RuleDoc = {
    summary:
        "A container (or swarm service) attached to two or more networks bridges them, so it must be declared as a DualHomedContainer (or DualHomedService).",
    topic: "undeclared multi-homing",
    reports:
        "A container on two or more distinct networks that is not the container of a `DualHomedContainer` (or a swarm service that is " +
        "not the service of a `DualHomedService`), found through the parent chain. Attachments count in every form: `networksAdvanced`, " +
        "`docker network connect`, `networkMode` naming a user-defined network beside `networksAdvanced` naming another (the provider " +
        "keeps both). The routing mesh's own endpoint of a publishing service is Docker's, not a network anyone chose, and does not count.",
    rationale:
        "A container on two networks is a bridge between them: members of both reach it and it reaches both, so whatever runs in it can " +
        "carry traffic across the boundary the networks draw. That is sometimes the design (an API between an edge net and a data net), " +
        "but it should be a decision visible in review, not the side effect of a second `networksAdvanced` entry or a `docker network " +
        "connect` in a script. A command line cannot declare it: the passing example is a program.",
    references: [DOCKER_DOCS.networking],
    compose: {
        reports:
            "A service under two or more networks in `networks:`, unless its `labels:` hold `netguard.dual-homed: \"true\"` (the label " +
            "`DualHomedContainer` gives its container, which `netguard audit` reads too).",
        example:
            "networks:\n" +
            "  front:\n" +
            "    ipam:\n" +
            "      config:\n" +
            "        - subnet: 10.20.2.0/24\n" +
            "  back:\n" +
            "    ipam:\n" +
            "      config:\n" +
            "        - subnet: 10.20.1.0/24\n" +
            "services:\n" +
            "  api:\n" +
            "    image: node:20-alpine\n" +
            "    networks: [front, back]",
    },
    examples: {
        bad: {
            docker:
                "docker network create --subnet 10.60.1.0/24 --gateway 10.60.1.1 edge\n" +
                "docker network create --subnet 10.60.2.0/24 --gateway 10.60.2.1 core\n" +
                "docker run -d --name api --network edge node:20-alpine\n" +
                "docker network connect core api",
        },
        good: {
            program:
                'import { DualHomedContainer, IsolatedServiceNet } from "docker-netguard";\n' +
                "\n" +
                'const edge = new IsolatedServiceNet("edge", { subnet: "10.60.1.0/24" });\n' +
                'const core = new IsolatedServiceNet("core", { subnet: "10.60.2.0/24", internal: true });\n' +
                'new DualHomedContainer("api", { image: "node:20-alpine", attachments: [{ net: edge }, { net: core }] });',
        },
    },
};

/** `docker-multi-homing-declared`: see {@link doc}. The topology follows the parent chain to the declaring component. */
export const dockerMultiHomingDeclared: Rule = {
    name: "docker-multi-homing-declared",
    description: doc.summary,
    doc,
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
                    (declarationOf(container) === "compose"
                        ? `Declare it in the Compose file with the label ${DUAL_HOMED_LABEL}: "true" under its labels:, or leave it on one network.`
                        : workloadKind(container) === "service"
                        ? "Declare it as a DualHomedService (docker-netguard components), or attach it to one network."
                        : "Declare it as a DualHomedContainer (docker-netguard components), or attach it to one network."),
            });
        }
        return findings;
    },
};
