/**
 * Our reader's view of a case: the script as the `create` of one
 * `@pulumi/command` Command, read by `readResources` (the topology and the
 * not-judged lines `netguard preview` prints) and judged by the pack's
 * policies through `evaluatePolicies`, as `netguard preview` does.
 */
import { policyResources, RegisteredResource } from "../policies/engineArgs";
import { Violation, evaluatePolicies } from "../policies/evaluate";
import { policies } from "../policies/pack";
import { NotJudgedLine } from "../readers/commandLine";
import { readResources } from "../readers/pulumi/fromPulumi";
import { LOCAL_COMMAND_TYPE } from "../readers/pulumi/resourceFields";
import { EngineSemantics } from "../topology/engineSemantics";
import { effectiveGatewayText } from "../topology/ipamBlocks";
import { Topology, isKnown } from "../topology/model";
import { NAttachment, NBlock, NContainer, NNetwork, NState, chosenAliases, linkKey, modeOf, portKey, selectedOptions, sortedRecord } from "./normalized";

export interface Prediction {
    readonly state: NState;
    readonly notJudged: readonly NotJudgedLine[];
    readonly violations: readonly Violation[];
    /** Topology nodes whose names are not known (they cannot be compared by name). */
    readonly unnamed: readonly string[];
}

const STACK_URN = "urn:pulumi:oracle::oracle::pulumi:pulumi:Stack::oracle-oracle";

export function commandResource(script: string): RegisteredResource {
    return {
        urn: `urn:pulumi:oracle::oracle::${LOCAL_COMMAND_TYPE}::case`,
        type: LOCAL_COMMAND_TYPE,
        name: "case",
        custom: true,
        parent: STACK_URN,
        inputs: { create: script },
        propertyDependencies: {},
        dependencies: [],
    };
}

/** The case's own part of a topology (names with the case's prefix), normalized. */
export interface NormalizeOptions {
    /** Static IPv6 address of a container (by key) on a network (by name): the model has none. */
    readonly ipv6?: (container: string, network: string) => string | undefined;
    /** A container's name from the id a `container:` mode names. */
    readonly containerName?: (idOrName: string) => string;
}

export function normalizeTopology(topology: Topology, prefix: string, options: NormalizeOptions = {}): NState {
    const ipv6 = options.ipv6 ?? (() => undefined);
    const networks: Record<string, NNetwork> = {};
    for (const network of topology.networks) {
        const name = isKnown(network.dockerName ?? network.name) ? String(network.dockerName ?? network.name) : network.name;
        if (!name.startsWith(prefix)) continue;
        const blocks: NBlock[] = [];
        for (const block of network.ipam) {
            const subnet = block.subnet !== undefined && isKnown(block.subnet) ? block.subnet : undefined;
            if (subnet === undefined) continue;
            const gateway = effectiveGatewayText(block);
            const aux: Record<string, string> = {};
            for (const [host, address] of Object.entries(block.auxAddresses)) if (isKnown(address)) aux[host] = address;
            blocks.push({
                subnet,
                ...(gateway !== undefined && isKnown(gateway) ? { gateway } : {}),
                ...(block.ipRange !== undefined && isKnown(block.ipRange) ? { ipRange: block.ipRange } : {}),
                aux: sortedRecord(aux),
            });
        }
        networks[name] = {
            driver: network.driver,
            internal: network.internal,
            interContainer: network.interContainer,
            blocks: blocks.sort((a, b) => (a.subnet < b.subnet ? -1 : 1)),
            options: selectedOptions(network.driverOptions),
        };
    }
    const containers: Record<string, NContainer> = {};
    for (const container of topology.containers) {
        const dockerName = container.dockerName;
        const name = dockerName !== undefined && isKnown(dockerName) ? dockerName : container.name;
        if (!name.startsWith(prefix)) continue;
        const attachments: Record<string, NAttachment> = {};
        for (const attachment of container.attachments) {
            const reference = isKnown(attachment.reference) ? attachment.reference : "(unknown)";
            const network = reference === "default" ? "bridge" : reference;
            const ipv4 = attachment.staticAddress && attachment.ipv4Address !== undefined && isKnown(attachment.ipv4Address) ? attachment.ipv4Address : undefined;
            const written = attachment.ipv6Address !== undefined && isKnown(attachment.ipv6Address) ? attachment.ipv6Address : undefined;
            const v6 = options.ipv6 ? ipv6(container.key, network) : written;
            attachments[network] = {
                aliases: chosenAliases(attachment.aliases, { name, key: container.key }),
                ...(ipv4 ? { ipv4 } : {}),
                ...(v6 ? { ipv6: v6 } : {}),
            };
        }
        const mode = container.networkMode !== undefined && isKnown(container.networkMode) ? container.networkMode : undefined;
        containers[name] = {
            mode: modeOf(mode, options.containerName),
            attachments: sortedRecord(attachments),
            ports: [...new Set((container.ports ?? []).map(portKey))].sort(),
            links: [...new Set(container.links.map(linkKey))].sort(),
        };
    }
    return { networks: sortedRecord(networks), containers: sortedRecord(containers) };
}

export async function predict(script: string, prefix: string, semantics?: EngineSemantics): Promise<Prediction> {
    const resource = commandResource(script);
    const stack: RegisteredResource = {
        urn: STACK_URN,
        type: "pulumi:pulumi:Stack",
        name: "oracle-oracle",
        custom: false,
        parent: null,
        inputs: {},
        propertyDependencies: {},
        dependencies: [],
    };
    const { topology, notJudged } = readResources(policyResources([stack, resource]), semantics);
    const violations = await evaluatePolicies(policies, [stack, resource]);
    const unnamed = [
        ...topology.networks.filter((n) => n.dockerName !== undefined && !isKnown(n.dockerName)).map((n) => n.name),
        ...topology.containers.filter((c) => c.dockerName === undefined || !isKnown(c.dockerName)).map((c) => c.name),
    ];
    return { state: normalizeTopology(topology, prefix), notJudged, violations, unnamed };
}
