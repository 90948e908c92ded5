/**
 * The `netguard preview --json` document: resources, networks, containers,
 * reachability and violations of one program run, and the command lines
 * that could not be judged.
 */
import { EngineInfo } from "../topology/engineSemantics";
import { RegisteredResource } from "../policies/engineArgs";
import { Violation } from "../policies/evaluate";
import { ReachablePair, comparePairs, computeReachability, reachabilityFromHost } from "../topology/reachability";
import { hostBindings } from "../topology/hostBindings";
import { effectiveGatewayText, ipv4Block } from "../topology/ipamBlocks";
import { Maybe, NetworkNode, NetworkScope, Topology, WorkloadKind, isKnown, networkScope, workloadKind } from "../topology/model";
import { NotJudgedLine } from "../readers/commandLine";

/** A command line of a command resource that the rules could not judge, and why. */
export type NotJudgedEntry = NotJudgedLine;

export interface NetworkEntry {
    name: string;
    dockerName: string | null;
    driver: string;
    subnet: string | null;
    gateway: string | null;
    ipRange: string | null;
    internal: boolean;
    interContainer: boolean;
    /** `local` (one engine) or `swarm` (an overlay network across the swarm). */
    scope: NetworkScope;
    /** Swarm networks: plain containers may join too. False for local networks. */
    attachable: boolean;
    /** Swarm networks: traffic between nodes is encrypted. False for local networks. */
    encrypted: boolean;
    /** Present (true) only for a routing-mesh network, such as Docker's own `ingress`. */
    ingress?: true;
    /** Present only for a network a command line creates on another host's engine (the host as written); absent: the local engine. */
    host?: string;
}

export interface AttachmentEntry {
    /** The network's name in this document, or the reference as written when it matches no network. */
    network: string;
    aliases: string[];
    ipv4Address: string | null;
    /** Present (true) only for the endpoint Docker gives a service that publishes through the routing mesh: no network it chose. */
    routingMesh?: true;
}

export interface ContainerEntry {
    name: string;
    dockerName: string | null;
    /** `container`, or `service` for a swarm service (one entry for all its tasks). */
    kind: WorkloadKind;
    /** Services: the tasks asked for (null when unknown); null for containers. */
    replicas: number | null;
    /** The network mode as written (preview) or reported (audit), `container:NAME` by name; null when none. */
    networkMode: string | null;
    attachments: AttachmentEntry[];
    /** A `DualHomedContainer`'s container: on several nets on purpose. */
    dualHomed: boolean;
    /** Ports published on the host; `ip` null when bound to every interface by default. */
    ports: PortEntry[];
    /** Present only for a container a command line runs on another host's engine (the host as written); absent: the local engine. */
    host?: string;
}

export interface PortEntry {
    internal: number;
    /** Null when Docker picks the host port. */
    external: number | null;
    ip: string | null;
    protocol: string;
}

export interface PreviewDocument {
    resources: { urn: string; type: string; name: string; parent: string | null; inputs: Record<string, unknown> }[];
    networks: NetworkEntry[];
    containers: ContainerEntry[];
    reachability: ReachablePair[];
    violations: Violation[];
    /** Commands in command resources' scripts that no rule could judge (or not wholly): listed, never dropped silently. */
    notJudged: NotJudgedEntry[];
    /** The Docker whose semantics judged it (absent from documents older than this field). */
    engine?: EngineInfo;
    /** What was previewed (a program and its stack, or Compose files and their project; `stack` null), and that it ran offline. */
    source?: { program: string; project: string; stack: string | null; offline: true };
    /** Counts a bot can act on without reading the lists. */
    summary?: PreviewSummary;
    /** The stack's outputs, as the program exported them (secrets as `[secret]`). */
    outputs?: Record<string, unknown>;
}

/** The version of this document's shape: raised when a field changes meaning or goes. */
export const PREVIEW_SCHEMA_VERSION = 1;

export interface PreviewSummary {
    schemaVersion: number;
    policiesChecked: number;
    mandatory: number;
    advisory: number;
    notJudged: number;
}

export function summarize(document: Pick<PreviewDocument, "violations" | "notJudged">, policiesChecked: number): PreviewSummary {
    const count = (level: string) => document.violations.filter((violation) => violation.level === level).length;
    return { schemaVersion: PREVIEW_SCHEMA_VERSION, policiesChecked, mandatory: count("mandatory"), advisory: count("advisory"), notJudged: document.notJudged.length };
}

function known(value: Maybe<string> | undefined): string | null {
    return value !== undefined && isKnown(value) ? value : null;
}

/** The networks and containers of a topology as document entries (shared by preview and audit). */
export function describeTopology(topology: Topology): Pick<PreviewDocument, "networks" | "containers" | "reachability"> {
    const networkName = new Map(topology.networks.map((network) => [network.key, network.name]));
    const networks = topology.networks.map((network: NetworkNode) => {
        // The IPv4 block, with the gateway Docker will have (its default when none is written).
        const block = ipv4Block(network.ipam) ?? network.ipam[0];
        return {
            name: network.name,
            dockerName: known(network.dockerName),
            driver: network.driver,
            subnet: known(block?.subnet),
            gateway: block ? known(effectiveGatewayText(block)) : null,
            ipRange: known(block?.ipRange),
            internal: network.internal,
            interContainer: network.interContainer,
            scope: networkScope(network),
            attachable: network.attachable ?? false,
            encrypted: network.encrypted ?? false,
            ...(network.ingress === true ? { ingress: true as const } : {}),
            ...(network.engineHost !== undefined ? { host: network.engineHost } : {}),
        };
    });
    const containers = topology.containers.map((container) => ({
        name: container.name,
        dockerName: known(container.dockerName),
        kind: workloadKind(container),
        replicas: container.replicas !== undefined && isKnown(container.replicas) ? container.replicas : null,
        networkMode: known(container.networkMode),
        attachments: container.attachments.map((attachment) => ({
            network: (attachment.network && networkName.get(attachment.network)) ?? known(attachment.reference) ?? "(unknown)",
            aliases: [...attachment.aliases],
            ipv4Address: known(attachment.ipv4Address),
            ...(attachment.routingMesh === true ? { routingMesh: true as const } : {}),
        })),
        dualHomed: container.declaredMultiHomed,
        ports: hostBindings(container, topology).map((port) => ({ internal: port.internal, external: port.external ?? null, ip: port.ip ?? null, protocol: port.protocol })),
        ...(container.engineHost !== undefined ? { host: container.engineHost } : {}),
    }));
    return { networks, containers, reachability: computeReachability(topology) };
}

export function previewDocument(
    resources: readonly RegisteredResource[],
    topology: Topology,
    violations: Violation[],
    notJudged: NotJudgedEntry[] = [],
    engine?: EngineInfo,
): PreviewDocument {
    const described = describeTopology(topology);
    return {
        resources: resources.map(({ urn, type, name, parent, inputs }) => ({ urn, type, name, parent, inputs })),
        ...described,
        // The host reaches containers too: the same `@host` rows the audit predicts and measures (a service's tasks run on whichever node).
        reachability: [...described.reachability, ...reachabilityFromHost(topology, (node) => workloadKind(node) !== "service")].sort(comparePairs),
        violations,
        notJudged,
        ...(engine ? { engine } : {}),
    };
}
