import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { NetguardInputError } from "./inputError";
import { IpamPlan } from "./ipamPlan";
import { dockerName, managedLabels, programChildNames } from "./naming";
import { ServiceSpec, checkAliases, checkDnsName, containerArgsFor, optionalString } from "./serviceSpec";
import { DEFAULT_ADDRESS_POOL, programSubnets } from "./subnetAllocator";

/** A net's own settings: addressing, isolation and labels. */
export interface NetSettings {
    /** The net's CIDR, e.g. `10.20.1.0/24`. When absent, a subnet is allocated from `addressPool`. */
    subnet?: string;
    /** Gateway address; default: the first host address of the subnet. */
    gateway?: string;
    /** Range Docker hands dynamic addresses from; must be inside the subnet. Static addresses go outside it. */
    ipRange?: string;
    /** No route out of the host (Docker's `--internal`). Default false. */
    internal?: boolean;
    /** Traffic between members (Docker's `enable_icc`). Default true. */
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
 * One user-defined Docker bridge network with explicit IPAM, and the services
 * that live only on it, each reachable by its service key and aliases.
 *
 * The network resource is named like the component; a service's container is
 * `<net>-<service>`. Subnet and gateway are plain values, known at
 * construction, so other components and stack outputs can use them directly.
 */
export class IsolatedServiceNet extends pulumi.ComponentResource {
    readonly network: docker.Network;
    readonly containers: Record<string, docker.Container>;
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
        this.checkCapacity(component, services);

        const options: Record<string, string> = {};
        if (args.interContainer === false) options["com.docker.network.bridge.enable_icc"] = "false";
        this.network = new docker.Network(
            name,
            {
                name: this.dockerName,
                driver: "bridge",
                internal: args.internal ?? false,
                ipamConfigs: [{ subnet: this.subnet, gateway: this.gateway, ipRange: args.ipRange }],
                options,
                labels: managedLabels({ "netguard.net": name, ...args.labels }),
            },
            { parent: this },
        );

        this.containers = {};
        for (const [key, spec] of Object.entries(services)) {
            const field = `services.${key}`;
            checkDnsName(component, `services key`, key);
            const aliases = [...new Set([key, ...checkAliases(component, `${field}.aliases`, spec.aliases)])];
            const ipv4Address = optionalString(component, `${field}.ipv4Address`, spec.ipv4Address);
            if (ipv4Address !== undefined) this.ipam.claimStatic(`service "${key}"`, `${field}.ipv4Address`, ipv4Address);
            const containerName = `${name}-${key}`;
            const holder = programChildNames().claim(containerName, `${component} (${field})`);
            if (holder !== undefined) {
                throw new NetguardInputError(
                    component,
                    "services key",
                    key,
                    `makes the container name "${containerName}", which ${holder} already makes: both would share a URN and a Docker name. ` +
                        "Rename the service or the net",
                );
            }
            this.containers[key] = new docker.Container(
                containerName,
                containerArgsFor(spec, dockerName(containerName), [{ name: this.network.name, aliases, ipv4Address }], {
                    "netguard.net": name,
                    "netguard.service": key,
                }),
                { parent: this },
            );
        }

        this.registerOutputs({
            network: this.network,
            containers: this.containers,
            subnet: this.subnet,
            gateway: this.gateway,
        });
    }

    private claimSubnet(component: string, args: IsolatedServiceNetArgs): void {
        const claim = { owner: component, subnet: this.ipam.subnet, allocated: this.ipam.allocated };
        const clash = programSubnets().claim(claim);
        if (clash) {
            throw new NetguardInputError(
                component,
                args.subnet === undefined ? "subnet (allocated)" : "subnet",
                this.subnet,
                `overlaps ${programSubnets().describe(clash)}: the allocator cannot place both without moving one. ` +
                    "Pin a subnet (args.subnet) for one of them.",
            );
        }
    }

    private checkCapacity(component: string, services: Record<string, ServiceSpec>): void {
        const count = BigInt(Object.keys(services).length);
        const dynamic = BigInt(Object.values(services).filter((spec) => spec.ipv4Address === undefined).length);
        if (count > this.ipam.usableAddresses) {
            throw new NetguardInputError(component, "subnet", this.subnet, `is too small for its ${count} services (${this.ipam.usableAddresses} usable addresses)`);
        }
        if (this.ipam.ipRange && dynamic > this.ipam.dynamicAddresses) {
            throw new NetguardInputError(component, "ipRange", this.ipRange, `is too small for the ${dynamic} services without a static address`);
        }
    }
}
