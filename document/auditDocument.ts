/**
 * The `netguard audit --json` document (documented in the README): the engine's
 * networks and containers in preview's shape (Docker names as names), the
 * violations, which rules live state cannot judge, and reachability as
 * predicted and, with `--probe`, as measured.
 */
import { EngineSemantics } from "../topology/engineSemantics";
import { Violation } from "../policies/evaluate";
import { ReachablePair } from "../topology/reachability";
import { AttachmentEntry, ContainerEntry, NetworkEntry } from "./previewDocument";

/** A rule that live state cannot judge, and what it catches. */
export interface NotJudged {
    readonly policy: string;
    readonly description: string;
}

export type ProbeMethod = "host" | "exec";

export interface NotProbed {
    readonly container: string;
    readonly reason: string;
}

/** A container that was running when the audit read the engine and is not by the end of the probe. */
export interface GoneContainer {
    readonly container: string;
    /** "removed during the probe" or "stopped during the probe". */
    readonly reason: string;
}

/** A target address the probe leaves alone, and why. */
export interface SkippedAddress {
    readonly target: string;
    readonly network: string;
    readonly address: string;
    readonly reason: string;
}

/** One side of a pair: the networks that carry it and whether a name resolves. */
export interface PairSide {
    readonly networks: string[];
    readonly byName: boolean;
}

/** A pair the prediction and the measurement disagree on; null where one side has no such pair. */
export interface Mismatch {
    readonly from: string;
    readonly to: string;
    readonly predicted: PairSide | null;
    readonly measured: PairSide | null;
}

/** A swarm node as the manager reports it. */
export interface NodeEntry {
    readonly id: string;
    readonly name: string;
    /** `manager` or `worker`. */
    readonly role: string;
    /** `ready`, `down`, `unknown`, `disconnected`. */
    readonly state: string;
    /** `active`, `pause`, `drain`. */
    readonly availability: string;
    /** The address the swarm sees it at. */
    readonly address: string | null;
    readonly leader: boolean;
    /** The audited engine that is this node, by address; null when none is. */
    readonly engine: string | null;
}

/** Where an engine stands in a swarm. */
export type SwarmRole = "manager" | "worker" | "none";

/** An attachment with the host side of its veth pair, when the audit could read it on the engine's host. */
export interface AuditAttachmentEntry extends AttachmentEntry {
    /** The host-side veth interface. */
    readonly hostInterface: string | null;
    /** The host bridge it hangs on: `docker0`, `br-…`. */
    readonly bridge: string | null;
}

/** One task of a service: where it runs and its addresses. */
export interface TaskEntry {
    /** `<service>.<slot>`, as `docker service ps` names it (`<service>.<node id>` for a global service). */
    readonly name: string;
    /** The node it runs on; null when not scheduled yet. */
    readonly node: string | null;
    /** The task's state: `running`, `pending`, `failed`, … */
    readonly state: string;
    readonly attachments: { readonly network: string; readonly ipv4Address: string | null }[];
}

export interface AuditContainerEntry extends ContainerEntry {
    /** A container: it runs. A service: at least one task runs. */
    readonly running: boolean;
    /** The node (or engine) a container runs on, when known; null for a service (its tasks say). */
    readonly node: string | null;
    /** A service's current tasks; null for a container. */
    readonly tasks: TaskEntry[] | null;
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

/** One engine the audit was asked to read. */
export interface EngineEntry {
    readonly address: string;
    /** False for an engine that did not answer (audited without it under --allow-partial). */
    readonly answered: boolean;
    /** Its node's name (the swarm node, else the engine's host name); null when it did not answer. */
    readonly node: string | null;
    readonly version: string | null;
    readonly apiVersion: string | null;
    /** `manager`, `worker` or `none` (not in a swarm); null when it did not answer. */
    readonly swarm: SwarmRole | null;
    /** Why it was not audited; null when it was. */
    readonly error: string | null;
}

export interface AuditDocument {
    /** The first engine that answered. */
    /** The first engine, and the Docker semantics (`20` or `29`) the audit judged with. */
    readonly engine: { readonly address: string; readonly version: string | null; readonly apiVersion: string | null; readonly semantics: EngineSemantics };
    /** Every engine asked (DOCKER_HOST, or each --host), in order. */
    readonly engines: EngineEntry[];
    /** The swarm's nodes, as the manager reports them; empty when no manager was read. */
    readonly nodes: NodeEntry[];
    /** What the audit could not see or found wrong outside the rules (a worker without a manager, a node down, an engine missing). */
    readonly warnings: string[];
    /** The `--label` filters the audit was scoped to. */
    readonly labels: string[];
    readonly networks: NetworkEntry[];
    readonly containers: AuditContainerEntry[];
    readonly violations: Violation[];
    readonly policies: { readonly judged: string[]; readonly notJudged: NotJudged[] };
    readonly reachability: AuditReachability;
}
