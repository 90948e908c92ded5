import type { IsolatedServiceNet } from "./isolatedServiceNet";

/** One net a dual-homed workload joins, and its extra DNS names there. */
export interface NetMembership {
    net: IsolatedServiceNet;
    /** Extra DNS names on this net; the component's name is always one. */
    aliases?: string[];
}
