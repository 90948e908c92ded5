/**
 * One `docker` command line read as the docker CLI reads it: which verb it
 * is (`run`, `network create|connect|disconnect`; the `service` verbs are in
 * `dockerServiceCommandLine.ts`), each verb's option syntax and the options
 * the rules judge, and the container, network or connection it declares.
 * `dockerCommandLine.ts` walks a script's commands through these.
 */
import { CliSyntax, ParsedArgs, Refused, isFalse, isRefused, isTrue, knownTexts, lastValue, maybeText, parseArgs, values } from "./dockerCliArgs";
import { NetworkConnection, Origin, attachmentTo, networkFlags } from "./dockerCommandNodes";
import { parsePublish } from "./dockerPublish";
import { CreateRequest, runNetworkingRefusal } from "./dockerRefusals";
import { isDefaultBridgeMode, isSharedNamespaceMode, parseLink } from "../../topology/dockerSemantics";
import { driverScope, networkInterContainer, overlayEncrypted } from "../../topology/driverOptions";
import { cidrTextHolds } from "../../topology/ipamBlocks";
import { Attachment, ContainerNode, DEFAULT_BRIDGE_NAME, IpamBlock, Maybe, NetworkNode, UNKNOWN, defaultBridgeAttachment, isKnown } from "../../topology/model";
import { ShellCommand } from "./shell/shellScript";
import { ShellWord } from "./shell/shellWords";


export const GLOBAL_SYNTAX: CliSyntax = {
    flags: new Set(["debug", "tls", "tlsverify", "version", "help"]),
    short: { D: "debug", H: "host", c: "context", l: "log-level", v: "version" },
};

export const RUN_SYNTAX: CliSyntax = {
    flags: new Set([
        "detach", "interactive", "tty", "rm", "privileged", "publish-all", "init", "read-only", "no-healthcheck",
        "oom-kill-disable", "sig-proxy", "disable-content-trust", "quiet", "help", "use-api-socket",
    ]),
    short: {
        d: "detach", i: "interactive", t: "tty", P: "publish-all", q: "quiet",
        a: "attach", c: "cpu-shares", e: "env", h: "hostname", l: "label", m: "memory", p: "publish", u: "user", v: "volume", w: "workdir",
    },
};

export const NETWORK_CREATE_SYNTAX: CliSyntax = {
    flags: new Set(["attachable", "config-only", "ingress", "internal", "ipv4", "ipv6", "help"]),
    short: { d: "driver", o: "opt" },
};

export const NETWORK_CONNECT_SYNTAX: CliSyntax = { flags: new Set(["help"]), short: {} };
export const NETWORK_DISCONNECT_SYNTAX: CliSyntax = { flags: new Set(["force", "help"]), short: { f: "force" } };
export const START_SYNTAX: CliSyntax = { flags: new Set(["attach", "interactive", "help"]), short: { a: "attach", i: "interactive" } };
export const RM_SYNTAX: CliSyntax = { flags: new Set(["force", "link", "volumes", "help"]), short: { f: "force", l: "link", v: "volumes" } };
export const NETWORK_RM_SYNTAX: CliSyntax = { flags: new Set(["force", "help"]), short: { f: "force" } };

// ---------------------------------------------------------------------------
// Recognizing docker invocations

type DockerVerb = "run" | "start" | "rm" | "network create" | "network connect" | "network disconnect" | "network rm" | "service create" | "service update";

/** A docker subcommand this adapter reads, or why a command that may be one cannot be read. */
type DockerInvocation =
    | { readonly verb: DockerVerb; readonly args: readonly ShellWord[]; readonly start?: boolean }
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
export function dockerInvocation(command: ShellCommand): DockerInvocation | undefined {
    const [program, ...rest] = command.words;
    const engine = program.text.split("/").pop();
    if (!program.known || (engine !== "docker" && engine !== "podman")) return undefined;
    const global = parseArgs(rest, GLOBAL_SYNTAX, true);
    const [first, second, ...args] = global.positionals;
    const text = (word: ShellWord | undefined) => (word?.known ? word.text : undefined);
    const path = [text(first), text(second)];
    let invocation: DockerInvocation | undefined;
    // `docker create` is the first half of `docker run`: the container, not started.
    if (path[0] === "run" || path[0] === "create") invocation = { verb: "run", args: global.positionals.slice(1), start: path[0] === "run" };
    else if (path[0] === "container" && (path[1] === "run" || path[1] === "create")) invocation = { verb: "run", args, start: path[1] === "run" };
    else if (path[0] === "start" || path[0] === "rm") invocation = { verb: path[0], args: global.positionals.slice(1) };
    else if (path[0] === "container" && (path[1] === "start" || path[1] === "rm")) invocation = { verb: path[1], args };
    else if (path[0] === "network" && (path[1] === "rm" || path[1] === "remove")) invocation = { verb: "network rm", args };
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

export const RUN_JUDGED = ["network", "net", "ip", "name", "link", "network-alias", "net-alias", "alias", "publish"];
export const NETWORK_CREATE_JUDGED = ["subnet", "gateway", "ip-range", "aux-address", "driver", "opt", "internal", "attachable", "ingress", "scope", "ipv4"];
export const NETWORK_CONNECT_JUDGED = ["ip", "alias", "link"];

// ---------------------------------------------------------------------------
// Building nodes

export function containerFromRun(parsed: ParsedArgs, origin: Origin): ContainerNode | Refused {
    const specs = networkFlags(values(parsed, "network", "net"));
    if (isRefused(specs)) return specs;
    const aliases = knownTexts(values(parsed, "network-alias", "net-alias", "alias"));
    const ip = maybeText(lastValue(parsed, "ip"));
    const ip6 = maybeText(lastValue(parsed, "ip6"));
    const cliRefusal = runNetworkingRefusal({ specs, ip, ip6, aliases });
    if (cliRefusal !== undefined) return { refused: cliRefusal };
    const name = maybeText(lastValue(parsed, "name"));

    const attachments: Attachment[] = [];
    if (specs.length === 0) {
        // No --network: Docker's default bridge, unless an unknown word may have carried one.
        attachments.push(parsed.hidden.length > 0 ? attachmentTo(UNKNOWN, [], undefined) : defaultBridgeAttachment());
    }
    for (const spec of specs) {
        if (isKnown(spec.reference) && isSharedNamespaceMode(spec.reference)) continue;
        const reference = isKnown(spec.reference) && isDefaultBridgeMode(spec.reference) ? DEFAULT_BRIDGE_NAME : spec.reference;
        attachments.push(attachmentTo(reference, spec.aliases, spec.ip, spec.ip6));
    }
    // --network-alias, --ip and --ip6 apply to the (first) network given with --network.
    if (attachments.length > 0 && (aliases.length > 0 || ip !== undefined || ip6 !== undefined)) {
        const first = attachments[0];
        attachments[0] = attachmentTo(first.reference, [...first.aliases, ...aliases], ip ?? first.ipv4Address, ip6 ?? first.ipv6Address);
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
        ...(isTrue(lastValue(parsed, "publish-all")) ? { publishAllPorts: true } : {}),
    };
}

/** What `docker run`/`create` asks of the daemon beyond the container node: see {@link CreateRequest}. */
export function createRequest(parsed: ParsedArgs): CreateRequest {
    const specs = networkFlags(values(parsed, "network", "net"));
    const first = isRefused(specs) ? undefined : specs[0];
    const namespaced = first !== undefined && isKnown(first.reference) && isSharedNamespaceMode(first.reference);
    const addresses = [lastValue(parsed, "ip"), lastValue(parsed, "ip6")].map(maybeText).filter((ip): ip is Maybe<string> => ip !== undefined);
    return {
        endpoints: values(parsed, "network", "net").length,
        namespaceAddresses: namespaced ? [...addresses, ...[first.ip, first.ip6].filter((ip): ip is string => ip !== undefined)] : [],
        publishes: values(parsed, "publish").length > 0 || isTrue(lastValue(parsed, "publish-all")),
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

export function networkFromCreate(parsed: ParsedArgs, origin: Origin): NetworkNode {
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
        ...(isFalse(lastValue(parsed, "ipv4")) ? { ipv4: false } : {}),
        ...(isTrue(lastValue(parsed, "ipv6")) ? { ipv6: true } : {}),
        ...swarmFields(parsed, driver, written),
    };
}

export function connectionFrom(verb: "network connect" | "network disconnect", parsed: ParsedArgs, origin: Origin): NetworkConnection {
    const connect = verb === "network connect";
    const network = parsed.positionals[0] ? maybeText(parsed.positionals[0])! : UNKNOWN;
    return {
        kind: connect ? "connect" : "disconnect",
        workload: "container",
        key: origin.key,
        resource: origin.source.urn,
        fallbackName: origin.fallbackName,
        container: parsed.positionals[1] ? maybeText(parsed.positionals[1])! : UNKNOWN,
        attachment: attachmentTo(network, knownTexts(values(parsed, "alias")), maybeText(lastValue(parsed, "ip")), maybeText(lastValue(parsed, "ip6"))),
        links: knownTexts(values(parsed, "link")).map(parseLink),
    };
}
