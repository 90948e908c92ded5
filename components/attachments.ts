/**
 * What a dual-homed container and a dual-homed service share: the check of
 * their attachments (two or more distinct nets) and of their one child name.
 */
import { NetguardInputError } from "./inputError";
import { IsolatedServiceNet } from "./isolatedServiceNet";
import { programState } from "./programState";
import { checkAliases } from "./serviceSpec";

/** One net a dual-homed workload joins, and its extra DNS names there. */
export interface NetMembership {
    net: IsolatedServiceNet;
    /** Extra DNS names on this net; the component's name is always one. */
    aliases?: string[];
}

/** Checks that `attachments` name at least two distinct nets, each once; throws {@link NetguardInputError}. */
export function checkAttachments<T extends NetMembership>(component: string, attachments: readonly T[] | undefined): readonly T[] {
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
            "must name at least two distinct nets, each once (a workload on one net belongs in its services)",
        );
    }
    return attachments;
}

/** The DNS names of a dual-homed workload on one net: its own name, then the attachment's aliases. */
export function membershipAliases(component: string, name: string, index: number, attachment: NetMembership): string[] {
    return [...new Set([name, ...checkAliases(component, `attachments[${index}].aliases`, attachment.aliases)])];
}

/** Claims the component's own name for its one child; `kind` is "container" or "service". */
export function claimDualHomedName(component: string, name: string, kind: string): void {
    const holder = programState().childNames.claim(name, component);
    if (holder !== undefined) {
        throw new NetguardInputError(component, "name", name, `is the ${kind} name ${holder} already makes: both would share a Docker name`);
    }
}
