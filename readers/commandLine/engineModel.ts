/**
 * A script's commands applied in order to a simulated Docker engine: the
 * networks and containers it holds by name, and Docker's refusals as a
 * model (the CLI's and the daemon's, in their own words). A refused command
 * changes nothing and is listed as not judged; what the script leaves at the
 * end is the topology.
 *
 * Names the script itself never creates or removes belong to the rest of the
 * stack or to the engine: commands on them are not refused here (the Pulumi
 * reader settles connections once the whole stack is known).
 */
import { BUILTIN_NETWORKS, CreateRequest, isUserDefinedNetwork } from "./dockerRefusals";
import { tryParseCidr, tryParseIp, cidrsOverlap } from "../../addressing/cidr";
import { rangePastAllocatorBitmap } from "../../addressing/ipam";
import { EngineSemantics, allocatorBitmapLimited, honoursIpv4Disabled, keepsIpv6BlockWithoutIpv6, storesCanonicalAddresses } from "../../topology/engineSemantics";
import { allocatedBlocks, blockVersion, canonicalAttachment, canonicalBlock, endpointAddressRefusal, placeStaticAddress, refusesIpv6WithoutSubnet } from "../../topology/ipamBlocks";
import { namespaceModeConflict } from "../../topology/dockerSemantics";
import { autoPortCollision } from "../../topology/hostBindings";
import { Attachment, ContainerNode, IpamBlock, Maybe, NetworkNode, isKnown, workloadKind } from "../../topology/model";

// ---------------------------------------------------------------------------
// The simulated engine

/** Where a network name stands in the script's engine. */
type NetworkPresence = { kind: "builtin" } | { kind: "present"; node: NetworkNode } | { kind: "gone" } | { kind: "elsewhere" } | { kind: "missing" };

/** Names of networks and containers. */
export interface DockerNames {
    readonly networks: ReadonlySet<string>;
    readonly containers: ReadonlySet<string>;
    /** Some name is not known yet: any name may be one of them. */
    readonly anyName?: boolean;
}

/**
 * What the model knows beyond the script's commands so far: the names the
 * script creates anywhere in it (one it creates later does not exist yet),
 * and the names the whole stack creates (its other resources). A name
 * neither creates is missing: Docker refuses what needs it unless it
 * exists on the engine outside the stack, which netguard cannot know.
 */
export interface EngineContext {
    readonly own: DockerNames;
    readonly stack: DockerNames;
}

/** The result of a command on a name the script does not own: the rest of the stack decides. */
export const ELSEWHERE = "elsewhere";

export class EngineModel {
    private readonly networkNodes: NetworkNode[] = [];
    private readonly containerNodes: ContainerNode[] = [];
    private readonly running = new Set<string>();
    /** Containers (by name) created with a static address in a namespace mode: 20.10 refuses their start. */
    private readonly namespaceAddressed = new Set<string>();
    /** Links kept in a user-defined network's endpoint, by container then network: a disconnect drops them. */
    private readonly endpointLinks = new Map<string, Map<string, ContainerNode["links"]>>();
    /** Names this script created, tried to create, or removed. */
    private readonly ownNetworks = new Set<string>();
    private readonly ownContainers = new Set<string>();

    /** Names read as missing by the commands so far (for the reason a refusal is listed with). */
    readonly missing = new Set<string>();

    constructor(
        readonly semantics: EngineSemantics,
        private readonly context?: EngineContext,
    ) {
        for (const name of context?.own.networks ?? []) this.ownNetworks.add(name);
        for (const name of context?.own.containers ?? []) this.ownContainers.add(name);
    }

    /** A name the script does not own: in the stack (elsewhere), or created by nothing (missing); without context, elsewhere. */
    private unowned(name: string, stack: "networks" | "containers"): "elsewhere" | "missing" {
        if (this.context === undefined || this.context.stack.anyName || this.context.stack[stack].has(name)) return "elsewhere";
        this.missing.add(name);
        return "missing";
    }

    /** Names the script created or tried to create (or removed). */
    get claimed(): DockerNames {
        return { networks: new Set(this.ownNetworks), containers: new Set(this.ownContainers) };
    }

    get networks(): NetworkNode[] {
        return [...this.networkNodes];
    }

    get containers(): ContainerNode[] {
        return [...this.containerNodes];
    }

    private named(nodes: readonly (NetworkNode | ContainerNode)[], name: string): number {
        // A service and a container may share a name.
        return nodes.findIndex((node) => node.dockerName === name && !("kind" in node && node.kind === "service"));
    }

    private daemon(message: string): string {
        return `Error response from daemon: ${message}`;
    }

    networkPresence(reference: Maybe<string>): NetworkPresence {
        if (!isKnown(reference)) return { kind: "elsewhere" };
        if (BUILTIN_NETWORKS.has(reference)) return { kind: "builtin" };
        const index = this.named(this.networkNodes, reference);
        if (index >= 0) return { kind: "present", node: this.networkNodes[index] };
        return this.ownNetworks.has(reference) ? { kind: "gone" } : { kind: this.unowned(reference, "networks") };
    }

    /** A container that is not in the model: refused (owned or missing), or ELSEWHERE. */
    private absentContainer(name: string): string {
        return this.ownContainers.has(name) || this.unowned(name, "containers") === "missing" ? this.daemon(`No such container: ${name}`) : ELSEWHERE;
    }

    /** `docker network create`: the daemon's checks, then the network as Docker keeps it. */
    createNetwork(node: NetworkNode): string | undefined {
        const ipv6 = node.ipv6 === true;
        const name = node.dockerName;
        if (name !== undefined && isKnown(name)) {
            this.ownNetworks.add(name);
            if (this.named(this.networkNodes, name) >= 0) return this.daemon(`network with name ${name} already exists`);
        }
        const subnets = node.ipam.map((block) => (block.subnet !== undefined && isKnown(block.subnet) ? tryParseCidr(block.subnet) : undefined));
        const v4 = subnets.filter((cidr) => cidr?.version === 4).length;
        if (refusesIpv6WithoutSubnet(this.semantics, ipv6, node.ipam)) {
            return this.daemon("could not find an available, non-overlapping IPv6 address pool among the defaults to assign to the network");
        }
        // 28+ keeps an IPv6 block only with --ipv6, and no IPv4 block with --ipv4=false.
        const dropV4 = node.ipv4 === false && honoursIpv4Disabled(this.semantics);
        if (dropV4 && !ipv6) return this.daemon("IPv4 or IPv6 must be enabled");
        const keepV6 = ipv6 || keepsIpv6BlockWithoutIpv6(this.semantics);
        const kept = node.ipam.filter((block) => (blockVersion(block) === 6 ? keepV6 : blockVersion(block) === 4 ? !dropV4 : true));
        // Only pools the IPAM allocated count.
        const taken = this.networkNodes.flatMap((other) => allocatedBlocks(other)).map((block) => (block.subnet !== undefined && isKnown(block.subnet) ? tryParseCidr(block.subnet) : undefined));
        for (const block of allocatedBlocks({ ...node, ipam: kept })) {
            const cidr = block.subnet !== undefined && isKnown(block.subnet) ? tryParseCidr(block.subnet) : undefined;
            if (cidr && taken.some((other) => other?.version === cidr.version && cidrsOverlap(other, cidr))) {
                return this.daemon(`${this.semantics === "20" ? "" : "invalid pool request: "}Pool overlaps with other one on this address space`);
            }
        }
        if (node.driver === "bridge" && v4 > 1 && !dropV4) return this.daemon("bridge driver doesn't support multiple subnets");
        const unallocatable = ipv6 ? this.ipv6RangePastBitmap(kept.filter((block) => block.gateway === undefined)) : undefined;
        if (unallocatable !== undefined) return this.daemon(`failed to allocate gateway (): ${unallocatable}`);
        const created = { ...node, ipam: storesCanonicalAddresses(this.semantics) ? kept.map(canonicalBlock) : kept };
        this.networkNodes.push(created);
        return undefined;
    }

    /** 20.10's allocator refusal for an IPv6 block whose ip range it cannot allocate from (see `allocatorBitmapLimited`). */
    private ipv6RangePastBitmap(blocks: readonly IpamBlock[]): string | undefined {
        if (!allocatorBitmapLimited(this.semantics)) return undefined;
        for (const block of blocks) {
            const subnet = block.subnet !== undefined && isKnown(block.subnet) ? tryParseCidr(block.subnet) : undefined;
            const range = block.ipRange !== undefined && isKnown(block.ipRange) ? tryParseCidr(block.ipRange) : undefined;
            const past = subnet?.version === 6 && range !== undefined ? rangePastAllocatorBitmap(subnet, range) : undefined;
            if (past !== undefined) return `invalid bit range [${past[0]}, ${past[1]}]`;
        }
        return undefined;
    }

    /** A dynamic IPv6 address on an IPv6 network the allocator cannot give (20.10). */
    private dynamicIpv6Refusal(attachment: Attachment): string | undefined {
        const presence = this.networkPresence(attachment.reference);
        if (presence.kind !== "present" || presence.node.ipv6 !== true || attachment.ipv6Address !== undefined) return undefined;
        const first = presence.node.ipam.find((block) => blockVersion(block) === 6);
        const refusal = first === undefined ? undefined : this.ipv6RangePastBitmap([first]);
        return refusal === undefined ? undefined : this.daemon(refusal);
    }

    /**
     * A static address on `reference`: Docker's endpoint checks, or undefined.
     * `joined`: the container already has an endpoint there, which Docker
     * keeps; it checks the settings all the same, but allocates nothing.
     */
    private addressRefusal(reference: Maybe<string>, ip: Maybe<string> | undefined, ip6: Maybe<string> | undefined, joined = false): string | undefined {
        if (ip === undefined && ip6 === undefined) return undefined;
        const presence = this.networkPresence(reference);
        const invalid = (text: string) => (this.semantics === "20" ? text : `invalid config for network ${String(reference)}: invalid endpoint settings: ${text}`);
        if (presence.kind === "builtin") return invalid(this.semantics === "20" ? "user specified IP address is supported on user defined networks only" : "user-specified IP address is supported on user-defined networks only");
        if (presence.kind !== "present") return undefined;
        const blocks = presence.node.ipam;
        if (blocks.some((block) => block.subnet === undefined || !isKnown(block.subnet))) return undefined;
        for (const address of [ip, ip6].filter((text): text is string => text !== undefined && isKnown(text))) {
            const checked = endpointAddressRefusal(this.semantics, blocks, address);
            if (checked !== undefined) return invalid(checked);
            // 20.10 finds an address outside every subnet only when it allocates it, an IPv6 one only with IPv6 on.
            const parsed = tryParseIp(address);
            const allocates = parsed !== undefined && (parsed.version === 4 || presence.node.ipv6 === true);
            if (!joined && allocates && placeStaticAddress(blocks, parsed).kind === "outside") {
                return invalid(`Invalid address ${address}: It does not belong to any of this network's subnets`);
            }
        }
        return undefined;
    }

    /** 28+: a static address for a namespace mode, refused at create in the words of its endpoint checks. */
    private namespaceAddressRefusal(mode: Maybe<string> | undefined, addresses: readonly Maybe<string>[]): string | undefined {
        if (addresses.length === 0 || mode === undefined || !isKnown(mode)) return undefined;
        const userDefinedOnly = "user-specified IP address is supported on user-defined networks only";
        // A `container:` mode stops at the first check; host and none list every address no subnet holds.
        const details = mode.startsWith("container:") ? userDefinedOnly : [userDefinedOnly, ...addresses.map((ip) => `no configured subnet contains IP address ${String(ip)}`)].map((line) => `* ${line}`).join(" ");
        return this.daemon(`invalid config for network ${mode}: invalid endpoint settings: ${details}`);
    }

    private endpointRefusals(node: ContainerNode): string | undefined {
        for (const attachment of node.attachments) {
            const refusal = this.addressRefusal(attachment.reference, attachment.staticAddress ? attachment.ipv4Address : undefined, attachment.ipv6Address);
            if (refusal !== undefined) return this.daemon(refusal);
        }
        return undefined;
    }

    /** `docker create` (and the first half of `docker run`): the container exists afterwards unless refused. */
    createContainer(node: ContainerNode, { endpoints, namespaceAddresses, publishes }: CreateRequest): string | undefined {
        const name = node.dockerName;
        if (name !== undefined && isKnown(name)) this.ownContainers.add(name);
        const conflict = namespaceModeConflict(node.networkMode, node.links.length > 0, publishes);
        if (conflict !== undefined) return this.daemon(conflict);
        if (name !== undefined && isKnown(name)) {
            if (this.named(this.containerNodes, name) >= 0) return this.daemon(`Conflict. The container name "/${name}" is already in use by another container`);
        }
        // Legacy links (not on a user-defined network) need their container to exist already: not this one, not one created later.
        if (!node.attachments.some((a) => isKnown(a.reference) && isUserDefinedNetwork(a.reference))) {
            for (const link of node.links) {
                const gone = link.target === name || (this.named(this.containerNodes, link.target) < 0 && this.absentContainer(link.target) !== ELSEWHERE);
                if (gone) return this.daemon(`could not get container for ${link.target}: No such container: ${link.target}`);
            }
        }
        // API 1.41 (20.10) takes one endpoint at create; later versions any number.
        if (this.semantics === "20" && endpoints > 1) {
            return this.daemon(`Container cannot be connected to network endpoints: ${node.attachments.map((a) => String(a.reference)).join(", ")}`);
        }
        if (this.semantics !== "20") {
            const refusal = this.namespaceAddressRefusal(node.networkMode, namespaceAddresses) ?? this.endpointRefusals(node);
            if (refusal !== undefined) return refusal;
        }
        if (namespaceAddresses.length > 0 && name !== undefined && isKnown(name)) this.namespaceAddressed.add(name);
        // The CLI puts `--link` in the endpoint of the first network when it is user-defined.
        const first = node.attachments[0]?.reference;
        if (name !== undefined && isKnown(name)) this.endpointLinks.delete(name);
        if (first !== undefined && isKnown(first) && isUserDefinedNetwork(first)) this.keepEndpointLinks(name, first, node.links);
        this.containerNodes.push(storesCanonicalAddresses(this.semantics) ? { ...node, attachments: node.attachments.map(canonicalAttachment) } : node);
        return undefined;
    }

    /** `docker start` (and the second half of `docker run`): ELSEWHERE for a container the script does not own. */
    startContainer(name: Maybe<string>): string | undefined {
        if (!isKnown(name)) return undefined;
        const index = this.named(this.containerNodes, name);
        if (index < 0) return this.absentContainer(name);
        const node = this.containerNodes[index];
        for (const attachment of node.attachments) {
            if (["gone", "missing"].includes(this.networkPresence(attachment.reference).kind)) {
                const network = String(attachment.reference);
                return this.daemon(this.semantics === "20" ? `Could not attach to network ${network}: rpc error: code = NotFound desc = network ${network} not found` : `failed to set up container networking: network ${network} not found`);
            }
        }
        // `--network container:X` joins X's namespace at start: X must exist, run, and not be this container.
        const mode = node.networkMode;
        const joined = mode !== undefined && isKnown(mode) && mode.startsWith("container:") ? mode.slice("container:".length) : undefined;
        if (joined === name) return this.daemon(this.semantics === "20" ? "cannot join own network" : "cannot join own network namespace");
        if (joined !== undefined && this.named(this.containerNodes, joined) < 0) {
            const absent = this.absentContainer(joined);
            if (absent !== ELSEWHERE) return this.daemon(`${this.semantics === "20" ? "" : "joining network namespace of container: "}No such container: ${joined}`);
        } else if (joined !== undefined && !this.running.has(joined)) {
            return this.daemon(`cannot join network of a non running container: ${joined}`);
        }
        // A snapshot: the network list grows as the script goes on, and topologies are read as fixed.
        const collision = autoPortCollision(node, { networks: [...this.networkNodes], containers: [], engine: this.semantics });
        if (collision !== undefined) return this.daemon(collision);
        if (this.semantics === "20") {
            const namespaced = this.namespaceAddressed.has(name) ? this.daemon("user specified IP address is supported on user defined networks only") : undefined;
            const refusal = namespaced ?? this.endpointRefusals(node) ?? node.attachments.map((a) => this.dynamicIpv6Refusal(a)).find((r) => r !== undefined);
            if (refusal !== undefined) return refusal;
        }
        this.running.add(name);
        return undefined;
    }

    /** `docker rm [-f]`: ELSEWHERE for a container the script does not own. */
    removeContainer(name: Maybe<string>, force: boolean): string | undefined {
        if (!isKnown(name)) return ELSEWHERE;
        const index = this.named(this.containerNodes, name);
        // `rm -f` of a container that does not exist succeeds.
        if (index < 0) return force ? undefined : this.absentContainer(name);
        if (!force && this.running.has(name)) return this.daemon(`You cannot remove a running container ${name}. Stop the container before attempting removal or force remove`);
        this.containerNodes.splice(index, 1);
        this.running.delete(name);
        this.endpointLinks.delete(name);
        this.namespaceAddressed.delete(name);
        return undefined;
    }

    /** `docker network rm`: ELSEWHERE for a network the script does not own. */
    removeNetwork(name: Maybe<string>): string | undefined {
        const presence = this.networkPresence(name);
        if (presence.kind === "gone" || presence.kind === "missing") return this.daemon(`No such network: ${String(name)}`);
        if (presence.kind !== "present") return ELSEWHERE;
        const active = this.containerNodes.some((c) => this.running.has(String(c.dockerName)) && c.attachments.some((a) => a.reference === name));
        if (active) return this.daemon(`error while removing network: network ${String(name)} has active endpoints`);
        this.networkNodes.splice(this.networkNodes.indexOf(presence.node), 1);
        return undefined;
    }

    private keepEndpointLinks(container: Maybe<string> | undefined, network: string, links: ContainerNode["links"]): void {
        if (container === undefined || !isKnown(container) || links.length === 0) return;
        const byNetwork = this.endpointLinks.get(container) ?? new Map<string, ContainerNode["links"]>();
        byNetwork.set(network, [...(byNetwork.get(network) ?? []), ...links]);
        this.endpointLinks.set(container, byNetwork);
    }

    /** `docker network connect` / `disconnect` of a container: ELSEWHERE when the script does not own it. */
    connect(kind: "connect" | "disconnect", container: Maybe<string>, attachment: Attachment, links: ContainerNode["links"]): string | undefined {
        if (!isKnown(container)) return ELSEWHERE;
        const index = this.containerNodes.findIndex((node) => node.dockerName === container && workloadKind(node) === "container");
        if (index < 0) return this.absentContainer(container);
        const node = this.containerNodes[index];
        const presence = this.networkPresence(attachment.reference).kind;
        // A created container takes any network name, even one the script removed or failed to create (its start then fails); a running one needs the network.
        if (kind === "connect" && (presence === "gone" || presence === "missing") && this.running.has(container)) {
            return this.daemon(`network ${String(attachment.reference)} not found`);
        }
        const on = node.attachments.some((a) => isKnown(a.reference) && a.reference === attachment.reference);
        if (kind === "disconnect") {
            // Both engines refuse to disconnect what is not connected (a created container's message has "the");
            // a network of the rest of the stack may hold the container.
            if (!on && isKnown(attachment.reference) && presence !== "elsewhere") {
                return this.daemon(`container ${container} is not connected to ${this.running.has(container) ? "" : "the "}network ${attachment.reference}`);
            }
            if (!on) return undefined;
            // The endpoint goes, and the links kept in it with it.
            const dropped = isKnown(attachment.reference) ? (this.endpointLinks.get(container)?.get(attachment.reference) ?? []) : [];
            if (isKnown(attachment.reference)) this.endpointLinks.get(container)?.delete(attachment.reference);
            this.containerNodes[index] = { ...node, attachments: node.attachments.filter((a) => a.reference !== attachment.reference), links: node.links.filter((link) => !dropped.includes(link)) };
            return undefined;
        }
        if (on && this.running.has(container)) return this.daemon(`endpoint with name ${container} already exists in network ${String(attachment.reference)}`);
        // A created container keeps its settings for a network it already names; for one that does not exist, the new ones replace them.
        if (on && presence === "present") {
            const refusal = this.addressRefusal(attachment.reference, attachment.staticAddress ? attachment.ipv4Address : undefined, attachment.ipv6Address, true);
            return refusal === undefined ? undefined : this.daemon(refusal);
        }
        if (on) {
            const others = node.attachments.filter((a) => a.reference !== attachment.reference);
            if (isKnown(attachment.reference)) this.keepEndpointLinks(container, attachment.reference, links);
            this.containerNodes[index] = { ...node, attachments: [...others, attachment], links: [...node.links, ...links] };
            return undefined;
        }
        if (attachment.aliases.length > 0 && isKnown(attachment.reference) && !isUserDefinedNetwork(attachment.reference)) {
            return this.daemon("network-scoped aliases are only supported for user-defined networks");
        }
        const refusal = this.addressRefusal(attachment.reference, attachment.staticAddress ? attachment.ipv4Address : undefined, attachment.ipv6Address);
        if (refusal !== undefined) return this.daemon(refusal);
        if (isKnown(attachment.reference)) this.keepEndpointLinks(container, attachment.reference, links);
        this.containerNodes[index] = { ...node, attachments: [...node.attachments, storesCanonicalAddresses(this.semantics) ? canonicalAttachment(attachment) : attachment], links: [...node.links, ...links] };
        return undefined;
    }

    /** A name the script tried to create, though the CLI refused: later commands on it find nothing. */
    claimContainer(name: Maybe<string> | undefined): void {
        if (name !== undefined && isKnown(name)) this.ownContainers.add(name);
    }

    claimNetwork(name: Maybe<string> | undefined): void {
        if (name !== undefined && isKnown(name)) this.ownNetworks.add(name);
    }

    /** A service or another workload the engine model does not simulate: the first declaration of a name stands. */
    addOther(node: ContainerNode): void {
        const kind = workloadKind(node);
        const duplicate = node.dockerName !== undefined && isKnown(node.dockerName) && this.containerNodes.some((c) => c.dockerName === node.dockerName && workloadKind(c) === kind);
        if (!duplicate) this.containerNodes.push(node);
    }
}
