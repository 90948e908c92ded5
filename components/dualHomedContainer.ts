import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { AttachmentSettings, ContainerArgsBesidesNetworking, ContainerProcess } from "./args";
import { NetMembership } from "./attachments";
import { containerArgs } from "./dockerArgs";
import { isIsolatedServiceNet } from "./isolatedServiceNet";
import { planDualHomedContainer } from "./plan/dualHomedContainer";
import { currentPlanContext } from "./programState";

export { AttachmentSettings } from "./args";

/** One net a dual-homed container joins: a local-scope net, or an attachable swarm-scope one. */
export interface NetAttachment extends AttachmentSettings, NetMembership {}

export interface DualHomedContainerArgs extends ContainerProcess {
    /** Any other container settings; networking is the component's job. */
    containerArgs?: ContainerArgsBesidesNetworking;
    /** Two or more distinct nets. This container is the only bridge between them. */
    attachments: NetAttachment[];
}

/**
 * A container deliberately attached to two or more isolated nets: the one
 * place where their members meet, declared so that review sees it and the
 * `docker-multi-homing-declared` policy accepts it. A swarm-scope net takes
 * it only when the net is attachable (Docker refuses a plain container on
 * any other overlay).
 */
export class DualHomedContainer extends pulumi.ComponentResource {
    readonly container: docker.Container;
    /** The container's name on the Docker engine (includes project and stack). */
    readonly dockerName: string;

    constructor(name: string, args: DualHomedContainerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("netguard:index:DualHomedContainer", name, {}, opts);
        const plan = planDualHomedContainer(name, args, currentPlanContext(), isIsolatedServiceNet);
        const networksAdvanced = plan.attachments.map(({ net, aliases, ipv4Address, gwPriority }) => ({
            name: net.network.name,
            aliases: [...aliases],
            ipv4Address,
            gwPriority,
        }));
        this.dockerName = plan.container.dockerName;
        this.container = new docker.Container(plan.container.logicalName, containerArgs(plan.container, networksAdvanced), { parent: this });
        this.registerOutputs({ container: this.container });
    }
}
