/**
 * The shape both sides are compared in: the case's own networks and
 * containers by Docker name, with only what a script decides (written IPAM
 * blocks, selected options, attachments with chosen aliases and static
 * addresses, published bindings, namespace mode, links). Docker's defaults
 * are applied on the predicted side (a block's gateway is its first
 * address), Docker's own additions removed from the measured side
 * (automatic aliases, subnets it allocated from its default pools).
 */
import { ContainerNode, NetworkNode, PublishedPort, isKnown } from "../topology/model";

/** Bridge options a script may write and the comparison looks at. */
export const SELECTED_OPTIONS: readonly string[] = ["com.docker.network.bridge.enable_icc", "com.docker.network.bridge.enable_ip_masquerade"];

export interface NBlock {
    readonly subnet: string;
    readonly gateway?: string;
    readonly ipRange?: string;
    readonly aux: Record<string, string>;
}

export interface NNetwork {
    readonly driver: string;
    readonly internal: boolean;
    readonly interContainer: boolean;
    readonly blocks: NBlock[];
    readonly options: Record<string, string>;
}

export interface NAttachment {
    readonly aliases: string[];
    readonly ipv4?: string;
    readonly ipv6?: string;
}

export interface NContainer {
    /** `host`, `none`, `container:NAME`, or `networks` (the default bridge or user networks). */
    readonly mode: string;
    readonly attachments: Record<string, NAttachment>;
    /** `ip|host port|container port/protocol`, `*` for every interface, `auto` for a port Docker picks. */
    readonly ports: string[];
    /** `target:alias`. */
    readonly links: string[];
}

export interface NState {
    readonly networks: Record<string, NNetwork>;
    readonly containers: Record<string, NContainer>;
}

export function portKey(port: PublishedPort): string {
    const ip = port.ip === undefined || port.ip === "" ? "*" : port.ip.replace(/^\[|\]$/g, "");
    return `${ip}|${port.external ?? "auto"}|${port.internal}/${port.protocol}`;
}

export function linkKey(link: { target: string; alias?: string }): string {
    const target = link.target.replace(/^\//, "");
    const alias = (link.alias ?? target).split("/").pop() ?? target;
    return `${target}:${alias}`;
}

/** Normalized network mode: the namespace modes, or `networks`. */
export function modeOf(mode: string | undefined, containerName: (idOrName: string) => string = (x) => x): string {
    if (mode === undefined) return "networks";
    if (mode === "host" || mode === "none") return mode;
    if (mode.startsWith("container:")) return `container:${containerName(mode.slice("container:".length))}`;
    return "networks";
}

export function selectedOptions(options: NetworkNode["driverOptions"]): Record<string, string> {
    const result: Record<string, string> = {};
    for (const key of SELECTED_OPTIONS) {
        const value = options?.[key];
        if (value !== undefined && isKnown(value)) result[key] = value;
    }
    return result;
}

export function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
    return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Aliases a user chose: not the container's name, not its id. */
export function chosenAliases(aliases: readonly string[], container: ContainerNode | { name: string; key: string }): string[] {
    const own = new Set([container.name, container.key, container.key.slice(0, 12)]);
    return [...new Set(aliases.filter((alias) => alias && !own.has(alias)))].sort();
}
