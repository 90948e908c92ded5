/** The plan of a DualHomedService: its attachments checked (swarm-scope nets, no addresses), its service. */
import { ContainerProcess, ServiceReplication } from "../args";
import { PlanContext } from "../programState";
import { JoinedNet, NetGuard, checkAttachments, checkDualHomedName } from "./attachments";
import { dnsNames, fail } from "./validate";
import { SwarmServicePlan, planSwarmService } from "./workload";

/** A DualHomedService's args over nets of type `N`. */
export interface DualHomedServiceRequest<N> extends ContainerProcess, ServiceReplication {
    attachments: readonly { net: N; aliases?: string[] }[];
}

/** The service's place on one net. */
export interface ServiceAttachmentPlan<N> {
    readonly net: N;
    /** The component's name, then the aliases. */
    readonly aliases: readonly string[];
}

export interface DualHomedServicePlan<N> {
    readonly component: string;
    /** Logical name: the component's. */
    readonly service: SwarmServicePlan;
    /** In the order given, so that a preview pairs each unknown network id with its network. */
    readonly attachments: readonly ServiceAttachmentPlan<N>[];
}

/** Plans the swarm service `name` on its nets. Throws {@link NetguardInputError}; the name is recorded only when the whole plan holds. */
export function planDualHomedService<N extends JoinedNet>(
    name: string,
    args: DualHomedServiceRequest<N>,
    context: PlanContext,
    isNet: NetGuard<N>,
): DualHomedServicePlan<N> {
    const component = `DualHomedService "${name}"`;
    const attachments = checkAttachments(component, args?.attachments, isNet);
    attachments.forEach((attachment, i) => {
        const { net } = attachment;
        if (net.scope !== "swarm") {
            fail(
                component,
                `attachments[${i}].net`,
                net.dockerName,
                `IsolatedServiceNet "${net.logicalName}" is a local-scope net (a bridge): a swarm service joins only swarm-scope (overlay) nets. ` +
                    'Set scope: "swarm" on the net, or use a DualHomedContainer',
            );
        }
        // Not in the type, but JavaScript and other languages can pass them: Docker has no such setting for a service.
        for (const field of ["ipv4Address", "gwPriority"] as const) {
            const value = (attachment as { net: N } & Partial<Record<typeof field, unknown>>)[field];
            if (value !== undefined) {
                fail(component, `attachments[${i}].${field}`, value, "cannot apply to a swarm service: Docker gives each task its address and route");
            }
        }
    });
    const planned = attachments.map(({ net, aliases }, i) => ({ net, aliases: dnsNames(component, `attachments[${i}].aliases`, name, aliases) }));
    checkDualHomedName(context, component, name, "service");
    const service = planSwarmService(context, component, "", name, args, { "netguard.dual-homed": "true" });
    context.state.childNames.claim(name, component);
    return { component, service, attachments: planned };
}
