/** The plan of a DualHomedContainer: its attachments checked, its static addresses claimed, its container. */
import { AttachmentSettings, ContainerArgsBesidesNetworking, ContainerProcess } from "../args";
import { PlanContext } from "../programState";
import { JoinedNet, NetGuard, checkAttachments, checkDualHomedName } from "./attachments";
import { fail, dnsNames, optionalString } from "./validate";
import { ContainerPlan, planContainer } from "./workload";

/** A DualHomedContainer's args over nets of type `N`. */
export interface DualHomedContainerRequest<N> extends ContainerProcess {
    containerArgs?: ContainerArgsBesidesNetworking;
    attachments: readonly (AttachmentSettings & { net: N })[];
}

/** The container's place on one net. */
export interface ContainerAttachmentPlan<N> {
    readonly net: N;
    /** The component's name, then the aliases. */
    readonly aliases: readonly string[];
    readonly ipv4Address?: string;
    readonly gwPriority?: number;
}

export interface DualHomedContainerPlan<N> {
    readonly component: string;
    /** Logical name: the component's. */
    readonly container: ContainerPlan;
    /** In the order given. */
    readonly attachments: readonly ContainerAttachmentPlan<N>[];
}

/**
 * Plans the container `name` on its nets. Throws {@link NetguardInputError};
 * static addresses and the name are recorded only when the whole plan holds.
 */
export function planDualHomedContainer<N extends JoinedNet>(
    name: string,
    args: DualHomedContainerRequest<N>,
    context: PlanContext,
    isNet: NetGuard<N>,
): DualHomedContainerPlan<N> {
    const component = `DualHomedContainer "${name}"`;
    const attachments = checkAttachments(component, args?.attachments, isNet);
    attachments.forEach(({ net }, i) => {
        if (net.scope === "swarm" && !net.attachable) {
            fail(
                component,
                `attachments[${i}].net`,
                net.dockerName,
                `IsolatedServiceNet "${net.logicalName}" is a swarm-scope net that is not attachable: Docker lets only services join it. ` +
                    "Set attachable: true on the net, or use a DualHomedService",
            );
        }
    });
    const planned = attachments.map((attachment, i): ContainerAttachmentPlan<N> => {
        const field = `attachments[${i}]`;
        const ipv4Address = optionalString(component, `${field}.ipv4Address`, attachment.ipv4Address);
        if (ipv4Address !== undefined) attachment.net.ipam.checkStatic(`${field}.ipv4Address`, ipv4Address, component);
        if (attachment.gwPriority !== undefined && !Number.isInteger(attachment.gwPriority)) {
            fail(component, `${field}.gwPriority`, attachment.gwPriority, "must be a whole number");
        }
        return { net: attachment.net, aliases: dnsNames(component, `${field}.aliases`, name, attachment.aliases), ipv4Address, gwPriority: attachment.gwPriority };
    });
    checkDualHomedName(context, component, name, "container");

    planned.forEach(({ net, ipv4Address }, i) => {
        if (ipv4Address !== undefined) net.ipam.claimStatic(component, `attachments[${i}].ipv4Address`, ipv4Address, component);
    });
    context.state.childNames.claim(name, component);
    return { component, container: planContainer(context, name, args, { "netguard.dual-homed": "true" }), attachments: planned };
}
