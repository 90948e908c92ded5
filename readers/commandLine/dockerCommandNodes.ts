/**
 * What the command-line adapter's readers share: where a node comes from,
 * attachments as `--network` writes them, and connections applied once the
 * whole stack is known.
 */
import { NetworkFlag, Refused, isRefused, parseNetworkFlag } from "./dockerCliArgs";
import { Attachment, DEFAULT_BRIDGE_KEY, DEFAULT_BRIDGE_NAME, Link, Maybe, WorkloadKind } from "../../topology/model";
import { ShellWord } from "./shell/shellWords";

/** The resource whose scripts are read. */
export interface CommandSource {
    readonly urn: string;
    /** Logical name: unnamed containers are called `<name> line <n>`. */
    readonly name: string;
}

/**
 * A `docker network connect` (or `disconnect`) of a container, or a `docker
 * service update --network-add` (or `--network-rm`) of a service, that may
 * be declared elsewhere in the stack.
 */
export interface NetworkConnection {
    readonly kind: "connect" | "disconnect";
    /** What is connected: a container (`docker network connect`) or a service (`docker service update`). */
    readonly workload: WorkloadKind;
    /** Key for a container node created for a container no resource declares. */
    readonly key: string;
    readonly resource: string;
    /** Name for such a node when the container's own name is unknown. */
    readonly fallbackName: string;
    /** The container as the command names it (its Docker name). */
    readonly container: Maybe<string>;
    readonly attachment: Attachment;
    readonly links: readonly Link[];
    /** Where the command is written, to list it as not judged when Docker refuses it. */
    readonly at?: { readonly field: string; readonly line: number; readonly excerpt: string; readonly name: string };
}

/** Where a node comes from: the resource, the command's ordinal (for keys) and a readable name. */
export interface Origin {
    readonly source: CommandSource;
    readonly key: string;
    readonly fallbackName: string;
}

export function attachmentTo(reference: Maybe<string>, aliases: string[], ip: Maybe<string> | undefined, ip6?: Maybe<string>): Attachment {
    return {
        ...(ip6 === undefined ? {} : { ipv6Address: ip6, staticIpv6: true }),
        reference,
        network: reference === DEFAULT_BRIDGE_NAME ? DEFAULT_BRIDGE_KEY : undefined,
        aliases,
        ipv4Address: ip,
        staticAddress: ip !== undefined,
    };
}

/** The `--network` values of a command, or the first one the CLI refuses. */
export function networkFlags(words: readonly ShellWord[]): NetworkFlag[] | Refused {
    const flags = words.map(parseNetworkFlag);
    const refused = flags.find(isRefused);
    return refused ? { refused: `--network: ${refused.refused}` } : (flags as NetworkFlag[]);
}
