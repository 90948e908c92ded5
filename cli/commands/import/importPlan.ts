/**
 * The pure translation of `netguard import`: an {@link ImportSource} (a
 * topology with its services' processes) → the plan of a program on the
 * components. One `IsolatedServiceNet` per network, a service on one net its
 * member, a service on two or more a `DualHomedContainer`; what violates a
 * mandatory rule is changed so that it does not (the default bridge left for
 * a user-defined net, a link made an alias, a subnet the rules refuse
 * replaced), and what cannot be carried is left out; each such change or
 * gap is a note the writer prints as a comment.
 */
import { Cidr, cidrContainsIp, tryParseIp } from "../../../addressing/cidr";
import { StaticAddressProblem, staticAddressProblem } from "../../../addressing/ipam";
import { DNS_NAME } from "../../../components/plan/validate";
import { isSharedNamespaceMode } from "../../../topology/dockerSemantics";
import { ContainerNode, NetworkNode, PublishedPort, UNKNOWN, isKnown, workloadKind } from "../../../topology/model";
import { ImportSource } from "./importSource";
import { NetAddressing, allocatedAddressing, sourceAddressing } from "./importNets";

/** The net's place of one workload: its extra DNS names and its static address, if kept. */
export interface PlannedPlace {
    readonly aliases: string[];
    ipv4Address?: string;
}

/** What every imported container runs and publishes. */
export interface PlannedProcess {
    /** The source's service name (what reachability is compared by). */
    readonly service: string;
    readonly image: string;
    readonly command?: readonly string[];
    readonly envs?: readonly string[];
    readonly ports: readonly PublishedPort[];
}

export interface PlannedMember extends PlannedProcess, PlannedPlace {
    /** The key in the net's `services` (its DNS name there). */
    readonly key: string;
}

export interface PlannedNet {
    /** The component's name (also its variable's stem). */
    readonly name: string;
    readonly subnet: string;
    readonly gateway?: string;
    readonly ipRange?: string;
    readonly internal: boolean;
    readonly interContainer: boolean;
    readonly members: PlannedMember[];
}

export interface PlannedAttachment extends PlannedPlace {
    /** The name of a planned net. */
    readonly net: string;
}

export interface PlannedDualHomed extends PlannedProcess {
    readonly name: string;
    readonly attachments: PlannedAttachment[];
}

/** `changed`: reachability or naming made different to meet a mandatory rule; `not-carried`: left out, and why. */
export type NoteKind = "changed" | "not-carried";

export interface ImportNote {
    readonly kind: NoteKind;
    readonly subject: string;
    readonly text: string;
}

export interface ImportPlan {
    readonly description: string;
    readonly nets: readonly PlannedNet[];
    readonly dualHomed: readonly PlannedDualHomed[];
    readonly notes: readonly ImportNote[];
    /** By source service name: the logical name of the container the program declares for it. */
    readonly containers: ReadonlyMap<string, string>;
    /** Source services the program leaves out (each named in a `not-carried` note). */
    readonly omitted: readonly string[];
}

/** A name the components take as a service key, alias or component name: invalid characters become `-`. */
export function dnsName(text: string): string {
    if (DNS_NAME.test(text)) return text;
    const cleaned = text.replace(/[^a-zA-Z0-9_.-]/g, "-").replace(/^[^a-zA-Z0-9]+|[^a-zA-Z0-9]+$/g, "").slice(0, 63).replace(/[^a-zA-Z0-9]+$/, "");
    return cleaned === "" ? "x" : cleaned;
}

/** `base`, else `base-2`, `base-3`, … : the first not in `taken` (which it joins). */
function unique(base: string, taken: Set<string>): string {
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    taken.add(name);
    return name;
}

/** Why a container's network mode cannot be carried, or undefined when it attaches to networks. */
function modeGap(container: ContainerNode, serviceOf: (key: string) => string): string | undefined {
    const mode = container.networkMode;
    if (mode === UNKNOWN) return "its network_mode is a variable without value";
    if (mode === "host") return "it shares the host's network stack (network_mode host): the components attach containers to nets, and docker-no-shared-network-namespace forbids it";
    if (mode === "none") return "it has no network (network_mode none): there is nothing to attach";
    if (isSharedNamespaceMode(mode) || container.sharesNamespaceOf !== undefined) {
        const other = container.sharesNamespaceOf !== undefined ? serviceOf(container.sharesNamespaceOf) : String(mode).replace(/^(container|service):/, "");
        return `it shares the network namespace of ${other} (network_mode ${String(mode)}): docker-no-shared-network-namespace forbids it; declare it as a service of its own`;
    }
    if (workloadKind(container) === "service") return "it is a swarm service: import covers containers (see DualHomedService for services)";
    return undefined;
}

/** A source service the program declares, with its first container. */
interface CarriedService {
    readonly service: string;
    readonly container: ContainerNode;
    /** On Docker's default bridge. */
    readonly bridged: boolean;
}

/** Why a static address cannot stay, by the kind of problem addressing/ipam.ts finds. */
const PROBLEM_TEXT: Readonly<Record<StaticAddressProblem["kind"], string>> = {
    gateway: "it is the gateway",
    network: "it is the network address",
    broadcast: "it is the broadcast address",
    aux: "it is reserved (aux address)",
    "dynamic-range": "it is inside the dynamic ip range, where Docker may hand it to another container first",
};

class PlanBuilder {
    readonly notes: ImportNote[] = [];
    readonly omitted: string[] = [];
    readonly nets = new Map<string, PlannedNet & { readonly addressing: NetAddressing }>();
    /** By topology network key: the planned net's name. */
    readonly netOfNetwork = new Map<string, string>();
    private readonly netNames = new Set<string>();

    constructor(readonly source: ImportSource) {}

    note(kind: NoteKind, subject: string, text: string): void {
        this.notes.push({ kind, subject, text });
    }

    /** Nets for every network the source has (bar the default bridge), source subnets kept first, then the rest allocated. */
    planNets(bridged: boolean): void {
        const { topology, networkNames, identity } = this.source;
        const networks = topology.networks.filter((network) => !network.defaultBridge && network.ingress !== true);
        const taken: Cidr[] = [];
        const addressing = new Map<NetworkNode, NetAddressing>();
        const names = new Map(networks.map((network) => [network, unique(dnsName(networkNames.get(network.key) ?? network.name), this.netNames)]));
        for (const network of networks) {
            const { addressing: kept, problem } = sourceAddressing(network, taken);
            if (kept) {
                addressing.set(network, kept);
                taken.push(kept.plan.subnet);
            } else if (problem) this.note("changed", `net ${names.get(network)}`, `${problem}; a subnet is allocated instead, and its static addresses are dropped`);
        }
        for (const network of networks) {
            const netName = names.get(network)!;
            const chosen = addressing.get(network) ?? allocatedAddressing(identity, netName, taken);
            if (!addressing.has(network)) taken.push(chosen.plan.subnet);
            if (network.driver !== "bridge") this.note("changed", `net ${netName}`, `driver ${network.driver} is imported as a local bridge net (the components' IsolatedServiceNet; scope: "swarm" nets carry swarm services)`);
            const auxCount = network.ipam.reduce((count, block) => count + Object.keys(block.auxAddresses).length, 0);
            if (auxCount > 0) this.note("not-carried", `net ${netName}`, `${auxCount} aux address(es): the components take no aux addresses`);
            this.netOfNetwork.set(network.key, netName);
            this.nets.set(netName, { name: netName, ...this.ipamOf(chosen), internal: network.internal, interContainer: network.interContainer, members: [], addressing: chosen });
        }
        if (bridged) {
            const netName = unique("bridge", this.netNames);
            const chosen = allocatedAddressing(identity, netName, taken);
            this.nets.set(netName, { name: netName, ...this.ipamOf(chosen), internal: false, interContainer: true, members: [], addressing: chosen });
            this.netOfNetwork.set(topology.networks.find((network) => network.defaultBridge)?.key ?? "", netName);
        }
    }

    private ipamOf(addressing: NetAddressing): Pick<PlannedNet, "subnet" | "gateway" | "ipRange"> {
        return { subnet: addressing.subnet, ...(addressing.gateway ? { gateway: addressing.gateway } : {}), ...(addressing.ipRange ? { ipRange: addressing.ipRange } : {}) };
    }

    /** The static address of `service` on `net` when the rules accept it there, else a note and undefined. */
    staticAddress(service: string, netName: string, address: string, claimed: Set<string>): string | undefined {
        const net = this.nets.get(netName)!;
        const ip = tryParseIp(address);
        const reason = !net.addressing.keptSource
            ? "the net's subnet is not the source's"
            : !ip || !cidrContainsIp(net.addressing.plan.subnet, ip)
              ? `it is not inside ${net.subnet}`
              : staticAddressProblem(net.addressing.plan, ip)
                ? PROBLEM_TEXT[staticAddressProblem(net.addressing.plan, ip)!.kind]
                : claimed.has(`${netName}\u0000${ip.text}`)
                  ? "another service has it"
                  : undefined;
        if (reason === undefined && ip) {
            claimed.add(`${netName}\u0000${ip.text}`);
            return ip.text;
        }
        this.note("changed", `service ${service}`, `static address ${address} on ${netName} is dropped (${reason}): Docker assigns one`);
        return undefined;
    }
}

/** Translates `source` into the plan of a program on the components. */
export function planImport(source: ImportSource): ImportPlan {
    const builder = new PlanBuilder(source);
    const { topology, workloads } = source;
    const byKey = new Map(topology.containers.map((container) => [container.key, container]));
    const serviceOf = (key: string) => workloads.get(key)?.service ?? byKey.get(key)?.name ?? key;
    for (const gap of source.gaps) builder.note("not-carried", gap.subject, gap.reason);

    // One container per service: replicas collapse into the first.
    const groups = new Map<string, ContainerNode[]>();
    for (const container of topology.containers) groups.set(serviceOf(container.key), [...(groups.get(serviceOf(container.key)) ?? []), container]);
    const carried: CarriedService[] = [];
    for (const [service, containers] of groups) {
        const [container] = containers;
        if (containers.length > 1) builder.note("changed", `service ${service}`, `${containers.length} containers (replicas) are imported as one: a component declares one container per service`);
        const gap = modeGap(container, serviceOf) ?? (container.attachments.some((attachment) => attachment.network !== undefined) ? undefined : "it is on no network the source names");
        if (gap) {
            builder.omitted.push(service);
            builder.note("not-carried", `service ${service}`, gap);
            continue;
        }
        const defaultBridge = topology.networks.find((network) => network.defaultBridge)?.key;
        carried.push({ service, container, bridged: container.attachments.some((attachment) => attachment.network !== undefined && attachment.network === defaultBridge) });
    }
    const bridgedServices = carried.filter((entry) => entry.bridged).map((entry) => entry.service);
    builder.planNets(bridgedServices.length > 0);
    const bridgeNet = builder.netOfNetwork.get(topology.networks.find((network) => network.defaultBridge)?.key ?? "");
    if (bridgeNet) {
        builder.note("changed", `net ${bridgeNet}`, `${bridgedServices.join(", ")} left Docker's default bridge (docker-no-default-bridge) for the user-defined net ${bridgeNet}: they still reach each other, now by name too, and no longer every other container on docker0`);
    }
    return finishPlan(builder, carried, byKey, serviceOf);
}

/** Members, dual-homed containers and links, once the nets are planned. */
function finishPlan(
    builder: PlanBuilder,
    carried: readonly CarriedService[],
    byKey: ReadonlyMap<string, ContainerNode>,
    serviceOf: (key: string) => string,
): ImportPlan {
    const { workloads } = builder.source;
    const claimed = new Set<string>();
    const names = new Set<string>();
    const containers = new Map<string, string>();
    /** By service: its place on each planned net. */
    const places = new Map<string, Map<string, PlannedPlace>>();
    const dualHomed: PlannedDualHomed[] = [];
    for (const { service, container } of carried) {
        const workload = workloads.get(container.key);
        const key = dnsName(service);
        const image = workload?.image ?? `${key}:imported`;
        if (workload?.image === undefined) builder.note("not-carried", `service ${service}`, `no image (built from source?): the program runs the placeholder ${image}; build and tag it, or edit the image`);
        const process: PlannedProcess = { service, image, ...(workload?.command ? { command: workload.command } : {}), ...(workload?.envs ? { envs: workload.envs } : {}), ports: container.ports ?? [] };
        const own = new Set([service, key, container.name, ...(container.dockerName !== undefined && isKnown(container.dockerName) ? [container.dockerName] : [])]);
        const netPlaces = new Map<string, PlannedPlace>();
        for (const attachment of container.attachments) {
            const netName = attachment.network === undefined ? undefined : builder.netOfNetwork.get(attachment.network);
            if (netName === undefined || netPlaces.has(netName)) continue;
            const aliases = attachment.aliases.filter((alias) => !own.has(alias) && DNS_NAME.test(alias));
            const dropped = attachment.aliases.filter((alias) => !own.has(alias) && !DNS_NAME.test(alias));
            if (dropped.length > 0) builder.note("not-carried", `service ${service}`, `alias(es) ${dropped.join(", ")} on ${netName}: not DNS names the components accept`);
            const place: PlannedPlace = { aliases: [...new Set(aliases)] };
            if (attachment.staticAddress && attachment.ipv4Address !== undefined && isKnown(attachment.ipv4Address)) {
                const kept = builder.staticAddress(service, netName, attachment.ipv4Address, claimed);
                if (kept) place.ipv4Address = kept;
            }
            netPlaces.set(netName, place);
        }
        places.set(service, netPlaces);
        const netList = [...netPlaces.keys()];
        if (netList.length >= 2) {
            const name = unique(key, names);
            containers.set(service, name);
            dualHomed.push({ ...process, name, attachments: netList.map((net) => ({ net, ...netPlaces.get(net)! })) });
        } else {
            const [netName] = netList;
            const net = builder.nets.get(netName)!;
            // The component names the container NET-KEY: a key whose name another container has already gets a suffix, and keeps its own name as an alias.
            const keys = new Set(net.members.map((member) => member.key));
            let memberKey = key;
            for (let n = 2; keys.has(memberKey) || names.has(`${netName}-${memberKey}`); n++) memberKey = `${key}-${n}`;
            names.add(`${netName}-${memberKey}`);
            containers.set(service, `${netName}-${memberKey}`);
            const place = netPlaces.get(netName)!;
            if (memberKey !== key && !place.aliases.includes(key)) place.aliases.push(key);
            net.members.push({ ...process, key: memberKey, ...place });
        }
    }
    carryLinks(builder, carried, byKey, serviceOf, places);
    return {
        description: builder.source.description,
        nets: [...builder.nets.values()].map(({ name, subnet, gateway, ipRange, internal, interContainer, members }) => ({ name, subnet, gateway, ipRange, internal, interContainer, members })),
        dualHomed,
        notes: builder.notes,
        containers,
        omitted: builder.omitted,
    };
}

/** Each legacy link made an alias of its target on the nets it shares with the linking service (docker-no-legacy-links). */
function carryLinks(
    builder: PlanBuilder,
    carried: readonly CarriedService[],
    byKey: ReadonlyMap<string, ContainerNode>,
    serviceOf: (key: string) => string,
    places: ReadonlyMap<string, ReadonlyMap<string, PlannedPlace>>,
): void {
    const byName = new Map<string, string>();
    for (const container of byKey.values()) {
        byName.set(container.name, serviceOf(container.key));
        if (container.dockerName !== undefined && isKnown(container.dockerName)) byName.set(container.dockerName, serviceOf(container.key));
    }
    for (const { service, container } of carried) {
        // The names Compose adds to a link go with it: the written name carries what the link was for.
        for (const link of container.links.filter((entry) => entry.composeAdded !== true)) {
            const target = byName.get(link.target) ?? (places.has(link.target) ? link.target : undefined);
            // By service name, as Compose writes links (`db:database`); the raw target when it is no service.
            const shown = target ?? link.target;
            const written = link.alias && link.alias !== shown ? `${shown}:${link.alias}` : shown;
            const targetPlaces = target === undefined ? undefined : places.get(target);
            if (target === undefined || !targetPlaces) {
                builder.note("not-carried", `service ${service}`, `link ${written}: its target is not a service the program declares`);
                continue;
            }
            const shared = [...(places.get(service)?.keys() ?? [])].filter((net) => targetPlaces.has(net));
            if (shared.length === 0) {
                builder.note("not-carried", `service ${service}`, `link ${written}: ${service} and ${target} share no net, so no alias can stand for it`);
                continue;
            }
            const alias = link.alias ?? link.target;
            const needed = alias !== target && alias !== dnsName(target) && DNS_NAME.test(alias);
            if (needed) for (const net of shared) if (!targetPlaces.get(net)!.aliases.includes(alias)) targetPlaces.get(net)!.aliases.push(alias);
            builder.note(
                "changed",
                `service ${service}`,
                `link ${written} (docker-no-legacy-links) is ${needed ? `the alias ${alias} of ${target}` : `${target}'s own name`} on ${shared.join(", ")}: ` +
                    `every member of ${shared.length > 1 ? "those nets" : "that net"} resolves it, not only ${service}`,
            );
        }
    }
}
