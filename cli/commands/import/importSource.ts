/**
 * What `netguard import` translates: the topology every reader produces,
 * plus what the topology does not hold and a program needs (each
 * container's service name, image, command and environment; each network's
 * logical key). The Compose and live readers each build one
 * (`composeSource.ts`, `engineSource.ts`), so both share one translation.
 */
import { Topology } from "../../../topology/model";

/** What a container runs, and the service it stands for. */
export interface SourceWorkload {
    /** The service's name (Compose's service key, a live container's Compose service label, else its Docker name). */
    readonly service: string;
    /** Undefined when the source gives none (a Compose service built from source). */
    readonly image?: string;
    readonly command?: readonly string[];
    /** `KEY=value` strings. */
    readonly envs?: readonly string[];
}

/** One thing the source had that the program does not carry, and why. */
export interface SourceGap {
    /** Where in the source: `services.web.ports[0]`, `container shop-web`, … */
    readonly subject: string;
    readonly reason: string;
}

export interface ImportSource {
    /** The source as a comment names it: `compose.yaml (project shop)`, `the Docker engine at unix:///var/run/docker.sock`. */
    readonly description: string;
    /** Where allocated subnets hash from, so that two imports of one source choose the same ones. */
    readonly identity: string;
    readonly topology: Topology;
    /** By topology network key: the network's logical name (Compose's network key, else its Docker name). */
    readonly networkNames: ReadonlyMap<string, string>;
    /** By topology container key. A container without an entry is named after its Docker name. */
    readonly workloads: ReadonlyMap<string, SourceWorkload>;
    /** What the reader itself could not read. */
    readonly gaps: readonly SourceGap[];
}
