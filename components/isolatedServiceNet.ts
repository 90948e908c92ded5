import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ENABLE_ICC, OVERLAY_DRIVER, OVERLAY_ENCRYPTED } from "../topology/driverOptions";
import { NetworkScope } from "../topology/model";
import { NetguardInputError } from "./inputError";
import { IpamPlan } from "./ipamPlan";
import { dockerName, managedLabels } from "./naming";
import { programState } from "./programState";
import { ServiceSpec, checkAliases, checkDnsName, containerArgsFor, optionalString } from "./serviceSpec";
import { serviceArgsFor, serviceAttachment, serviceMode } from "./swarmService";
import { DEFAULT_ADDRESS_POOL } from "./subnetAllocator";

/** A net's own settings: scope, addressing, isolation and labels. */
export interface NetSettings extends NetSettingsBesidesScope {
    /**
     * `local` (default): a bridge network on one engine, its services containers.
     * `swarm`: an overlay network across the swarm, its services swarm services
     * (created on a swarm manager).
     */
    scope?: NetworkScope;
}

/** A net's settings but its scope (a union type, which the cross-language surface in provider/ gives as a string). */
export interface NetSettingsBesidesScope {
    /** Swarm scope only: IPsec-encrypt the overlay's traffic between nodes (driver option `encrypted`). Default true. */
    encrypted?: boolean;
    /** Swarm scope only: plain containers (a DualHomedContainer) may join the overlay too. Default false. */
    attachable?: boolean;
    /** The net's CIDR, e.g. `10.20.1.0/24`. When absent, a subnet is allocated from `addressPool`. */
    subnet?: string;
    /** Gateway address; default: the first host address of the subnet. */
    gateway?: string;
    /** Range Docker hands dynamic addresses from; must be inside the subnet. Static addresses go outside it. */
    ipRange?: string;
    /** No route out of the host (Docker's `--internal`). Default false. */
    internal?: boolean;
    /** Traffic between members (Docker's `enable_icc`). Default true; an overlay has no such switch, so swarm scope refuses false. */
    interContainer?: boolean;
    /** Pool to allocate the subnet from; default: stack config `netguard:addressPool`, else 10.128.0.0/9. */
    addressPool?: string;
    /** Prefix length of an allocated subnet. Default 24. */
    prefixLength?: number;
    /** Labels for the Docker network. */
    labels?: Record<string, string>;
}

export interface IsolatedServiceNetArgs extends NetSettings {
    /** The services that live only on this net, by service key (also their DNS name). */
    services?: Record<string, ServiceSpec>;
}

/**
 * One user-defined Docker network with explicit IPAM, and the services that
 * live only on it, each reachable by its service key and aliases: a bridge
 * network and containers (local scope), or an overlay network and swarm
 * services (swarm scope).
 *
 * The network resource is named like the component; a service's container
 * (or swarm service) is `<net>-<service>`. Subnet and gateway are plain
 * values, known at construction, so other components and stack outputs can
 * use them directly.
 */
export class IsolatedServiceNet extends pulumi.ComponentResource {
    readonly network: docker.Network;
    /** Local scope: each service's container, by service key (empty for a swarm-scope net). */
    readonly containers: Record<string, docker.Container>;
    /** Swarm scope: each swarm service, by service key (empty for a local-scope net). */
    readonly services: Record<string, docker.Service>;
    /** The component's logical name, for messages that name the net. */
    readonly logicalName: string;
    readonly scope: NetworkScope;
    /** Swarm scope: plain containers may join. Always false for a local-scope net (its containers join anyway). */
    readonly attachable: boolean;
    /** Swarm scope: overlay traffic is encrypted. Always false for a local-scope net (nothing leaves the host). */
    readonly encrypted: boolean;
    /** The subnet in canonical form, e.g. `10.20.1.0/24`. */
    readonly subnet: string;
    readonly gateway: string;
    readonly ipRange?: string;
    /** The network's name on the Docker engine (includes project and stack). */
    readonly dockerName: string;
    /** The planned addressing; members claim their static addresses on it. */
    readonly ipam: IpamPlan;

    constructor(name: string, args: IsolatedServiceNetArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("netguard:index:IsolatedServiceNet", name, {}, opts);
        const component = `IsolatedServiceNet "${name}"`;
        const services = args.services ?? {};
        this.logicalName = name;
        const { scope, encrypted, attachable } = checkScope(component, args);
        this.scope = scope;
        this.encrypted = encrypted;
        this.attachable = attachable;

        this.ipam = IpamPlan.create(component, {
            subnet: optionalString(component, "subnet", args.subnet),
            gateway: optionalString(component, "gateway", args.gateway),
            ipRange: optionalString(component, "ipRange", args.ipRange),
            addressPool:
                optionalString(component, "addressPool", args.addressPool) ??
                new pulumi.Config("netguard").get("addressPool") ??
                DEFAULT_ADDRESS_POOL,
            prefixLength: args.prefixLength,
            identity: `${pulumi.getProject()}/${pulumi.getStack()}/${name}`,
        });
        this.subnet = this.ipam.subnetText;
        this.gateway = this.ipam.gateway.text;
        this.ipRange = args.ipRange;
        this.dockerName = dockerName(name);
        this.claimSubnet(component, args);
        // Each service's own fields first, so that the capacity check counts valid replicas only.
        for (const [key, spec] of Object.entries(services)) {
            checkDnsName(component, `services key`, key);
            checkFitsScope(component, `services.${key}`, spec, scope);
            if (scope === "swarm") serviceMode(component, `services.${key}`, spec);
        }
        this.checkCapacity(component, services);

        this.network = new docker.Network(name, this.networkArgs(name, args), { parent: this });

        this.containers = {};
        this.services = {};
        for (const [key, spec] of Object.entries(services)) {
            const field = `services.${key}`;
            const aliases = [...new Set([key, ...checkAliases(component, `${field}.aliases`, spec.aliases)])];
            const ipv4Address = optionalString(component, `${field}.ipv4Address`, spec.ipv4Address);
            if (ipv4Address !== undefined) this.ipam.claimStatic(`service "${key}"`, `${field}.ipv4Address`, ipv4Address);
            const childName = `${name}-${key}`;
            const kind = scope === "swarm" ? "service" : "container";
            const holder = programState().childNames.claim(childName, `${component} (${field})`);
            if (holder !== undefined) {
                throw new NetguardInputError(
                    component,
                    "services key",
                    key,
                    `makes the ${kind} name "${childName}", which ${holder} already makes: both would share a URN and a Docker name. ` +
                        "Rename the service or the net",
                );
            }
            const labels = { "netguard.net": name, "netguard.service": key };
            if (scope === "swarm") {
                this.services[key] = new docker.Service(
                    childName,
                    serviceArgsFor(component, field, spec, dockerName(childName), [serviceAttachment(this.network, aliases)], labels),
                    { parent: this },
                );
            } else {
                this.containers[key] = new docker.Container(
                    childName,
                    containerArgsFor(spec, dockerName(childName), [{ name: this.network.name, aliases, ipv4Address }], labels),
                    { parent: this },
                );
            }
        }

        this.registerOutputs({
            network: this.network,
            containers: this.containers,
            services: this.services,
            subnet: this.subnet,
            gateway: this.gateway,
        });
    }

    /** The network: a bridge (local scope) or an overlay (swarm scope), with the planned IPAM written out. */
    private networkArgs(name: string, args: IsolatedServiceNetArgs): docker.NetworkArgs {
        const options: Record<string, string> = {};
        if (this.scope === "local" && args.interContainer === false) options[ENABLE_ICC] = "false";
        if (this.scope === "swarm" && this.encrypted) options[OVERLAY_ENCRYPTED] = "true";
        return {
            name: this.dockerName,
            driver: this.scope === "swarm" ? OVERLAY_DRIVER : "bridge",
            ...(this.scope === "swarm" ? { attachable: this.attachable } : {}),
            internal: args.internal ?? false,
            ipamConfigs: [{ subnet: this.subnet, gateway: this.gateway, ipRange: args.ipRange }],
            options,
            labels: managedLabels({ "netguard.net": name, ...args.labels }),
        };
    }

    private claimSubnet(component: string, args: IsolatedServiceNetArgs): void {
        const claim = { owner: component, subnet: this.ipam.subnet, allocated: this.ipam.allocated };
        const clash = programState().subnets.claim(claim);
        if (clash) {
            throw new NetguardInputError(
                component,
                args.subnet === undefined ? "subnet (allocated)" : "subnet",
                this.subnet,
                `overlaps ${programState().subnets.describe(clash)}: the allocator cannot place both without moving one. ` +
                    "Pin a subnet (args.subnet) for one of them.",
            );
        }
    }

    /**
     * Whether the members fit. A container takes one address; a swarm service
     * takes one per task plus its virtual IP, and every node with a task on
     * the overlay one more for its load-balancer endpoint (counted once: the
     * node count is not known here). Swarm addresses are all dynamic.
     */
    private checkCapacity(component: string, services: Record<string, ServiceSpec>): void {
        const specs = Object.values(services);
        if (this.scope === "swarm") {
            const tasks = specs.reduce((sum, spec) => sum + BigInt(spec.replicas ?? 1), 0n);
            const needed = tasks + BigInt(specs.length) + (specs.length > 0 ? 1n : 0n);
            const available = this.ipam.ipRange ? this.ipam.dynamicAddresses : this.ipam.usableAddresses;
            if (needed > available) {
                const field = this.ipam.ipRange ? "ipRange" : "subnet";
                const value = this.ipam.ipRange ? this.ipRange : this.subnet;
                throw new NetguardInputError(
                    component,
                    field,
                    value,
                    `is too small for its services: ${tasks} tasks, ${specs.length} virtual IPs and a load-balancer endpoint need ${needed} addresses, ${available} are free`,
                );
            }
            return;
        }
        const count = BigInt(specs.length);
        const dynamic = BigInt(specs.filter((spec) => spec.ipv4Address === undefined).length);
        if (count > this.ipam.usableAddresses) {
            throw new NetguardInputError(component, "subnet", this.subnet, `is too small for its ${count} services (${this.ipam.usableAddresses} usable addresses)`);
        }
        if (this.ipam.ipRange && dynamic > this.ipam.dynamicAddresses) {
            throw new NetguardInputError(component, "ipRange", this.ipRange, `is too small for the ${dynamic} services without a static address`);
        }
    }
}

/** Checks a net's scope and the settings that belong to one scope only. */
function checkScope(component: string, args: IsolatedServiceNetArgs): { scope: NetworkScope; encrypted: boolean; attachable: boolean } {
    const scope = args.scope ?? "local";
    if (scope !== "local" && scope !== "swarm") {
        throw new NetguardInputError(component, "scope", scope, 'must be "local" (a bridge network) or "swarm" (an overlay network)');
    }
    for (const field of ["encrypted", "attachable", "internal", "interContainer"] as const) {
        const value = args[field];
        if (value !== undefined && typeof value !== "boolean") throw new NetguardInputError(component, field, value, "must be true or false");
    }
    if (scope === "local") {
        for (const field of ["encrypted", "attachable"] as const) {
            if (args[field] !== undefined) {
                throw new NetguardInputError(component, field, args[field], 'applies to swarm-scope nets only (scope: "swarm"); a bridge network has no such setting');
            }
        }
        return { scope, encrypted: false, attachable: false };
    }
    if (args.interContainer === false) {
        throw new NetguardInputError(
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
                throw new NetguardInputError(
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
        throw new NetguardInputError(
            component,
            `${field}.containerArgs`,
            Object.keys(spec.containerArgs),
            "applies to containers only: this net is swarm-scope, its services are swarm services. Use serviceArgs (with containerSpec and taskSpec)",
        );
    }
    if (spec.ipv4Address !== undefined) {
        throw new NetguardInputError(
            component,
            `${field}.ipv4Address`,
            spec.ipv4Address,
            "cannot apply to a swarm service: Docker gives each task an address (and the service a virtual IP); reach it by name",
        );
    }
}
