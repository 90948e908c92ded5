import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { NetworkScope } from "../topology/model";
import { IsolatedServiceNetArgs } from "./args";
import { containerArgs, networkArgs, serviceArgs, serviceAttachment } from "./dockerArgs";
import { IpamPlan } from "./plan/ipamPlan";
import { planIsolatedServiceNet } from "./plan/isolatedServiceNet";
import { currentPlanContext } from "./programState";

export { IsolatedServiceNetArgs, NetSettings, NetSettingsBesidesScope } from "./args";

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
        const plan = planIsolatedServiceNet(name, args, currentPlanContext());
        this.logicalName = plan.logicalName;
        this.scope = plan.scope;
        this.attachable = plan.attachable;
        this.encrypted = plan.encrypted;
        this.subnet = plan.subnet;
        this.gateway = plan.gateway;
        this.ipRange = plan.ipRange;
        this.dockerName = plan.dockerName;
        this.ipam = plan.ipam;

        this.network = new docker.Network(plan.network.logicalName, networkArgs(plan.network), { parent: this });
        this.containers = {};
        this.services = {};
        for (const { key, aliases, ipv4Address, workload } of plan.members) {
            if (workload.kind === "service") {
                const attachment = serviceAttachment(this.network, aliases);
                this.services[key] = new docker.Service(workload.logicalName, serviceArgs(workload, [attachment]), { parent: this });
            } else {
                const attachment = { name: this.network.name, aliases: [...aliases], ipv4Address };
                this.containers[key] = new docker.Container(workload.logicalName, containerArgs(workload, [attachment]), { parent: this });
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
}

/** Whether `value` is a net, for the dual-homed components' checks of their attachments. */
export function isIsolatedServiceNet(value: unknown): value is IsolatedServiceNet {
    return value instanceof IsolatedServiceNet;
}
