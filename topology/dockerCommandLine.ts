/**
 * The command-line adapter: `docker` invocations inside the shell scripts of
 * `@pulumi/command` resources, turned into topology nodes.
 *
 * - `docker run` / `docker create` / `docker container run|create` → a
 *   {@link ContainerNode} (origin `command`),
 * - `docker service create` → a {@link ContainerNode} of kind `service`
 *   (one node for all its tasks, with its replicas; `dockerServiceCommandLine.ts`),
 * - `docker network create` → a {@link NetworkNode} (`-d overlay`: a swarm
 *   network, attachable, encrypted or not),
 * - `docker network connect` / `disconnect` and `docker service update
 *   --network-add` / `--network-rm` → a {@link NetworkConnection}, applied
 *   by {@link applyNetworkConnections} once every container and service of
 *   the stack is known (it may come from another resource).
 *
 * A command the docker CLI itself refuses (a malformed `--network`, an
 * unknown `--mode`, `--replicas` with a global service, …) creates nothing
 * and is listed as not judged with the CLI's reason.
 *
 * Keys are `<resource URN>#<n>`, n counting the resource's shell commands;
 * everything is reported on the command resource. Values hidden behind
 * expansions the script does not define are {@link UNKNOWN}.
 */
import { CliSyntax, ParsedArgs, Refused, isRefused, isTrue, knownTexts, lastValue, maybeText, parseArgs, unknownOptions, unknownValues, values } from "./dockerCliArgs";
import { CommandSource, NetworkConnection, Origin, attachmentTo, networkFlags } from "./dockerCommandNodes";
import { parsePublish } from "./dockerPublish";
import {
    SERVICE_CREATE_JUDGED,
    SERVICE_CREATE_SYNTAX,
    SERVICE_UPDATE_JUDGED,
    SERVICE_UPDATE_SYNTAX,
    serviceFromCreate,
    serviceUpdateConnections,
} from "./dockerServiceCommandLine";
import { isDefaultBridgeMode, isSharedNamespaceMode, parseLink, withUndeclaredServiceEndpoints } from "./dockerSemantics";
import { driverScope, networkInterContainer, overlayEncrypted } from "./driverOptions";
import { cidrTextHolds } from "./ipam";
import {
    Attachment,
    ContainerNode,
    DEFAULT_BRIDGE_NAME,
    IpamBlock,
    Maybe,
    NetworkNode,
    UNKNOWN,
    defaultBridgeAttachment,
    isKnown,
    workloadKind,
} from "./model";
import { ShellCommand, ShellWord, readShellScript } from "./shellScript";

export { parsePublish, parseServicePublish } from "./dockerPublish";
export type { CommandSource, NetworkConnection } from "./dockerCommandNodes";

/**
 * The reference of the network a container was on before a `docker network
 * connect` when nothing in the stack declares the container. Known text on
 * purpose: Docker refuses to connect a container to a network it is already
 * on, so this is surely another network, and the container is multi-homed.
 */
export const NETWORK_BEFORE_CONNECT = "(its network before docker network connect)";

/** One script of a command resource (`create`, `update` or `delete`). */
export interface CommandScript {
    readonly field: string;
    /** The script's text, or {@link UNKNOWN} while it is computed from unknown outputs. */
    readonly text: Maybe<string>;
}

/** A command of a script that the rules could not judge, or not wholly, and why. */
export interface NotJudgedLine {
    /** URN of the command resource. */
    readonly resource: string;
    /** Its logical name. */
    readonly name: string;
    /** The script: `create`, `update` or `delete`. */
    readonly field: string;
    /** Line in the resource's scripts (counted on through update and delete), or null for a whole script. */
    readonly line: number | null;
    readonly excerpt: string;
    readonly reason: string;
}

/** What one command resource's scripts declare. */
export interface CommandLineTopology {
    readonly networks: NetworkNode[];
    readonly containers: ContainerNode[];
    readonly connections: NetworkConnection[];
    readonly notJudged: NotJudgedLine[];
}

// ---------------------------------------------------------------------------
// Option parsing, per docker subcommand

const GLOBAL_SYNTAX: CliSyntax = {
    flags: new Set(["debug", "tls", "tlsverify", "version", "help"]),
    short: { D: "debug", H: "host", c: "context", l: "log-level", v: "version" },
};

const RUN_SYNTAX: CliSyntax = {
    flags: new Set([
        "detach", "interactive", "tty", "rm", "privileged", "publish-all", "init", "read-only", "no-healthcheck",
        "oom-kill-disable", "sig-proxy", "disable-content-trust", "quiet", "help", "use-api-socket",
    ]),
    short: {
        d: "detach", i: "interactive", t: "tty", P: "publish-all", q: "quiet",
        a: "attach", c: "cpu-shares", e: "env", h: "hostname", l: "label", m: "memory", p: "publish", u: "user", v: "volume", w: "workdir",
    },
};

const NETWORK_CREATE_SYNTAX: CliSyntax = {
    flags: new Set(["attachable", "config-only", "ingress", "internal", "ipv4", "ipv6", "help"]),
    short: { d: "driver", o: "opt" },
};

const NETWORK_CONNECT_SYNTAX: CliSyntax = { flags: new Set(["help"]), short: {} };
const NETWORK_DISCONNECT_SYNTAX: CliSyntax = { flags: new Set(["force", "help"]), short: { f: "force" } };

// ---------------------------------------------------------------------------
// Recognizing docker invocations

type DockerVerb = "run" | "network create" | "network connect" | "network disconnect" | "service create" | "service update";

/** A docker subcommand this adapter reads, or why a command that may be one cannot be read. */
type DockerInvocation =
    | { readonly verb: DockerVerb; readonly args: readonly ShellWord[] }
    | { readonly verb: undefined; readonly reason: string };

/**
 * Programs with Docker's command line. Only `docker` is read: podman takes
 * the same flags, but its containers live on podman's networks (the default
 * one is `podman`; rootless ones use user-mode networking), not on the
 * Docker engine's whose topology the rules judge. Its lines are listed as
 * not judged instead.
 */
const PODMAN_REASON =
    "podman is not judged: its containers are on podman's own networks (default network \"podman\", user-mode networking when rootless), not the Docker engine's that the rules judge";

const STACK_REASON =
    "docker stack deploy is not judged: the services and networks of its compose file are not read (declare them with docker service create and docker network create, or with the components)";

/** The docker subcommand a shell command runs, if it is one this adapter reads. */
function dockerInvocation(command: ShellCommand): DockerInvocation | undefined {
    const [program, ...rest] = command.words;
    const engine = program.text.split("/").pop();
    if (!program.known || (engine !== "docker" && engine !== "podman")) return undefined;
    const global = parseArgs(rest, GLOBAL_SYNTAX, true);
    const [first, second, ...args] = global.positionals;
    const text = (word: ShellWord | undefined) => (word?.known ? word.text : undefined);
    const path = [text(first), text(second)];
    let invocation: DockerInvocation | undefined;
    if (path[0] === "run" || path[0] === "create") invocation = { verb: "run", args: global.positionals.slice(1) };
    else if (path[0] === "container" && (path[1] === "run" || path[1] === "create")) invocation = { verb: "run", args };
    else if (path[0] === "network" && (path[1] === "create" || path[1] === "connect" || path[1] === "disconnect")) {
        invocation = { verb: `network ${path[1]}`, args };
    } else if (path[0] === "service" && (path[1] === "create" || path[1] === "update")) invocation = { verb: `service ${path[1]}`, args };
    else if (path[0] === "stack" && (path[1] === "deploy" || path[1] === "up")) invocation = { verb: undefined, reason: STACK_REASON };
    const unknown =
        global.hidden[0] ??
        (first?.known === false
            ? first
            : first !== undefined && ["network", "container", "service", "stack"].includes(first.text) && second?.known === false
              ? second
              : undefined);
    if (invocation === undefined && unknown !== undefined) {
        return { verb: undefined, reason: `the ${engine} subcommand is unknown (${unknown.source ?? "an expansion"})` };
    }
    if (invocation !== undefined && engine === "podman") return { verb: undefined, reason: PODMAN_REASON };
    return invocation;
}

const RUN_JUDGED = ["network", "net", "ip", "name", "link", "network-alias", "net-alias", "alias", "publish"];
const NETWORK_CREATE_JUDGED = ["subnet", "gateway", "ip-range", "aux-address", "driver", "opt", "internal", "attachable", "ingress", "scope"];
const NETWORK_CONNECT_JUDGED = ["ip", "alias", "link"];

// ---------------------------------------------------------------------------
// Building nodes

function containerFromRun(parsed: ParsedArgs, origin: Origin): ContainerNode | Refused {
    const specs = networkFlags(values(parsed, "network", "net"));
    if (isRefused(specs)) return specs;
    const aliases = knownTexts(values(parsed, "network-alias", "net-alias", "alias"));
    const ip = maybeText(lastValue(parsed, "ip"));
    const name = maybeText(lastValue(parsed, "name"));

    const attachments: Attachment[] = [];
    if (specs.length === 0) {
        // No --network: Docker's default bridge, unless an unknown word may have carried one.
        attachments.push(parsed.hidden.length > 0 ? attachmentTo(UNKNOWN, [], undefined) : defaultBridgeAttachment());
    }
    for (const spec of specs) {
        if (isKnown(spec.reference) && isSharedNamespaceMode(spec.reference)) continue;
        const reference = isKnown(spec.reference) && isDefaultBridgeMode(spec.reference) ? DEFAULT_BRIDGE_NAME : spec.reference;
        attachments.push(attachmentTo(reference, spec.aliases, spec.ip));
    }
    // --network-alias and --ip apply to the (first) network given with --network.
    if (attachments.length > 0 && (aliases.length > 0 || ip !== undefined)) {
        const first = attachments[0];
        attachments[0] = attachmentTo(first.reference, [...first.aliases, ...aliases], ip ?? first.ipv4Address);
    }
    return {
        key: origin.key,
        resource: origin.source.urn,
        name: name !== undefined && isKnown(name) ? name : origin.fallbackName,
        dockerName: name,
        networkMode: specs.length > 0 ? specs[0].reference : undefined,
        attachments,
        links: knownTexts(values(parsed, "link")).map(parseLink),
        declaredMultiHomed: false,
        origin: "command",
        // A malformed value makes Docker refuse the command; an unknown one is listed as not judged.
        ports: knownTexts(values(parsed, "publish")).flatMap((text) => parsePublish(text) ?? []),
    };
}

interface DraftBlock {
    subnet?: Maybe<string>;
    gateway?: Maybe<string>;
    ipRange?: Maybe<string>;
    auxAddresses: Record<string, Maybe<string>>;
}

/** True when the known CIDR `subnet` holds `inner` (an address or a block); false when either cannot be read. */
const holds = cidrTextHolds;

/**
 * IPAM blocks from `--subnet`/`--gateway`/`--ip-range`/`--aux-address`, as
 * Docker pairs them: each address goes to the subnet that holds it; one that
 * no subnet holds goes to the first block still without one (the rule then
 * says it is outside), or to a block without subnet when none was given.
 */
function ipamBlocks(parsed: ParsedArgs): IpamBlock[] {
    const blocks: DraftBlock[] = values(parsed, "subnet").map((word) => ({ subnet: maybeText(word), auxAddresses: {} }));
    const blockFor = (value: Maybe<string> | undefined, field: "gateway" | "ipRange" | undefined): DraftBlock => {
        const containing = blocks.find((block) => holds(block.subnet, value) && (field === undefined || block[field] === undefined));
        if (containing) return containing;
        if (blocks.length === 0) blocks.push({ auxAddresses: {} });
        return blocks.find((block) => field !== undefined && block[field] === undefined) ?? blocks[0];
    };
    // Addresses that fit a subnet are placed first, so a stray one cannot take their block.
    const fitsFirst = (words: ShellWord[]) =>
        words.map(maybeText).sort((a, b) => Number(blocks.some((x) => holds(x.subnet, b))) - Number(blocks.some((x) => holds(x.subnet, a))));
    for (const gateway of fitsFirst(values(parsed, "gateway"))) blockFor(gateway, "gateway").gateway = gateway;
    for (const ipRange of fitsFirst(values(parsed, "ip-range"))) blockFor(ipRange, "ipRange").ipRange = ipRange;
    for (const word of values(parsed, "aux-address")) {
        const eq = word.text.indexOf("=");
        const host = eq > 0 ? word.text.slice(0, eq) : word.text || "(unknown host)";
        const address: Maybe<string> = word.known && eq > 0 ? word.text.slice(eq + 1) : UNKNOWN;
        blockFor(address, undefined).auxAddresses[host] = address;
    }
    return blocks.map((block) => ({ ...block }));
}

/** Driver options as written, and whether an unknown word may hold options whose names cannot be read. */
interface WrittenOptions {
    readonly options: Record<string, Maybe<string>>;
    readonly hiddenKeys: boolean;
}

/**
 * `-o KEY=VALUE` options, and `-o KEY` (the CLI's map option gives it the
 * value ""); a value hidden behind an unknown expansion is unknown.
 */
function driverOptions(words: readonly ShellWord[]): WrittenOptions {
    const options: Record<string, Maybe<string>> = {};
    let hiddenKeys = false;
    for (const word of words) {
        const eq = word.text.indexOf("=");
        if (eq > 0) options[word.text.slice(0, eq)] = word.known ? word.text.slice(eq + 1) : UNKNOWN;
        else if (!word.known) hiddenKeys = true;
        else if (eq < 0 && word.text !== "") options[word.text] = "";
    }
    return { options, hiddenKeys };
}

/** Options hidden in unknown words may give what the written ones do not: a subnet or gateway not written is then unknown. */
function withHiddenIpam(blocks: IpamBlock[]): IpamBlock[] {
    if (blocks.length === 0) return [{ subnet: UNKNOWN, gateway: UNKNOWN, auxAddresses: {} }];
    return blocks.map((block) => ({ ...block, subnet: block.subnet ?? UNKNOWN, gateway: block.gateway ?? UNKNOWN }));
}

/**
 * What makes a `docker network create` line a swarm network: the overlay
 * driver, or `--scope swarm`. Its encryption is the presence of the
 * `encrypted` option; where unknown words may hold it, it counts as
 * encrypted, so that a value nobody can read never makes a violation (the
 * line is listed as not judged).
 */
function swarmFields(parsed: ParsedArgs, driver: string, written: WrittenOptions): Partial<NetworkNode> {
    const scope = maybeText(lastValue(parsed, "scope"));
    if (driverScope(driver) !== "swarm" && scope !== "swarm") return {};
    return {
        scope: "swarm",
        attachable: isTrue(lastValue(parsed, "attachable")),
        encrypted: overlayEncrypted(written.options) || written.hiddenKeys || parsed.hidden.length > 0,
        ingress: isTrue(lastValue(parsed, "ingress")),
    };
}

function networkFromCreate(parsed: ParsedArgs, origin: Origin): NetworkNode {
    const name = maybeText(parsed.positionals[0]);
    const driverText = maybeText(lastValue(parsed, "driver"));
    const driver = driverText !== undefined && isKnown(driverText) ? driverText : "bridge";
    const written = driverOptions(values(parsed, "opt"));
    const options = written.options;
    return {
        key: origin.key,
        resource: origin.source.urn,
        name: name !== undefined && isKnown(name) ? name : origin.fallbackName,
        dockerName: name ?? UNKNOWN,
        driver,
        ipam: parsed.hidden.length > 0 ? withHiddenIpam(ipamBlocks(parsed)) : ipamBlocks(parsed),
        internal: isTrue(lastValue(parsed, "internal")),
        interContainer: networkInterContainer(driver, options),
        driverOptions: options,
        defaultBridge: false,
        ...swarmFields(parsed, driver, written),
    };
}

function connectionFrom(verb: "network connect" | "network disconnect", parsed: ParsedArgs, origin: Origin): NetworkConnection {
    const connect = verb === "network connect";
    const network = parsed.positionals[0] ? maybeText(parsed.positionals[0])! : UNKNOWN;
    return {
        kind: connect ? "connect" : "disconnect",
        workload: "container",
        key: origin.key,
        resource: origin.source.urn,
        fallbackName: origin.fallbackName,
        container: parsed.positionals[1] ? maybeText(parsed.positionals[1])! : UNKNOWN,
        attachment: attachmentTo(network, knownTexts(values(parsed, "alias")), maybeText(lastValue(parsed, "ip"))),
        links: knownTexts(values(parsed, "link")).map(parseLink),
    };
}

/** The same command line written twice (an `update` repeating `create`) declares one thing. */
function commandIdentity(command: ShellCommand): string {
    return JSON.stringify(command.words.map((word) => (word.known ? word.text : null)));
}

/**
 * Everything the scripts of one command resource declare, and the commands
 * that could not be judged. `env` holds the resource's `environment`
 * (UNKNOWN when it is not known yet).
 */
export function topologyFromCommandLines(
    source: CommandSource,
    scripts: readonly CommandScript[],
    env: Maybe<ReadonlyMap<string, string>> = new Map(),
): CommandLineTopology {
    const result: CommandLineTopology = { networks: [], containers: [], connections: [], notJudged: [] };
    const seen = new Set<string>();
    const usedNames = new Set<string>();
    let ordinal = 0;
    let lineOffset = 0;
    const notJudged = (field: string, line: number | null, excerpt: string, reason: string) => {
        const entry = { resource: source.urn, name: source.name, field, line, excerpt, reason };
        // The same line repeated in `update` says the same thing.
        if (!result.notJudged.some((other) => other.excerpt === excerpt && other.reason === reason)) result.notJudged.push(entry);
    };
    for (const script of scripts) {
        if (!isKnown(script.text)) {
            notJudged(script.field, null, "", `the ${script.field} script is unknown until other resources exist`);
            continue;
        }
        const reading = readShellScript(script.text, isKnown(env) ? env : undefined);
        for (const unread of reading.notJudged) notJudged(script.field, lineOffset + unread.line, unread.excerpt, unread.reason);
        for (const command of reading.commands) {
            ordinal++;
            const invocation = dockerInvocation(command);
            const identity = commandIdentity(command);
            if (!invocation || seen.has(identity)) continue;
            seen.add(identity);
            const line = lineOffset + command.line;
            if (invocation.verb === undefined) {
                notJudged(script.field, line, command.excerpt, invocation.reason);
                continue;
            }
            // Named after the line it starts on (lines count on through update and delete); disambiguated if two share one.
            let fallbackName = `${source.name} line ${line}`;
            for (let k = 2; usedNames.has(fallbackName); k++) fallbackName = `${source.name} line ${line} (${k})`;
            usedNames.add(fallbackName);
            const origin: Origin = { source, key: `${source.urn}#${ordinal}`, fallbackName };
            let unknown: string[];
            let refused: Refused | undefined;
            let unknownFlags: string[] = [];
            const addContainer = (container: ContainerNode | Refused) => {
                if (isRefused(container)) {
                    refused = container;
                    return;
                }
                const kind = workloadKind(container);
                const duplicate =
                    isKnown(container.dockerName ?? UNKNOWN) &&
                    result.containers.some((c) => c.dockerName === container.dockerName && workloadKind(c) === kind);
                if (!duplicate) result.containers.push(container);
            };
            if (invocation.verb === "run") {
                const parsed = parseArgs(invocation.args, RUN_SYNTAX, true);
                unknown = unknownValues(parsed, RUN_JUDGED);
                addContainer(containerFromRun(parsed, origin));
            } else if (invocation.verb === "service create") {
                const parsed = parseArgs(invocation.args, SERVICE_CREATE_SYNTAX, true);
                unknown = unknownValues(parsed, SERVICE_CREATE_JUDGED);
                unknownFlags = unknownOptions(parsed, SERVICE_CREATE_SYNTAX);
                addContainer(serviceFromCreate(parsed, origin));
            } else if (invocation.verb === "service update") {
                const parsed = parseArgs(invocation.args, SERVICE_UPDATE_SYNTAX, false);
                unknown = unknownValues(parsed, SERVICE_UPDATE_JUDGED, [[0, "service"]]);
                unknownFlags = unknownOptions(parsed, SERVICE_UPDATE_SYNTAX);
                const connections = serviceUpdateConnections(parsed, origin);
                if (isRefused(connections)) refused = connections;
                // An update in `delete` tears down; it says nothing about the running topology.
                else if (script.field !== "delete") result.connections.push(...connections);
                else unknown = [];
            } else if (invocation.verb === "network create") {
                const parsed = parseArgs(invocation.args, NETWORK_CREATE_SYNTAX, false);
                unknown = unknownValues(parsed, NETWORK_CREATE_JUDGED, [[0, "network name"]]);
                const network = networkFromCreate(parsed, origin);
                const duplicate = isKnown(network.dockerName ?? UNKNOWN) && result.networks.some((n) => n.dockerName === network.dockerName);
                if (!duplicate) result.networks.push(network);
            } else {
                const connect = invocation.verb === "network connect";
                const parsed = parseArgs(invocation.args, connect ? NETWORK_CONNECT_SYNTAX : NETWORK_DISCONNECT_SYNTAX, false);
                unknown = unknownValues(parsed, NETWORK_CONNECT_JUDGED, [[0, "network"], [1, "container"]]);
                // A disconnect in `delete` tears down; it says nothing about the running topology.
                if (connect || script.field !== "delete") result.connections.push(connectionFrom(invocation.verb, parsed, origin));
                else unknown = [];
            }
            if (refused !== undefined) {
                notJudged(script.field, line, command.excerpt, `the docker CLI refuses this command (${refused.refused}): it creates nothing`);
                continue;
            }
            if (unknownFlags.length > 0) {
                const list = unknownFlags.join(", ");
                notJudged(script.field, line, command.excerpt, `unknown flag ${list}: the docker CLI refuses it, or is newer than this reader; the words after it may be misread`);
            }
            if (unknown.length > 0) notJudged(script.field, line, command.excerpt, `${unknown.join("; ")}: rules that need ${unknown.length > 1 ? "these" : "it"} skip this command`);
        }
        lineOffset += script.text.split("\n").length;
    }
    return result;
}

function sameReference(a: Attachment, b: Attachment): boolean {
    return isKnown(a.reference) && a.reference === b.reference;
}

/**
 * Applies `docker network connect`/`disconnect` lines to the stack's
 * containers, and `docker service update --network-add`/`--network-rm` to
 * its services, found by Docker name (the connecting resource's own first).
 * A connected container that nothing declares gets a node of its own whose
 * original network is unknown: it is on that one and the connected one. A
 * service nothing declares gets a node on the added network.
 */
export function applyNetworkConnections(
    containers: readonly ContainerNode[],
    connections: readonly NetworkConnection[],
): ContainerNode[] {
    const result = [...containers];
    const find = (connection: NetworkConnection) => {
        const matches = (c: ContainerNode) =>
            workloadKind(c) === connection.workload &&
            (isKnown(connection.container) ? c.dockerName === connection.container : c.key === connection.key);
        const own = result.findIndex((c) => c.resource === connection.resource && matches(c));
        return own >= 0 ? own : result.findIndex(matches);
    };
    // A service's own endpoints (routing mesh, default bridge) follow its networks.
    const settle = (node: ContainerNode) => (workloadKind(node) === "service" ? withUndeclaredServiceEndpoints(node) : node);
    for (const connection of connections) {
        const index = find(connection);
        if (connection.kind === "disconnect") {
            if (index < 0) continue;
            const target = result[index];
            result[index] = settle({ ...target, attachments: target.attachments.filter((a) => !sameReference(a, connection.attachment)) });
        } else if (index >= 0) {
            const target = result[index];
            const already = target.attachments.some((a) => sameReference(a, connection.attachment));
            result[index] = settle({
                ...target,
                attachments: already ? target.attachments : [...target.attachments, connection.attachment],
                links: [...target.links, ...connection.links],
            });
        } else {
            const name = connection.container;
            const node: ContainerNode = {
                key: connection.key,
                resource: connection.resource,
                name: isKnown(name) ? name : connection.fallbackName,
                dockerName: name,
                attachments: [attachmentTo(NETWORK_BEFORE_CONNECT, [], undefined), connection.attachment],
                links: connection.links,
                declaredMultiHomed: false,
                origin: "command",
            };
            // A service may have had no network before `--network-add`: only the added one is sure.
            result.push(connection.workload === "service" ? { ...node, attachments: [connection.attachment], kind: "service", replicas: UNKNOWN } : node);
        }
    }
    return result;
}
