/**
 * `docker service create` and `docker service update` lines: a service is
 * one topology node (kind `service`, with its replicas), not one per task.
 */
import { CliSyntax, ParsedArgs, Refused, isRefused, knownTexts, lastValue, maybeText, values } from "./dockerCliArgs";
import { NetworkConnection, Origin, attachmentTo, networkFlags } from "./dockerCommandNodes";
import { parseServicePublish } from "./dockerPublish";
import { isServiceNamespaceNetwork, withUndeclaredServiceEndpoints } from "../../topology/dockerSemantics";
import { Attachment, ContainerNode, Maybe, PublishedPort, UNKNOWN, isKnown } from "../../topology/model";

/** Options of `docker service create` and `update` in both (docker CLI 28). */
const SERVICE_COMMON_VALUES = [
    "cap-add", "cap-drop", "credential-spec", "endpoint-mode", "entrypoint", "health-cmd", "health-interval", "health-retries",
    "health-start-period", "health-timeout", "hostname", "isolation", "limit-cpu", "limit-memory", "limit-pids", "log-driver", "log-opt",
    "max-concurrent", "replicas", "replicas-max-per-node", "reserve-cpu", "reserve-memory", "restart-condition", "restart-delay",
    "restart-max-attempts", "restart-window", "rollback-delay", "rollback-failure-action", "rollback-max-failure-ratio", "rollback-monitor",
    "rollback-order", "rollback-parallelism", "stop-grace-period", "stop-signal", "update-delay", "update-failure-action",
    "update-max-failure-ratio", "update-monitor", "update-order", "update-parallelism", "user", "workdir",
];
const SERVICE_COMMON_FLAGS = ["detach", "init", "no-healthcheck", "no-resolve-image", "quiet", "read-only", "tty", "with-registry-auth", "help"];

export const SERVICE_CREATE_SYNTAX: CliSyntax = {
    flags: new Set(SERVICE_COMMON_FLAGS),
    short: { d: "detach", q: "quiet", t: "tty", e: "env", l: "label", p: "publish", u: "user", w: "workdir" },
    withValue: new Set([
        ...SERVICE_COMMON_VALUES, "config", "constraint", "container-label", "dns", "dns-option", "dns-search", "env", "env-file",
        "generic-resource", "group", "host", "label", "mode", "mount", "name", "network", "placement-pref", "publish", "secret", "sysctl", "ulimit",
    ]),
};

export const SERVICE_UPDATE_SYNTAX: CliSyntax = {
    flags: new Set([...SERVICE_COMMON_FLAGS, "force", "rollback"]),
    short: { d: "detach", q: "quiet", t: "tty", u: "user", w: "workdir" },
    withValue: new Set([
        ...SERVICE_COMMON_VALUES, "args", "image", ...["config", "constraint", "container-label", "dns", "dns-option", "dns-search", "env",
            "generic-resource", "group", "host", "label", "mount", "network", "placement-pref", "publish", "secret", "sysctl", "ulimit"]
            .flatMap((name) => [`${name}-add`, `${name}-rm`]),
    ]),
};

export const SERVICE_CREATE_JUDGED = ["network", "name", "publish", "replicas", "mode"];
export const SERVICE_UPDATE_JUDGED = ["network-add", "network-rm"];

const SERVICE_MODES = ["replicated", "global", "replicated-job", "global-job"];

/** Go's `strconv.ParseUint(text, 0, 64)`, as pflag reads a `uint` flag: decimal, `0x`, `0o` or `0` octal, `0b`, `_` between digits. */
function parseGoUint(text: string): number | undefined {
    if (!/^[0-9a-zA-Z]+(_[0-9a-zA-Z]+)*$/.test(text)) return undefined;
    const digits = text.replace(/_/g, "");
    const prefixed = /^0([xob])(.+)$/i.exec(digits);
    const [radix, body] = prefixed
        ? [{ x: 16, o: 8, b: 2 }[prefixed[1].toLowerCase() as "x" | "o" | "b"], prefixed[2]]
        : digits.length > 1 && digits.startsWith("0") ? [8, digits.slice(1)] : [10, digits];
    const valid: Record<number, RegExp> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^\d+$/, 16: /^[0-9a-f]+$/i };
    return valid[radix].test(body) ? parseInt(body, radix) : undefined;
}

/**
 * The tasks a `docker service create` line asks for: `--replicas` (default
 * 1) in replicated modes; unknown for global modes (one task per eligible
 * node: the swarm decides) and for values hidden behind expansions. Refused
 * as the CLI refuses: an unknown mode, a malformed count, `--replicas` with
 * a global mode.
 */
function serviceReplicas(parsed: ParsedArgs): Maybe<number> | Refused {
    const modeWord = lastValue(parsed, "mode");
    const mode = modeWord === undefined ? "replicated" : maybeText(modeWord)!;
    if (isKnown(mode) && !SERVICE_MODES.includes(mode)) return { refused: `Unknown mode: ${mode}, only replicated and global supported` };
    const replicasWord = lastValue(parsed, "replicas");
    let replicas: Maybe<number> = 1;
    if (replicasWord !== undefined) {
        const parsedCount = replicasWord.known ? parseGoUint(replicasWord.text) : UNKNOWN;
        if (parsedCount === undefined) return { refused: `invalid argument ${JSON.stringify(replicasWord.text)} for "--replicas" flag` };
        if (isKnown(mode) && mode.startsWith("global")) return { refused: "replicas can only be used with replicated or replicated-job mode" };
        replicas = parsedCount;
    }
    return isKnown(mode) && !mode.startsWith("global") ? replicas : UNKNOWN;
}

/** A network a service names. Docker refuses the default bridge for a service: `bridge` stays a reference, never docker0. */
function serviceAttachmentTo(reference: Maybe<string>, aliases: string[]): Attachment {
    return { ...attachmentTo(reference, aliases, undefined), network: undefined };
}

/**
 * One `docker service create` line: a service node. Its networks are the
 * `--network` values, plus Docker's own endpoints (the routing mesh's for
 * a port published in ingress mode; without `--network` and such a port,
 * the node's default bridge); `host` and `none` are network modes, as for
 * containers. `--network bridge` stays a reference: Docker refuses the
 * default bridge for services. Services get their addresses from the
 * swarm: an `ip=` of the long syntax is ignored, as the CLI ignores it.
 */
export function serviceFromCreate(parsed: ParsedArgs, origin: Origin): ContainerNode | Refused {
    const flags = networkFlags(values(parsed, "network"));
    if (isRefused(flags)) return flags;
    const replicas = serviceReplicas(parsed);
    if (isRefused(replicas)) return replicas;
    const ports: PublishedPort[] = [];
    for (const text of knownTexts(values(parsed, "publish"))) {
        const published = parseServicePublish(text);
        if (isRefused(published)) return { refused: `--publish ${text}: ${published.refused}` };
        ports.push(...published);
    }
    const name = maybeText(lastValue(parsed, "name"));
    // `host` and `none` are the service's network mode, not networks (as the Pulumi reader reads them).
    const namespaceFlag = flags.find((flag) => isKnown(flag.reference) && isServiceNamespaceNetwork(flag.reference));
    const attachments = flags.filter((flag) => flag !== namespaceFlag).map((flag) => serviceAttachmentTo(flag.reference, flag.aliases));
    // No --network: no network named, unless an unknown word may have carried one.
    if (flags.length === 0 && parsed.hidden.length > 0) attachments.push(serviceAttachmentTo(UNKNOWN, []));
    // An unknown first network may be `host` too: the mode stays unknown rather than guessed.
    const mode = namespaceFlag?.reference ?? (flags[0] !== undefined && !isKnown(flags[0].reference) ? UNKNOWN : undefined);
    return withUndeclaredServiceEndpoints({
        key: origin.key,
        resource: origin.source.urn,
        name: name !== undefined && isKnown(name) ? name : origin.fallbackName,
        dockerName: name,
        ...(mode !== undefined ? { networkMode: mode } : {}),
        attachments,
        links: [],
        declaredMultiHomed: false,
        origin: "command",
        ports,
        kind: "service",
        replicas,
    });
}

/**
 * `docker service update --network-add NET --network-rm NET SERVICE`: one
 * connection per network added or removed. Other changes (`--publish-add`,
 * `--replicas`, …) are not applied: the rules judge the service as created.
 */
export function serviceUpdateConnections(parsed: ParsedArgs, origin: Origin): NetworkConnection[] | Refused {
    const added = networkFlags(values(parsed, "network-add"));
    if (isRefused(added)) return { refused: added.refused.replace("--network", "--network-add") };
    const service = parsed.positionals[0] ? maybeText(parsed.positionals[0])! : UNKNOWN;
    const connection = (kind: "connect" | "disconnect", reference: Maybe<string>, aliases: string[]): NetworkConnection => ({
        kind,
        workload: "service",
        key: origin.key,
        resource: origin.source.urn,
        fallbackName: origin.fallbackName,
        container: service,
        attachment: serviceAttachmentTo(reference, aliases),
        links: [],
    });
    return [
        ...values(parsed, "network-rm").map((word) => connection("disconnect", maybeText(word)!, [])),
        ...added.map((flag) => connection("connect", flag.reference, flag.aliases)),
    ];
}
