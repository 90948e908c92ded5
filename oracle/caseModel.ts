/**
 * One generated case of the command-line oracle: a short script of docker
 * commands as a structured list of steps (what the generator draws) and the
 * shell text they render to (what both our reader and the real `sh` get).
 *
 * Every name is prefixed with the case's id, every network and container
 * carries `--label netguard.fuzz=<runId>`, and every subnet is carved from
 * the scratch ranges 10.199.0.0/16 and fd00:199::/48, so a case touches
 * nothing but what it made.
 */

export const FUZZ_LABEL = "netguard.fuzz";
export const IMAGE = "netguard-probe:local";

/** Where an address of a step lies relative to the network it is meant for. */
export type Placement = "in" | "out";

export interface BlockSpec {
    readonly family: 4 | 6;
    /** The /24 (or /64) slot of the case's scratch range; two networks on one slot overlap. */
    readonly slot: number;
    /** A wider IPv4 block (/23) that overlaps the next slot. */
    readonly wide: boolean;
    readonly gateway?: Placement;
    readonly ipRange?: boolean;
    readonly aux?: Placement;
}

export interface NetCreate {
    readonly op: "netCreate";
    readonly net: number;
    readonly writeDriver: boolean;
    readonly blocks: readonly BlockSpec[];
    readonly ipv6: boolean;
    readonly internal: boolean;
    readonly icc?: "true" | "false";
    readonly masquerade?: "false";
    /** `--ipv4=false` (API 1.48, engine 29 only). */
    readonly ipv4False: boolean;
}

/** A network as `--network` names it. */
export type NetTarget =
    | { readonly kind: "user"; readonly net: number }
    | { readonly kind: "mode"; readonly mode: "host" | "none" | "bridge" | "default" }
    | { readonly kind: "container"; readonly container: number };

export type NetSpelling = "space" | "equals" | "net" | "netEquals" | "long";

export interface NetFlag {
    readonly target: NetTarget;
    readonly spelling: NetSpelling;
    /** Long syntax only: `alias=` and `ip=` fields. */
    readonly longAlias?: boolean;
    readonly longIp?: Placement;
}

export interface PortSpec {
    readonly ip?: "127.0.0.1" | "0.0.0.0" | "::1" | "";
    readonly host: "none" | "fixed" | "range";
    readonly container: number;
    readonly protocol?: "tcp" | "udp";
    readonly spelling: "-p" | "--publish" | "--publish=";
}

export interface Run {
    readonly op: "run";
    readonly container: number;
    /** `docker create` then `docker start` instead of `docker run -d`. */
    readonly createThenStart: boolean;
    readonly networks: readonly NetFlag[];
    readonly ip?: Placement;
    readonly ip6?: Placement;
    readonly aliases: number;
    readonly aliasFlag: "--network-alias" | "--net-alias";
    readonly links: readonly number[];
    readonly ports: readonly PortSpec[];
    readonly publishAll: boolean;
}

export interface Connect {
    readonly op: "connect";
    readonly net: number;
    readonly container: number;
    readonly alias: boolean;
    readonly ip?: Placement;
}

export interface Disconnect {
    readonly op: "disconnect";
    readonly net: number;
    readonly container: number;
}

export interface Remove {
    readonly op: "rm";
    readonly container: number;
}

export type Step = NetCreate | Run | Connect | Disconnect | Remove;

/** How a step's command is written in the script. */
export type Wrapping = "plain" | "variable" | "chain" | "semicolon" | "function" | "alias";

export interface WrappedStep {
    readonly step: Step;
    readonly wrapping: Wrapping;
}

export interface CaseSpec {
    readonly steps: readonly WrappedStep[];
    /** `exit 0` is written before this step (undefined: no exit). */
    readonly exitBefore?: number;
}

/** A generated case with its identity. */
export interface OracleCase {
    readonly index: number;
    /** The seed and path fast-check reports for this case's run. */
    readonly seed: number;
    /** Prefix of every name in the case. */
    readonly id: string;
    readonly runId: string;
    readonly engine: string;
    readonly spec: CaseSpec;
}

/** Names and addresses of a case. */
export class CaseNames {
    constructor(
        readonly id: string,
        readonly index: number,
    ) {}

    net(n: number): string {
        return `${this.id}-n${n}`;
    }

    container(c: number): string {
        return `${this.id}-c${c}`;
    }

    alias(c: number, k: number): string {
        return `${this.id}-a${c}x${k}`;
    }

    /** The case's IPv4 /20: 16 slots of /24. */
    private v4Base(slot: number): [number, number] {
        const third = ((this.index % 16) * 16 + (slot % 16)) % 256;
        return [199, third];
    }

    subnet4(block: BlockSpec): string {
        const [b, c] = this.v4Base(block.wide ? block.slot & ~1 : block.slot);
        return `10.${b}.${c}.0/${block.wide ? 23 : 24}`;
    }

    /** An address of the block (host `host`), or one outside the case's range when `out`. */
    address4(block: BlockSpec, host: number, placement: Placement): string {
        if (placement === "out") return `10.198.${(this.index % 16) * 16 + (block.slot % 16)}.${host}`;
        const [b, c] = this.v4Base(block.wide ? block.slot & ~1 : block.slot);
        return `10.${b}.${c}.${host}`;
    }

    ipRange4(block: BlockSpec): string {
        const [b, c] = this.v4Base(block.wide ? block.slot & ~1 : block.slot);
        return `10.${b}.${c}.128/25`;
    }

    subnet6(block: BlockSpec): string {
        return `fd00:199:${(this.index % 4096).toString(16)}:${block.slot.toString(16)}::/64`;
    }

    address6(block: BlockSpec, host: number, placement: Placement): string {
        const third = placement === "out" ? "ffff" : (this.index % 4096).toString(16);
        return `fd00:199:${third}:${block.slot.toString(16)}::${host.toString(16)}`;
    }

    ipRange6(block: BlockSpec): string {
        return `fd00:199:${(this.index % 4096).toString(16)}:${block.slot.toString(16)}:8000::/65`;
    }
}
