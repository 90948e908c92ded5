/**
 * A resolved Compose project → the topology, with Docker's names (those the
 * live reader will see once the project is up): networks `<project>_<key>`
 * (or their `name:`), keyed by that name; one container node per container,
 * `<project>-<service>-<n>` (or `container_name:`), keyed by its name. The
 * service name is a DNS alias on each of its networks; `network_mode`
 * `service:NAME` shares the namespace of that service's first container.
 * Networks hold what `semantics`' Docker creates (28+ drops an IPv6 block
 * of a network without `enable_ipv6`). What the model cannot hold (an
 * unknown alias or host address) is listed as not judged.
 */
import { defaultBridgeAttachment, Attachment, ContainerNode, DEFAULT_BRIDGE, IpamBlock, Link, Maybe, NetworkNode, PublishedPort, Topology, UNKNOWN, isKnown } from "../../topology/model";
import { isDefaultBridgeMode, parseLink } from "../../topology/dockerSemantics";
import { driverScope, networkInterContainer, overlayEncrypted } from "../../topology/driverOptions";
import { DEFAULT_SEMANTICS, EngineSemantics } from "../../topology/engineSemantics";
import { canonicalAttachment, canonicalBlock, ipv6BlocksKept } from "../../topology/ipamBlocks";
import { resolveSharedNamespaces } from "../../topology/sharedNamespaces";
import { DUAL_HOMED_LABEL } from "../docker/fromDocker";
import { ComposeNetwork, ComposePort, ComposeProject, ComposeService, holdsUnknown } from "./composeProject";

/** Something of the project the rules do not judge, and why. */
export interface ComposeNotJudged {
    /** `networks.<key>` or `services.<name>`, with the field. */
    readonly key: string;
    readonly reason: string;
}

export interface ComposeTopology {
    readonly topology: Topology;
    readonly notJudged: readonly ComposeNotJudged[];
}

function maybe(text: string): Maybe<string> {
    return holdsUnknown(text) ? UNKNOWN : text;
}

function maybeOptional(text: string | undefined): Maybe<string> | undefined {
    return text === undefined ? undefined : maybe(text);
}

function networkNode(key: string, network: ComposeNetwork, projectName: string, semantics: EngineSemantics, notJudged: ComposeNotJudged[]): NetworkNode {
    const dockerName = maybe(network.name ?? `${projectName}_${key}`);
    const nodeKey = isKnown(dockerName) ? dockerName : `compose:${projectName}:network:${key}`;
    const driver = network.driver !== undefined && !holdsUnknown(network.driver) ? network.driver : "bridge";
    if (network.driver !== undefined && holdsUnknown(network.driver)) notJudged.push({ key: `networks.${key}.driver`, reason: "the driver is a variable without value (read as bridge)" });
    const options: Record<string, Maybe<string>> = {};
    for (const [name, value] of Object.entries(network.driver_opts ?? {})) options[name] = maybe(String(value));
    // Compose respells the addresses when it creates the network (measured on 20.10, which keeps a CLI's spelling).
    let ipam: IpamBlock[] = (network.ipam?.config ?? []).map((block): IpamBlock => {
        const auxAddresses: Record<string, Maybe<string>> = {};
        for (const [host, address] of Object.entries(block.aux_addresses ?? {})) auxAddresses[host] = maybe(address);
        return canonicalBlock({
            ...(block.subnet !== undefined ? { subnet: maybe(block.subnet) } : {}),
            ...(block.gateway !== undefined ? { gateway: maybe(block.gateway) } : {}),
            ...(block.ip_range !== undefined ? { ipRange: maybe(block.ip_range) } : {}),
            auxAddresses,
        });
    });
    if (network.external === true) {
        // Not the project's: its settings are the engine's, unknown here.
        ipam = [{ subnet: UNKNOWN, gateway: UNKNOWN, auxAddresses: {} }];
        notJudged.push({ key: `networks.${key}`, reason: `external network ${isKnown(dockerName) ? JSON.stringify(dockerName) : "(unknown name)"}: not created by the project, its settings are not in the project files` });
    }
    const ipv6 = network.enable_ipv6 === true;
    const { kept, dropped } = network.external === true ? { kept: ipam, dropped: [] } : ipv6BlocksKept(semantics, ipv6, ipam);
    const swarm = driverScope(driver) === "swarm";
    return {
        key: nodeKey,
        resource: nodeKey,
        name: nodeKey,
        dockerName,
        driver,
        ipam: kept,
        ...(ipv6 ? { ipv6 } : {}),
        ...(dropped.length > 0 ? { ignoredIpam: dropped } : {}),
        internal: network.internal === true,
        interContainer: networkInterContainer(driver, options),
        driverOptions: options,
        defaultBridge: false,
        ...(network.enable_ipv4 === false ? { ipv4: false } : {}),
        ...(swarm ? { scope: "swarm" as const, attachable: network.attachable === true, encrypted: overlayEncrypted(options) } : {}),
        compose: { project: projectName, key: `networks.${key}` },
    };
}

/** How many containers a service runs: `scale`, else `deploy.replicas`, else one. */
export function replicaCount(service: ComposeService): number {
    return service.scale ?? service.deploy?.replicas ?? 1;
}

/** The Docker names of a service's containers. */
export function containerNames(projectName: string, serviceName: string, service: ComposeService): string[] {
    if (service.container_name !== undefined) return [service.container_name];
    return Array.from({ length: replicaCount(service) }, (_, i) => `${projectName}-${serviceName}-${i + 1}`);
}

function publishedPorts(ports: readonly ComposePort[], where: string, notJudged: ComposeNotJudged[]): PublishedPort[] {
    const out: PublishedPort[] = [];
    ports.forEach((port, index) => {
        if (port.host_ip !== undefined && holdsUnknown(port.host_ip)) {
            notJudged.push({ key: `${where}.ports[${index}]`, reason: "the host address is a variable without value" });
            return;
        }
        const published = port.published !== undefined && /^\d+$/.test(String(port.published)) ? Number(port.published) : undefined;
        out.push({
            internal: Number(port.target),
            ...(published !== undefined && published > 0 ? { external: published } : {}),
            ...(port.host_ip !== undefined && port.host_ip !== "" ? { ip: port.host_ip } : {}),
            protocol: port.protocol ?? "tcp",
        });
    });
    return out;
}

/** The topology of a resolved project. */
export function topologyFromCompose(project: ComposeProject, semantics: EngineSemantics = DEFAULT_SEMANTICS): ComposeTopology {
    const notJudged: ComposeNotJudged[] = [];
    const projectName = project.name;
    const networks = new Map<string, NetworkNode>();
    for (const [key, network] of Object.entries(project.networks ?? {})) networks.set(key, networkNode(key, network, projectName, semantics, notJudged));
    const namesOf = new Map(Object.entries(project.services).map(([name, service]) => [name, containerNames(projectName, name, service)]));
    let onDefaultBridge = false;
    const containers: ContainerNode[] = [];
    for (const [serviceName, service] of Object.entries(project.services).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const where = `services.${serviceName}`;
        const mode = service.network_mode === undefined ? undefined : maybe(service.network_mode);
        let networkMode: Maybe<string> | undefined = mode;
        const attachments: Attachment[] = [];
        if (mode === UNKNOWN) {
            attachments.push({ reference: UNKNOWN, aliases: [], staticAddress: false });
        } else if (mode !== undefined && isDefaultBridgeMode(mode)) {
            attachments.push(defaultBridgeAttachment());
            onDefaultBridge = true;
        } else if (mode !== undefined && mode.startsWith("service:")) {
            const other = mode.slice("service:".length);
            networkMode = `container:${namesOf.get(other)?.[0] ?? other}`;
        } else if (mode === undefined) {
            // In the order of their keys, as the plugin prints them (Docker's own order is its map's).
            for (const [key, settings] of Object.entries(service.networks ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
                const network = networks.get(key);
                const aliases = new Set<string>([serviceName]);
                for (const alias of settings?.aliases ?? []) {
                    if (holdsUnknown(alias)) notJudged.push({ key: `${where}.networks.${key}.aliases`, reason: "an alias is a variable without value" });
                    else aliases.add(alias);
                }
                const ipv4 = maybeOptional(settings?.ipv4_address);
                const ipv6 = maybeOptional(settings?.ipv6_address);
                // Respelled, as Compose sends them (measured).
                attachments.push(canonicalAttachment({
                    network: network?.key,
                    reference: network?.dockerName ?? key,
                    aliases: [...aliases],
                    ...(ipv4 !== undefined ? { ipv4Address: ipv4 } : {}),
                    staticAddress: ipv4 !== undefined,
                    ...(ipv6 !== undefined ? { ipv6Address: ipv6, staticIpv6: true } : {}),
                }));
            }
        }
        // Compose links the n-th container of a service to each container of the target service under three
        // names (measured): the alias (or the target's service name), `<target>-<n>` and `<project>-<target>-<n>`.
        const linksOf = (n: number): Link[] => [
            ...(service.links ?? []).flatMap((link) => {
                const [target, alias] = link.split(":");
                return (namesOf.get(target) ?? [target]).flatMap((name): Link[] => [
                    { target: name, alias: alias ?? target },
                    ...[`${target}-${n}`, `${projectName}-${target}-${n}`].map((added): Link => ({ target: name, alias: added, composeAdded: true })),
                ]);
            }),
            ...(service.external_links ?? []).map(parseLink),
        ];
        const ports = publishedPorts(service.ports ?? [], where, notJudged);
        namesOf.get(serviceName)!.forEach((written, index) => {
            const dockerName = maybe(written);
            const name = isKnown(dockerName) ? dockerName : `${projectName}-${serviceName}-1`;
            if (!isKnown(dockerName)) notJudged.push({ key: `${where}.container_name`, reason: "the container name is a variable without value" });
            containers.push({
                key: name,
                resource: name,
                name,
                dockerName,
                ...(networkMode !== undefined ? { networkMode } : {}),
                attachments,
                links: linksOf(index + 1),
                // The label the live reader reads too (the DualHomedContainer component's).
                declaredMultiHomed: service.labels?.[DUAL_HOMED_LABEL] === "true",
                origin: "container",
                ports,
                compose: { project: projectName, key: where },
            });
        });
    }
    const networkNodes = [...networks.values()];
    if (onDefaultBridge) networkNodes.push(DEFAULT_BRIDGE);
    return { topology: { networks: networkNodes, containers: resolveSharedNamespaces(containers) }, notJudged };
}
