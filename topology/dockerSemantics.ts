/**
 * How Docker reads the network fields that both a `docker.Container` and a
 * `docker run` line carry (`networkMode`/`--network`, `links`/`--link`).
 * Shared by the Pulumi adapter and the command-line adapter so the two
 * cannot disagree.
 */
import { DEFAULT_BRIDGE_NAME, Link, Maybe, UNKNOWN } from "./model";

/** True when `networkMode` names the default bridge (no mode at all included: Docker's default). */
export function isDefaultBridgeMode(mode: Maybe<string> | undefined): boolean {
    return mode === undefined || mode === DEFAULT_BRIDGE_NAME || mode === "default";
}

/** Network modes that share a namespace (or have none) instead of attaching to a network. */
export function isSharedNamespaceMode(mode: Maybe<string> | undefined): boolean {
    return mode === "host" || mode === "none" || (typeof mode === "string" && /^(container|service):/.test(mode));
}

/** Parses one legacy link as Docker writes it: `target`, `target:alias`, or `/target:/self/alias`. */
export function parseLink(value: string): Link {
    const [target, alias] = value.replace(/^\//, "").split(":");
    return alias ? { target, alias: alias.replace(/^.*\//, "") } : { target };
}

/**
 * The other container of a `container:<other>` mode, as written; UNKNOWN
 * when the mode itself is unknown (it may be one); undefined for other modes.
 */
export function sharedNamespaceTarget(mode: Maybe<string> | undefined): Maybe<string> | undefined {
    if (mode === UNKNOWN) return UNKNOWN;
    return typeof mode === "string" && mode.startsWith("container:") ? mode.slice("container:".length) : undefined;
}

/**
 * Networks a swarm service may name that are no network of its own: `host`
 * (the task shares its node's namespace) and `none`. Docker reads
 * `--network host` on `docker service create` as the container's
 * `--network host`, so the topology records it as the node's network mode.
 */
export function isServiceNamespaceNetwork(name: string): boolean {
    return name === "host" || name === "none";
}
