import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ContainerProcess, ServiceReplication } from "./args";
import { NetMembership } from "./attachments";
import { serviceArgs, serviceAttachment } from "./dockerArgs";
import { isIsolatedServiceNet } from "./isolatedServiceNet";
import { planDualHomedService } from "./plan/dualHomedService";
import { currentPlanContext } from "./programState";

/** One swarm-scope net a dual-homed service joins. No static address: Docker addresses a service's tasks. */
export type ServiceNetAttachment = NetMembership;

export interface DualHomedServiceArgs extends ContainerProcess, ServiceReplication {
    /** Two or more distinct swarm-scope nets. This service is the only bridge between them. */
    attachments: ServiceNetAttachment[];
}

/**
 * A swarm service deliberately attached to two or more swarm-scope nets: the
 * one place where their members meet, declared so that review sees it and
 * the `docker-multi-homing-declared` policy accepts it. Its name and each
 * attachment's aliases are its DNS names on that net; `tasks.<name>` reaches
 * each task.
 */
export class DualHomedService extends pulumi.ComponentResource {
    readonly service: docker.Service;
    /** The service's name on the Docker engine (includes project and stack). */
    readonly dockerName: string;

    constructor(name: string, args: DualHomedServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("netguard:index:DualHomedService", name, {}, opts);
        const plan = planDualHomedService(name, args, currentPlanContext(), isIsolatedServiceNet);
        const networksAdvanceds = plan.attachments.map(({ net, aliases }) => serviceAttachment(net.network, aliases));
        this.dockerName = plan.service.dockerName;
        this.service = new docker.Service(plan.service.logicalName, serviceArgs(plan.service, networksAdvanceds), { parent: this });
        this.registerOutputs({ service: this.service });
    }
}
