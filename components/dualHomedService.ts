import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { NetMembership, checkAttachments, claimDualHomedName, membershipAliases } from "./attachments";
import { NetguardInputError } from "./inputError";
import { dockerName } from "./naming";
import { ContainerProcess } from "./serviceSpec";
import { ServiceReplication, serviceArgsFor, serviceAttachment } from "./swarmService";

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
        const component = `DualHomedService "${name}"`;
        const attachments = checkAttachments(component, args?.attachments);
        attachments.forEach((attachment, i) => {
            const { net } = attachment;
            if (net.scope !== "swarm") {
                throw new NetguardInputError(
                    component,
                    `attachments[${i}].net`,
                    net.dockerName,
                    `IsolatedServiceNet "${net.logicalName}" is a local-scope net (a bridge): a swarm service joins only swarm-scope (overlay) nets. ` +
                        'Set scope: "swarm" on the net, or use a DualHomedContainer',
                );
            }
            // Not in the type, but JavaScript and other languages can pass them: Docker has no such setting for a service.
            for (const field of ["ipv4Address", "gwPriority"] as const) {
                const value = (attachment as NetMembership & Record<typeof field, unknown>)[field];
                if (value !== undefined) {
                    throw new NetguardInputError(component, `attachments[${i}].${field}`, value, "cannot apply to a swarm service: Docker gives each task its address and route");
                }
            }
        });

        const networksAdvanceds = attachments.map((attachment, i) => serviceAttachment(attachment.net.network, membershipAliases(component, name, i, attachment)));
        claimDualHomedName(component, name, "service");
        this.dockerName = dockerName(name);
        this.service = new docker.Service(
            name,
            serviceArgsFor(component, "", args, this.dockerName, networksAdvanceds, { "netguard.dual-homed": "true" }),
            { parent: this },
        );
        this.registerOutputs({ service: this.service });
    }
}
