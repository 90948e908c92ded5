/**
 * The command-line adapter: `docker` invocations inside the shell scripts of
 * `@pulumi/command` resources, turned into topology nodes.
 *
 * - `docker run` / `docker create` / `docker container run|create` → a
 *   {@link ContainerNode} (origin `command`),
 * - `docker network create` → a {@link NetworkNode},
 * - `docker network connect` / `disconnect` → a {@link NetworkConnection},
 *   applied by {@link applyNetworkConnections} once every container of the
 *   stack is known (the container may come from another resource).
 *
 * Keys are `<resource URN>#<n>`, n counting the resource's shell commands;
 * everything is reported on the command resource. Values hidden behind
 * expansions the script does not define are {@link UNKNOWN}.
 */
import { isDefaultBridgeMode, isSharedNamespaceMode, parseLink } from "./dockerSemantics";
import { interContainerEnabled, parseGoBool } from "./driverOptions";
import { cidrTextHolds } from "./ipam";
import { tryParseIp } from "./cidr";
import {
    Attachment,
    ContainerNode,
    DEFAULT_BRIDGE_KEY,
    DEFAULT_BRIDGE_NAME,
    IpamBlock,
    Link,
    Maybe,
    NetworkNode,
    PublishedPort,
    UNKNOWN,
    isKnown,
} from "./model";
import { ShellCommand, ShellWord, readShellScript } from "./shellScript";

/**
 * The reference of the network a container was on before a `docker network
 * connect` when nothing in the stack declares the container. Known text on
 * purpose: Docker refuses to connect a container to a network it is already
 * on, so this is surely another network, and the container is multi-homed.
 */
export const NETWORK_BEFORE_CONNECT = "(its network before docker network connect)";

/** The resource whose scripts are read. */
export interface CommandSource {
    readonly urn: string;
    /** Logical name: unnamed containers are called `<name> line <n>`. */
    readonly name: string;
}

/** One script of a command resource (`create`, `update` or `delete`). */
export interface CommandScript {
    readonly field: string;
    /** The script's text, or {@link UNKNOWN} while it is computed from unknown outputs. */
    readonly text: Maybe<string>;
}

/** A `docker network connect` (or `disconnect`) of a container that may be declared elsewhere in the stack. */
export interface NetworkConnection {
    readonly kind: "connect" | "disconnect";
    /** Key for a container node created for a container no resource declares. */
    readonly key: string;
    readonly resource: string;
    /** Name for such a node when the container's own name is unknown. */
    readonly fallbackName: string;
    /** The container as the command names it (its Docker name). */
    readonly container: Maybe<string>;
    readonly attachment: Attachment;
    readonly links: readonly Link[];
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

/** A docker subcommand's options: which take no value, and the long names of short letters. */
interface CliSyntax {
    readonly flags: ReadonlySet<string>;
    readonly short: Readonly<Record<string, string>>;
}

interface ParsedOption {
    readonly name: string;
    readonly value: ShellWord;
}

interface ParsedArgs {
    readonly options: ParsedOption[];
    readonly positionals: ShellWord[];
    /** Unknown words that stood among the options (e.g. `$OPTS`): any option may hide in them. */
    readonly hidden: ShellWord[];
}

const TRUE: ShellWord = { text: "true", known: true };
const UNKNOWN_WORD: ShellWord = { text: "", known: false };

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

/**
 * Reads options and positionals. With `stopAtPositional`, the first
 * positional ends the options (`docker run IMAGE ARGS…`: the container's own
 * arguments are not docker's).
 */
function parseArgs(args: readonly ShellWord[], syntax: CliSyntax, stopAtPositional: boolean): ParsedArgs {
    const options: ParsedOption[] = [];
    const positionals: ShellWord[] = [];
    const hidden: ShellWord[] = [];
    let i = 0;
    const nextValue = () => args[++i] ?? UNKNOWN_WORD;
    for (; i < args.length; i++) {
        const word = args[i];
        if (!word.known) {
            const named = /^--([A-Za-z0-9-]+)=/.exec(word.text);
            if (named) {
                options.push({ name: named[1], value: { ...UNKNOWN_WORD, source: word.source } });
                continue;
            }
            // Before an option it is one or more options. Unquoted, it may be several words: where the
            // first positional ends the options (`docker run`), options may hide in it unless it is the
            // last word (where `docker run -d $IMAGE` wants its image).
            const next = args[i + 1];
            if ((stopAtPositional && word.mayBeSeveral && next !== undefined) || (next?.known && next.text.startsWith("-"))) {
                hidden.push(word);
                continue;
            }
        } else if (word.text === "--") {
            positionals.push(...args.slice(i + 1));
            break;
        } else if (word.text.startsWith("--")) {
            const eq = word.text.indexOf("=");
            const name = word.text.slice(2, eq < 0 ? undefined : eq);
            const value = eq >= 0 ? { text: word.text.slice(eq + 1), known: true } : syntax.flags.has(name) ? TRUE : nextValue();
            options.push({ name, value });
            continue;
        } else if (word.text.startsWith("-") && word.text.length > 1) {
            // A cluster of short options, e.g. `-dit` or `-p8080:80`: the first one that takes a value ends it.
            for (let j = 1; j < word.text.length; j++) {
                const name = syntax.short[word.text[j]] ?? word.text[j];
                if (syntax.flags.has(name) || syntax.short[word.text[j]] === undefined) {
                    options.push({ name, value: TRUE });
                    continue;
                }
                const rest = word.text.slice(j + 1).replace(/^=/, "");
                options.push({ name, value: rest !== "" ? { text: rest, known: true } : nextValue() });
                break;
            }
            continue;
        }
        positionals.push(word);
        if (stopAtPositional) {
            positionals.push(...args.slice(i + 1));
            break;
        }
    }
    return { options, positionals, hidden };
}

function values(parsed: ParsedArgs, ...names: string[]): ShellWord[] {
    return parsed.options.filter((option) => names.includes(option.name)).map((option) => option.value);
}

function lastValue(parsed: ParsedArgs, ...names: string[]): ShellWord | undefined {
    return values(parsed, ...names).pop();
}

function maybeText(word: ShellWord | undefined): Maybe<string> | undefined {
    if (word === undefined) return undefined;
    return word.known ? word.text : UNKNOWN;
}

/** A boolean flag's value, parsed as Docker's CLI does (Go's `strconv.ParseBool`). */
function isTrue(word: ShellWord | undefined): boolean {
    return word !== undefined && word.known && parseGoBool(word.text) === true;
}

// ---------------------------------------------------------------------------
// Recognizing docker invocations

type DockerVerb = "run" | "network create" | "network connect" | "network disconnect";

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
    }
    const unknown =
        global.hidden[0] ??
        (first?.known === false ? first : first !== undefined && ["network", "container"].includes(first.text) && second?.known === false ? second : undefined);
    if (invocation === undefined && unknown !== undefined) {
        return { verb: undefined, reason: `the ${engine} subcommand is unknown (${unknown.source ?? "an expansion"})` };
    }
    if (invocation !== undefined && engine === "podman") return { verb: undefined, reason: PODMAN_REASON };
    return invocation;
}

/**
 * Why the judged values of a docker command are not all known: options
 * hidden in unknown words, unknown values of `options`, unknown or missing
 * `positionals` (index and what it is). Empty when everything is known.
 */
function unknownValues(parsed: ParsedArgs, options: readonly string[], positionals: readonly [number, string][] = []): string[] {
    const parts = parsed.hidden.map((word) => `options may hide in ${word.source ?? "an unknown word"}`);
    for (const option of parsed.options) {
        if (options.includes(option.name) && !option.value.known) parts.push(`--${option.name} is unknown (${option.value.source ?? "no value"})`);
    }
    for (const [index, what] of positionals) {
        const word = parsed.positionals[index];
        if (word === undefined) parts.push(`the ${what} is missing`);
        else if (!word.known) parts.push(`the ${what} is unknown (${word.source ?? "an expansion"})`);
    }
    return parts;
}

const RUN_JUDGED = ["network", "net", "ip", "name", "link", "network-alias", "net-alias", "alias", "publish"];
const NETWORK_CREATE_JUDGED = ["subnet", "gateway", "ip-range", "aux-address", "driver", "opt", "internal"];
const NETWORK_CONNECT_JUDGED = ["ip", "alias", "link"];

// ---------------------------------------------------------------------------
// Published ports (`-p`/`--publish`)

/** A port or a `LOW-HIGH` range of ports, as Docker reads one; undefined when malformed. */
function portRange(text: string): [number, number] | undefined {
    const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
    if (!match) return undefined;
    const low = Number(match[1]);
    const high = match[2] === undefined ? low : Number(match[2]);
    return low >= 1 && high <= 65535 && low <= high ? [low, high] : undefined;
}

/** `80`, `80/udp`, `8000-8010/tcp`: a container port (range) and its protocol, as Docker writes port keys too. */
export function parseContainerPort(text: string): { range: [number, number]; protocol: string } | undefined {
    const slash = text.indexOf("/");
    const protocol = slash < 0 ? "tcp" : text.slice(slash + 1).toLowerCase();
    const range = portRange(slash < 0 ? text : text.slice(0, slash));
    return range && ["tcp", "udp", "sctp"].includes(protocol) ? { range, protocol } : undefined;
}

/**
 * One `-p`/`--publish` value, read as Docker's CLI reads it:
 * `[IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`, the IP in brackets when it is
 * IPv6 (unbracketed, all but the last two parts are the IP), ranges paired
 * port by port. A host range for one container port lets Docker pick the
 * port (external unknown). Undefined when Docker would refuse the value.
 */
export function parsePublish(text: string): PublishedPort[] | undefined {
    let ip: string | undefined;
    let rest = text;
    if (text.startsWith("[")) {
        const close = text.indexOf("]:");
        if (close < 0) return undefined;
        ip = text.slice(1, close);
        rest = text.slice(close + 2);
    }
    const parts = rest.split(":");
    const containerPart = parts.pop() ?? "";
    const hostPart = parts.length > 0 ? parts.pop() ?? "" : "";
    if (parts.length > 0) {
        if (ip !== undefined) return undefined;
        ip = parts.join(":");
    }
    if (ip !== undefined && ip !== "" && !tryParseIp(ip)) return undefined;
    const container = parseContainerPort(containerPart);
    if (!container) return undefined;
    const host = hostPart === "" ? undefined : portRange(hostPart);
    if (hostPart !== "" && !host) return undefined;
    const [low, high] = container.range;
    const count = high - low + 1;
    if (host && count > 1 && host[1] - host[0] + 1 !== count) return undefined;
    const ports: PublishedPort[] = [];
    for (let i = 0; i < count; i++) {
        const external = host === undefined ? undefined : count > 1 || host[0] === host[1] ? host[0] + i : undefined;
        ports.push({ internal: low + i, ...(external === undefined ? {} : { external }), ...(ip ? { ip } : {}), protocol: container.protocol });
    }
    return ports;
}

// ---------------------------------------------------------------------------
// Building nodes

/** Where a node comes from: the resource, the command's ordinal (for keys) and a readable name. */
interface Origin {
    readonly source: CommandSource;
    readonly key: string;
    readonly fallbackName: string;
}

function defaultBridgeAttachment(): Attachment {
    return { reference: DEFAULT_BRIDGE_NAME, network: DEFAULT_BRIDGE_KEY, aliases: [], staticAddress: false };
}

function attachmentTo(reference: Maybe<string>, aliases: string[], ip: Maybe<string> | undefined): Attachment {
    return {
        reference,
        network: reference === DEFAULT_BRIDGE_NAME ? DEFAULT_BRIDGE_KEY : undefined,
        aliases,
        ipv4Address: ip,
        staticAddress: ip !== undefined,
    };
}

function knownTexts(words: readonly ShellWord[]): string[] {
    return words.filter((word) => word.known).map((word) => word.text);
}

/** One `--network` value: a name, or Docker 25's `name=NET,alias=A,ip=X` form. */
interface NetworkSpec {
    readonly reference: Maybe<string>;
    readonly aliases: string[];
    readonly ip?: string;
}

function networkSpec(word: ShellWord): NetworkSpec {
    if (!word.known) return { reference: UNKNOWN, aliases: [] };
    if (!/^name=/.test(word.text)) return { reference: word.text, aliases: [] };
    const fields = word.text.split(",").map((pair) => pair.split("=") as [string, string | undefined]);
    const field = (key: string) => fields.filter(([k]) => k === key).map(([, v]) => v ?? "");
    return { reference: field("name")[0], aliases: field("alias"), ip: field("ip")[0] };
}

function containerFromRun(parsed: ParsedArgs, origin: Origin): ContainerNode {
    const specs = values(parsed, "network", "net").map(networkSpec);
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

/** `-o KEY=VALUE` options; a value hidden behind an unknown expansion is unknown. */
function driverOptions(words: readonly ShellWord[]): Record<string, Maybe<string>> {
    const options: Record<string, Maybe<string>> = {};
    for (const word of words) {
        const eq = word.text.indexOf("=");
        if (eq > 0) options[word.text.slice(0, eq)] = word.known ? word.text.slice(eq + 1) : UNKNOWN;
    }
    return options;
}

/** Options hidden in unknown words may give what the written ones do not: a subnet or gateway not written is then unknown. */
function withHiddenIpam(blocks: IpamBlock[]): IpamBlock[] {
    if (blocks.length === 0) return [{ subnet: UNKNOWN, gateway: UNKNOWN, auxAddresses: {} }];
    return blocks.map((block) => ({ ...block, subnet: block.subnet ?? UNKNOWN, gateway: block.gateway ?? UNKNOWN }));
}

function networkFromCreate(parsed: ParsedArgs, origin: Origin): NetworkNode {
    const name = maybeText(parsed.positionals[0]);
    const driver = maybeText(lastValue(parsed, "driver"));
    const options = driverOptions(values(parsed, "opt"));
    return {
        key: origin.key,
        resource: origin.source.urn,
        name: name !== undefined && isKnown(name) ? name : origin.fallbackName,
        dockerName: name ?? UNKNOWN,
        driver: driver !== undefined && isKnown(driver) ? driver : "bridge",
        ipam: parsed.hidden.length > 0 ? withHiddenIpam(ipamBlocks(parsed)) : ipamBlocks(parsed),
        internal: isTrue(lastValue(parsed, "internal")),
        interContainer: interContainerEnabled(options),
        driverOptions: options,
        defaultBridge: false,
    };
}

function connectionFrom(verb: "network connect" | "network disconnect", parsed: ParsedArgs, origin: Origin): NetworkConnection {
    const connect = verb === "network connect";
    const network = parsed.positionals[0] ? maybeText(parsed.positionals[0])! : UNKNOWN;
    return {
        kind: connect ? "connect" : "disconnect",
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
            if (invocation.verb === "run") {
                const parsed = parseArgs(invocation.args, RUN_SYNTAX, true);
                unknown = unknownValues(parsed, RUN_JUDGED);
                const container = containerFromRun(parsed, origin);
                const duplicate = isKnown(container.dockerName ?? UNKNOWN) && result.containers.some((c) => c.dockerName === container.dockerName);
                if (!duplicate) result.containers.push(container);
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
 * containers, found by Docker name (the connecting resource's own first).
 * A connected container that nothing declares gets a node of its own whose
 * original network is unknown: it is on that one and the connected one.
 */
export function applyNetworkConnections(
    containers: readonly ContainerNode[],
    connections: readonly NetworkConnection[],
): ContainerNode[] {
    const result = [...containers];
    const find = (connection: NetworkConnection) => {
        const matches = (c: ContainerNode) =>
            isKnown(connection.container) ? c.dockerName === connection.container : c.key === connection.key;
        const own = result.findIndex((c) => c.resource === connection.resource && matches(c));
        return own >= 0 ? own : result.findIndex(matches);
    };
    for (const connection of connections) {
        const index = find(connection);
        if (connection.kind === "disconnect") {
            if (index < 0) continue;
            const target = result[index];
            result[index] = { ...target, attachments: target.attachments.filter((a) => !sameReference(a, connection.attachment)) };
        } else if (index >= 0) {
            const target = result[index];
            const already = target.attachments.some((a) => sameReference(a, connection.attachment));
            result[index] = {
                ...target,
                attachments: already ? target.attachments : [...target.attachments, connection.attachment],
                links: [...target.links, ...connection.links],
            };
        } else {
            const name = connection.container;
            result.push({
                key: connection.key,
                resource: connection.resource,
                name: isKnown(name) ? name : connection.fallbackName,
                dockerName: name,
                attachments: [attachmentTo(NETWORK_BEFORE_CONNECT, [], undefined), connection.attachment],
                links: connection.links,
                declaredMultiHomed: false,
                origin: "command",
            });
        }
    }
    return result;
}
