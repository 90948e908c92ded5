/**
 * The plan of an IsolatedServiceNet: every check of its args, its subnet and
 * gateway, and the network and members it declares, as plain data. The
 * component only turns it into resources.
 */
import { IsolatedServiceNetArgs, ServiceSpec } from "../args";
import { PlanContext } from "../programState";
import { ENABLE_ICC, OVERLAY_DRIVER, OVERLAY_ENCRYPTED } from "../../topology/driverOptions";
import { NetworkScope } from "../../topology/model";
import { IpamPlan } from "./ipamPlan";
import { dockerName, managedLabels } from "./naming";
import { DEFAULT_ADDRESS_POOL } from "./subnetAllocation";
import { checkDnsName, dnsNames, fail, optionalBoolean, optionalString } from "./validate";
import { WorkloadPlan, planContainer, planSwarmService, serviceMode } from "./workload";

/** The Docker network, as `docker.Network` takes it. */
export interface NetworkPlan {
    /** The logical name: the net's own. */
    readonly logicalName: string;
    readonly dockerName: string;
    readonly driver: "bridge" | "overlay";
    /** Swarm scope only: a bridge has no such setting, so a local net leaves it out. */
    readonly attachable?: boolean;
    readonly internal: boolean;
    /** The one IPv4 block, written out so that Docker's choice never differs from the plan. */
    readonly ipamConfig: { readonly subnet: string; readonly gateway: string; readonly ipRange?: string };
    readonly options: Record<string, string>;
    readonly labels: Record<string, string>;
}

/** One service of the net: its container (local scope) or swarm service (swarm scope), and its place on the net. */
export interface NetMemberPlan {
    /** The service key, also its first DNS name. */
    readonly key: string;
    /** DNS names on the net: the key, then the aliases. */
    readonly aliases: readonly string[];
    /** Local scope only: the static address, claimed on the net's plan. */
    readonly ipv4Address?: string;
    /** Logical name `<net>-<key>`. */
    readonly workload: WorkloadPlan;
}

export interface IsolatedServiceNetPlan {
    /** `IsolatedServiceNet "<name>"`, as messages name the net. */
    readonly component: string;
    readonly logicalName: string;
    readonly scope: NetworkScope;
    /** Always false for a local-scope net (its containers join anyway). */
    readonly attachable: boolean;
    /** Always false for a local-scope net (nothing leaves the host). */
    readonly encrypted: boolean;
    /** Canonical, e.g. `10.20.1.0/24`. */
    readonly subnet: string;
    readonly gateway: string;
    /** As given. */
    readonly ipRange?: string;
    readonly dockerName: string;
    /** The net's addressing; dual-homed members claim their static addresses on it. */
    readonly ipam: IpamPlan;
    readonly network: NetworkPlan;
    /** In the order of `args.services`. */
    readonly members: readonly NetMemberPlan[];
}

/**
 * Plans the net `name`. Throws {@link NetguardInputError} naming the net, the
 * field and the value; the program state is extended (subnet, child names)
 * only when the whole plan holds.
 */
export function planIsolatedServiceNet(name: string, args: IsolatedServiceNetArgs, context: PlanContext): IsolatedServiceNetPlan {
    const component = `IsolatedServiceNet "${name}"`;
    const services = args.services ?? {};
    const { scope, encrypted, attachable } = checkScope(component, args);
    const ipam = IpamPlan.create(component, {
        subnet: optionalString(component, "subnet", args.subnet),
        gateway: optionalString(component, "gateway", args.gateway),
        ipRange: optionalString(component, "ipRange", args.ipRange),
        addressPool: optionalString(component, "addressPool", args.addressPool) ?? context.configuredAddressPool ?? DEFAULT_ADDRESS_POOL,
        prefixLength: args.prefixLength,
        identity: `${context.project}/${context.stack}/${name}`,
    });
    const subnet = ipam.subnetText;
    const subnetClaim = { owner: component, subnet: ipam.subnet, allocated: ipam.allocated };
    const clash = context.state.subnets.clashOf(subnetClaim);
    if (clash) {
        fail(
            component,
            ipam.allocated ? "subnet (allocated)" : "subnet",
            subnet,
            `overlaps ${context.state.subnets.describe(clash)}: the allocator cannot place both without moving one. Pin a subnet (args.subnet) for one of them.`,
        );
    }
    // Each service's own fields first, so that the capacity check counts valid replicas only.
    for (const [key, spec] of Object.entries(services)) {
        checkDnsName(component, "services key", key);
        checkFitsScope(component, `services.${key}`, spec, scope);
        if (scope === "swarm") serviceMode(component, `services.${key}`, spec);
    }
    checkCapacity(component, scope, ipam, args.ipRange, Object.values(services));

    const members = Object.entries(services).map(([key, spec]): NetMemberPlan => {
        const field = `services.${key}`;
        const aliases = dnsNames(component, `${field}.aliases`, key, spec.aliases);
        const ipv4Address = optionalString(component, `${field}.ipv4Address`, spec.ipv4Address);
        if (ipv4Address !== undefined) ipam.claimStatic(`service "${key}"`, `${field}.ipv4Address`, ipv4Address);
        const childName = `${name}-${key}`;
        const holder = context.state.childNames.holderOf(childName);
        if (holder !== undefined) {
            fail(
                component,
                "services key",
                key,
                `makes the ${scope === "swarm" ? "service" : "container"} name "${childName}", which ${holder} already makes: ` +
                    "both would share a URN and a Docker name. Rename the service or the net",
            );
        }
        const labels = { "netguard.net": name, "netguard.service": key };
        const workload = scope === "swarm" ? planSwarmService(context, component, field, childName, spec, labels) : planContainer(context, childName, spec, labels);
        return { key, aliases, ipv4Address, workload };
    });

    context.state.subnets.claim(subnetClaim);
    for (const member of members) context.state.childNames.claim(member.workload.logicalName, `${component} (services.${member.key})`);
    const plan = { component, logicalName: name, scope, attachable, encrypted, subnet, gateway: ipam.gateway.text, ipRange: args.ipRange, dockerName: dockerName(context, name), ipam };
    return { ...plan, network: networkPlan(context, plan, args), members };
}

/** The network: a bridge (local scope) or an overlay (swarm scope), with the planned IPAM written out. */
function networkPlan(context: PlanContext, net: Omit<IsolatedServiceNetPlan, "network" | "members">, args: IsolatedServiceNetArgs): NetworkPlan {
    const options: Record<string, string> = {};
    if (net.scope === "local" && args.interContainer === false) options[ENABLE_ICC] = "false";
    if (net.scope === "swarm" && net.encrypted) options[OVERLAY_ENCRYPTED] = "true";
    return {
        logicalName: net.logicalName,
        dockerName: net.dockerName,
        driver: net.scope === "swarm" ? OVERLAY_DRIVER : "bridge",
        ...(net.scope === "swarm" ? { attachable: net.attachable } : {}),
        internal: args.internal ?? false,
        ipamConfig: { subnet: net.subnet, gateway: net.gateway, ipRange: net.ipRange },
        options,
        labels: managedLabels(context, { "netguard.net": net.logicalName, ...args.labels }),
    };
}

/** Checks a net's scope and the settings that belong to one scope only. */
function checkScope(component: string, args: IsolatedServiceNetArgs): { scope: NetworkScope; encrypted: boolean; attachable: boolean } {
    const scope = args.scope ?? "local";
    if (scope !== "local" && scope !== "swarm") {
        fail(component, "scope", scope, 'must be "local" (a bridge network) or "swarm" (an overlay network)');
    }
    for (const field of ["encrypted", "attachable", "internal", "interContainer"] as const) optionalBoolean(component, field, args[field]);
    if (scope === "local") {
        for (const field of ["encrypted", "attachable"] as const) {
            if (args[field] !== undefined) {
                fail(component, field, args[field], 'applies to swarm-scope nets only (scope: "swarm"); a bridge network has no such setting');
            }
        }
        return { scope, encrypted: false, attachable: false };
    }
    if (args.interContainer === false) {
        fail(
            component,
            "interContainer",
            false,
            "cannot apply to a swarm-scope net: the overlay driver has no switch for traffic between members (only the bridge driver's enable_icc). Put members that must not talk on separate nets",
        );
    }
    return { scope, encrypted: args.encrypted ?? true, attachable: args.attachable ?? false };
}

/** Checks that a service spec gives only what its net's scope can take: what Docker would refuse or ignore is an error here. */
function checkFitsScope(component: string, field: string, spec: ServiceSpec, scope: NetworkScope): void {
    if (scope === "local") {
        for (const swarmOnly of ["replicas", "serviceArgs"] as const) {
            if (spec[swarmOnly] !== undefined) {
                fail(
                    component,
                    `${field}.${swarmOnly}`,
                    swarmOnly === "serviceArgs" ? Object.keys(spec.serviceArgs ?? {}) : spec.replicas,
                    'applies to swarm services only: this net is local-scope (a bridge), its services are containers. Set scope: "swarm" on the net, or use containerArgs',
                );
            }
        }
        return;
    }
    if (spec.containerArgs !== undefined) {
        fail(
            component,
            `${field}.containerArgs`,
            Object.keys(spec.containerArgs),
            "applies to containers only: this net is swarm-scope, its services are swarm services. Use serviceArgs (with containerSpec and taskSpec)",
        );
    }
    if (spec.ipv4Address !== undefined) {
        fail(
            component,
            `${field}.ipv4Address`,
            spec.ipv4Address,
            "cannot apply to a swarm service: Docker gives each task an address (and the service a virtual IP); reach it by name",
        );
    }
}

/**
 * Whether the members fit. A container takes one address; a swarm service
 * takes one per task plus its virtual IP, and every node with a task on
 * the overlay one more for its load-balancer endpoint (counted once: the
 * node count is not known here). Swarm addresses are all dynamic.
 */
function checkCapacity(component: string, scope: NetworkScope, ipam: IpamPlan, ipRange: string | undefined, specs: readonly ServiceSpec[]): void {
    if (scope === "swarm") {
        const tasks = specs.reduce((sum, spec) => sum + BigInt(spec.replicas ?? 1), 0n);
        const needed = tasks + BigInt(specs.length) + (specs.length > 0 ? 1n : 0n);
        const available = ipam.ipRange ? ipam.dynamicAddresses : ipam.usableAddresses;
        if (needed > available) {
            fail(
                component,
                ipam.ipRange ? "ipRange" : "subnet",
                ipam.ipRange ? ipRange : ipam.subnetText,
                `is too small for its services: ${tasks} tasks, ${specs.length} virtual IPs and a load-balancer endpoint need ${needed} addresses, ${available} are free`,
            );
        }
        return;
    }
    const count = BigInt(specs.length);
    const dynamic = BigInt(specs.filter((spec) => spec.ipv4Address === undefined).length);
    if (count > ipam.usableAddresses) {
        fail(component, "subnet", ipam.subnetText, `is too small for its ${count} services (${ipam.usableAddresses} usable addresses)`);
    }
    if (ipam.ipRange && dynamic > ipam.dynamicAddresses) {
        fail(component, "ipRange", ipRange, `is too small for the ${dynamic} services without a static address`);
    }
}
