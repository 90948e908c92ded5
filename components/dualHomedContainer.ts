import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { NetguardInputError } from "./inputError";
import { IsolatedServiceNet } from "./isolatedServiceNet";
import { dockerName, programChildNames } from "./naming";
import { ContainerArgsBesidesNetworking, ContainerProcess, checkAliases, containerArgsFor, optionalString } from "./serviceSpec";

/** How a dual-homed container sits on one of its nets. */
export interface AttachmentSettings {
    /** Extra DNS names on this net; the component's name is always one. */
    aliases?: string[];
    /** Static address on this net: inside its subnet, not its gateway, outside its ip range. */
    ipv4Address?: string;
    /** Which net's gateway becomes the default route (highest wins; Docker 28+). */
    gwPriority?: number;
}

/** One net a dual-homed container joins. */
export interface NetAttachment extends AttachmentSettings {
    net: IsolatedServiceNet;
}

export interface DualHomedContainerArgs extends ContainerProcess {
    /** Any other container settings; networking is the component's job. */
    containerArgs?: ContainerArgsBesidesNetworking;
    /** Two or more distinct nets. This container is the only bridge between them. */
    attachments: NetAttachment[];
}

/**
 * A container deliberately attached to two or more isolated nets: the one
 * place where their members meet, declared so that review sees it and the
 * `docker-multi-homing-declared` policy accepts it.
 */
export class DualHomedContainer extends pulumi.ComponentResource {
    readonly container: docker.Container;
    /** The container's name on the Docker engine (includes project and stack). */
    readonly dockerName: string;

    constructor(name: string, args: DualHomedContainerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("netguard:index:DualHomedContainer", name, {}, opts);
        const component = `DualHomedContainer "${name}"`;
        const attachments = args?.attachments;
        if (!Array.isArray(attachments)) {
            throw new NetguardInputError(component, "attachments", attachments, "must be a list of at least two nets");
        }
        attachments.forEach((attachment, i) => {
            if (!(attachment?.net instanceof IsolatedServiceNet)) {
                throw new NetguardInputError(component, `attachments[${i}].net`, String(attachment?.net), "must be an IsolatedServiceNet");
            }
        });
        const distinct = new Set(attachments.map((attachment) => attachment.net));
        if (distinct.size < 2 || distinct.size !== attachments.length) {
            throw new NetguardInputError(
                component,
                "attachments",
                attachments.map((attachment) => attachment.net.dockerName),
                "must name at least two distinct nets, each once (a container on one net belongs in its services)",
            );
        }

        const networksAdvanced = attachments.map((attachment, i) => {
            const field = `attachments[${i}]`;
            const ipv4Address = optionalString(component, `${field}.ipv4Address`, attachment.ipv4Address);
            if (ipv4Address !== undefined) attachment.net.ipam.claimStatic(component, `${field}.ipv4Address`, ipv4Address, component);
            if (attachment.gwPriority !== undefined && !Number.isInteger(attachment.gwPriority)) {
                throw new NetguardInputError(component, `${field}.gwPriority`, attachment.gwPriority, "must be a whole number");
            }
            return {
                name: attachment.net.network.name,
                aliases: [...new Set([name, ...checkAliases(component, `${field}.aliases`, attachment.aliases)])],
                ipv4Address,
                gwPriority: attachment.gwPriority,
            };
        });

        const holder = programChildNames().claim(name, component);
        if (holder !== undefined) {
            throw new NetguardInputError(component, "name", name, `is the container name ${holder} already makes: both would share a Docker name`);
        }
        this.dockerName = dockerName(name);
        this.container = new docker.Container(
            name,
            containerArgsFor(args, this.dockerName, networksAdvanced, { "netguard.dual-homed": "true" }),
            { parent: this },
        );
        this.registerOutputs({ container: this.container });
    }
}
