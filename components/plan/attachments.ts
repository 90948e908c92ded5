/**
 * What the dual-homed plans share: the check of their attachments (two or
 * more distinct nets) and of their one child name.
 */
import { PlanContext } from "../programState";
import { NetworkScope } from "../../topology/model";
import { IpamPlan } from "./ipamPlan";
import { fail } from "./validate";

/**
 * What a dual-homed plan reads of a net it joins. An IsolatedServiceNet has
 * these fields, and so has its plan, which unit tests pass instead.
 */
export interface JoinedNet {
    readonly logicalName: string;
    readonly scope: NetworkScope;
    readonly attachable: boolean;
    readonly dockerName: string;
    readonly ipam: IpamPlan;
}

/** Tells a net (an IsolatedServiceNet, for the components) from anything else a caller passed as one. */
export type NetGuard<N extends JoinedNet> = (value: unknown) => value is N;

/** Checks that `attachments` name at least two distinct nets, each once. */
export function checkAttachments<N extends JoinedNet, A extends { net: unknown }>(
    component: string,
    attachments: readonly A[] | undefined,
    isNet: NetGuard<N>,
): readonly (A & { net: N })[] {
    if (!Array.isArray(attachments)) fail(component, "attachments", attachments, "must be a list of at least two nets");
    const checked = attachments.map((attachment, i) => {
        if (!isNet(attachment?.net)) fail(component, `attachments[${i}].net`, String(attachment?.net), "must be an IsolatedServiceNet");
        return attachment as A & { net: N };
    });
    const distinct = new Set(checked.map((attachment) => attachment.net));
    if (distinct.size < 2 || distinct.size !== checked.length) {
        fail(
            component,
            "attachments",
            checked.map((attachment) => attachment.net.dockerName),
            "must name at least two distinct nets, each once (a workload on one net belongs in its services)",
        );
    }
    return checked;
}

/** Checks that no other workload of the program makes the component's name; `kind` is "container" or "service". */
export function checkDualHomedName(context: PlanContext, component: string, name: string, kind: string): void {
    const holder = context.state.childNames.holderOf(name);
    if (holder !== undefined) fail(component, "name", name, `is the ${kind} name ${holder} already makes: both would share a Docker name`);
}
