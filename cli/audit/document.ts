/**
 * The `netguard audit --json` document (documented in the README): the engine's
 * networks and containers in preview's shape (Docker names as names), the
 * violations, which rules live state cannot judge, and reachability as
 * predicted and, with `--probe`, as measured.
 */
import { Violation } from "../../policies/evaluate";
import { ReachablePair } from "../../topology/reachability";
import { AttachmentEntry, ContainerEntry, NetworkEntry } from "../preview/document";
import { NotJudged } from "./liveRules";
import { ProbeMethod } from "./hostProbe";
import { GoneContainer, NotProbed } from "./probe";
import { SkippedAddress } from "./probeScript";
import { Mismatch } from "./reachabilityReport";

/** An attachment with the host side of its veth pair, when the audit could read it on the engine's host. */
export interface AuditAttachmentEntry extends AttachmentEntry {
    /** The host-side veth interface. */
    readonly hostInterface: string | null;
    /** The host bridge it hangs on: `docker0`, `br-…`. */
    readonly bridge: string | null;
}

export interface AuditContainerEntry extends ContainerEntry {
    readonly running: boolean;
    /** The network mode as the engine reports it, `container:NAME` by name (`default`, `host`, `none`, …); null when it reports none. */
    readonly networkMode: string | null;
    readonly attachments: AuditAttachmentEntry[];
}

export interface AuditReachability {
    /** Pairs between running containers, and from the Docker host (`@host`) to them, as the topology predicts them. */
    readonly predicted: ReachablePair[];
    /** Pairs as probed from the containers (and, probing from the host, from `@host`); null without `--probe`. */
    readonly measured: ReachablePair[] | null;
    /** Pairs where the two disagree; null without `--probe`. */
    readonly mismatches: Mismatch[] | null;
    /** How the measurement went; null without `--probe`. */
    readonly probe: {
        /** Which probe ran: `host` (from the host into each namespace) or `exec` (inside each container). */
        readonly method: ProbeMethod;
        readonly durationMs: number;
        readonly probed: string[];
        readonly notProbed: NotProbed[];
        readonly skippedAddresses: SkippedAddress[];
        /** Containers removed or stopped during the probe: not running, neither measured nor compared. */
        readonly gone: GoneContainer[];
        /** Why the measurement is incomplete (the engine was lost mid-probe), or null when it ran to the end. */
        readonly incomplete: string | null;
    } | null;
}

export interface AuditDocument {
    readonly engine: { readonly address: string; readonly version: string | null; readonly apiVersion: string | null };
    /** The `--label` filters the audit was scoped to. */
    readonly labels: string[];
    readonly networks: NetworkEntry[];
    readonly containers: AuditContainerEntry[];
    readonly violations: Violation[];
    readonly policies: { readonly judged: string[]; readonly notJudged: NotJudged[] };
    readonly reachability: AuditReachability;
}
