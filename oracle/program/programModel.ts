/**
 * One generated case of the program oracle: a small `@pulumi/docker`
 * program (raw networks and containers, and the IsolatedServiceNet and
 * DualHomedContainer components) as a structured spec, what fast-check draws.
 *
 * Names carry the case's id (`fz<seed>-<index>`; a component's Docker name
 * is `<id>-o-<logical>`, the program running as project `<id>`, stack `o`),
 * and every subnet is carved from the program cases' own scratch ranges,
 * 10.196.0.0/16 (addresses placed "out" of their network: 10.197.0.0/16) and
 * fd00:196::/32, apart from the command cases' 10.198.0.0/15 and
 * fd00:199::/32.
 */
import { Placement } from "../caseModel";

export { Placement };

export interface ProgramBlock {
    readonly family: 4 | 6;
    /** The /24 (/64) slot of the case's range: two networks on one slot overlap. */
    readonly slot: number;
    readonly gateway: boolean;
}

export interface ProgramNetwork {
    readonly blocks: readonly ProgramBlock[];
    readonly ipv6: boolean;
    readonly internal: boolean;
    readonly writeDriver: boolean;
    readonly icc?: "true" | "false";
}

/** What a container's `networkMode` says. */
export type ProgramMode =
    | { readonly kind: "bridge" | "host" | "none" }
    | { readonly kind: "network"; readonly net: number }
    | { readonly kind: "container"; readonly container: number };

/** A `networksAdvanced` entry: a raw network (`net`) or an IsolatedServiceNet (`isolated`). */
export interface ProgramAttachment {
    readonly net: number;
    readonly isolated: boolean;
    readonly aliases: number;
    readonly ipv4?: Placement;
    readonly ipv6?: Placement;
}

export interface ProgramPort {
    readonly internal: number;
    readonly fixedHost: boolean;
    readonly ip?: "127.0.0.1" | "0.0.0.0";
    readonly protocol?: "tcp" | "udp";
}

export interface ProgramContainer {
    readonly mode?: ProgramMode;
    readonly attachments: readonly ProgramAttachment[];
    readonly ports: readonly ProgramPort[];
    readonly publishAll: boolean;
    /** Earlier containers, as `links` ("name:alias"). */
    readonly links: readonly number[];
}

export interface ProgramIsolatedNet {
    readonly slot: number;
    readonly internal: boolean;
    readonly interContainer: boolean;
    readonly services: readonly { readonly aliases: number; readonly staticAddress: boolean }[];
}

export interface ProgramDualHomed {
    /** Indexes of IsolatedServiceNets (two or more, distinct). */
    readonly nets: readonly number[];
    readonly aliases: number;
    readonly staticAddress: boolean;
}

export interface ProgramSpec {
    readonly networks: readonly ProgramNetwork[];
    readonly isolated: readonly ProgramIsolatedNet[];
    readonly containers: readonly ProgramContainer[];
    readonly dualHomed: readonly ProgramDualHomed[];
}

/** Where the program cases' networks lie (the blocks the engine read-back keeps). */
export const PROGRAM_SCRATCH: readonly string[] = ["10.196.0.0/16", "fd00:196::/32"];

/** The stack a case's program runs as: its components' Docker names start with `<project>-<stack>-`. */
export const PROGRAM_STACK = "o";

/** Names and addresses of a program case. */
export class ProgramNames {
    constructor(
        readonly id: string,
        readonly index: number,
    ) {}

    network(n: number): string {
        return `${this.id}-n${n}`;
    }

    container(c: number): string {
        return `${this.id}-c${c}`;
    }

    alias(c: number, k: number): string {
        return `${this.id}-a${c}x${k}`;
    }

    /** Logical names of the components (their Docker names add project and stack). */
    isolated(i: number): string {
        return `i${i}`;
    }

    dualHomed(d: number): string {
        return `d${d}`;
    }

    private third(slot: number): number {
        return ((this.index % 16) * 16 + (slot % 16)) % 256;
    }

    subnet4(slot: number): string {
        return `10.196.${this.third(slot)}.0/24`;
    }

    gateway4(slot: number): string {
        return `10.196.${this.third(slot)}.1`;
    }

    address4(slot: number, host: number, placement: Placement): string {
        return `10.${placement === "out" ? 197 : 196}.${this.third(slot)}.${host}`;
    }

    /** Canonical text (Docker writes `fd00:196:7::/64`, not `fd00:196:7:0::/64`): a difference of spelling is not the reader's. */
    private prefix6(slot: number, third: string = (this.index % 4096).toString(16)): string {
        return slot === 0 ? `fd00:196:${third}:` : `fd00:196:${third}:${slot.toString(16)}:`;
    }

    subnet6(slot: number): string {
        return `${this.prefix6(slot)}:/64`;
    }

    gateway6(slot: number): string {
        return `${this.prefix6(slot)}:1`;
    }

    address6(slot: number, host: number, placement: Placement): string {
        return `${this.prefix6(slot, placement === "out" ? "ffff" : undefined)}:${host.toString(16)}`;
    }

    /** A fixed host port, unique within the case's run. */
    hostPort(container: number, k: number): number {
        return 30000 + (this.index % 1000) * 16 + container * 3 + k;
    }
}
