import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { NetMembership, checkAttachments, claimDualHomedName, membershipAliases } from "./attachments";
import { NetguardInputError } from "./inputError";
import { dockerName } from "./naming";
import { ContainerArgsBesidesNetworking, ContainerProcess, containerArgsFor, optionalString } from "./serviceSpec";

/** How a dual-homed container sits on one of its nets. */
export interface AttachmentSettings {
    /** Extra DNS names on this net; the component's name is always one. */
    aliases?: string[];
    /** Static address on this net: inside its subnet, not its gateway, outside its ip range. */
    ipv4Address?: string;
    /** Which net's gateway becomes the default route (highest wins; Docker 28+). */
    gwPriority?: number;
}

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
        const component = `DualHomedContainer "${name}"`;
        const attachments = checkAttachments(component, args?.attachments);
        attachments.forEach(({ net }, i) => {
            if (net.scope === "swarm" && !net.attachable) {
                throw new NetguardInputError(
                    component,
                    `attachments[${i}].net`,
                    net.dockerName,
                    `IsolatedServiceNet "${net.logicalName}" is a swarm-scope net that is not attachable: Docker lets only services join it. ` +
                        "Set attachable: true on the net, or use a DualHomedService",
                );
            }
        });

        const networksAdvanced = attachments.map((attachment, i) => {
            const field = `attachments[${i}]`;
            const ipv4Address = optionalString(component, `${field}.ipv4Address`, attachment.ipv4Address);
            if (ipv4Address !== undefined) attachment.net.ipam.claimStatic(component, `${field}.ipv4Address`, ipv4Address, component);
            if (attachment.gwPriority !== undefined && !Number.isInteger(attachment.gwPriority)) {
                throw new NetguardInputError(component, `${field}.gwPriority`, attachment.gwPriority, "must be a whole number");
            }
            return {
                name: attachment.net.network.name,
                aliases: membershipAliases(component, name, i, attachment),
                ipv4Address,
                gwPriority: attachment.gwPriority,
            };
        });

        claimDualHomedName(component, name, "container");
        this.dockerName = dockerName(name);
        this.container = new docker.Container(
            name,
            containerArgsFor(args, this.dockerName, networksAdvanced, { "netguard.dual-homed": "true" }),
            { parent: this },
        );
        this.registerOutputs({ container: this.container });
    }
}
