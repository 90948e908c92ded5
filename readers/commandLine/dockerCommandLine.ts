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
import { Refused, isRefused, isTrue, lastValue, maybeText, parseArgs, unknownOptions, unknownValues, values } from "./dockerCliArgs";
import { ipamFlagsRefusal } from "./dockerRefusals";
import { DockerNames, ELSEWHERE, EngineContext, EngineModel } from "./engineModel";
import { DEFAULT_SEMANTICS, EngineSemantics } from "../../topology/engineSemantics";
import { CommandSource, NetworkConnection, Origin } from "./dockerCommandNodes";
import {
    NETWORK_CONNECT_JUDGED,
    NETWORK_CONNECT_SYNTAX,
    NETWORK_CREATE_JUDGED,
    NETWORK_CREATE_SYNTAX,
    NETWORK_DISCONNECT_SYNTAX,
    NETWORK_RM_SYNTAX,
    RM_SYNTAX,
    RUN_JUDGED,
    START_SYNTAX,
    RUN_SYNTAX,
    connectionFrom,
    containerFromRun,
    createRequest,
    dockerInvocation,
    networkFromCreate,
} from "./dockerCommands";
import {
    SERVICE_CREATE_JUDGED,
    SERVICE_CREATE_SYNTAX,
    SERVICE_UPDATE_JUDGED,
    SERVICE_UPDATE_SYNTAX,
    serviceFromCreate,
    serviceUpdateConnections,
} from "./dockerServiceCommandLine";
import { ContainerNode, DEFAULT_BRIDGE_KEY, Maybe, NetworkNode, UNKNOWN, defaultBridgeKeyOn, isKnown } from "../../topology/model";
import { targetEngine } from "./engineHost";
import { ComposeScript, ComposeScriptOptions } from "./composeProjects";
import { ShellCommand, readShellScript } from "./shell/shellScript";

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
    /** `docker start` of containers this script does not create: Docker refuses it unless the stack creates them. */
    readonly starts: { readonly container: string; readonly at: NotJudgedLine }[];
    readonly notJudged: NotJudgedLine[];
    /** The names the scripts create or try to create on the local engine. */
    readonly claimed: DockerNames;
    /** The same on each remote engine host the scripts target (by host). */
    readonly claimedRemote: ReadonlyMap<string, DockerNames>;
}

/** What the stack creates on the local engine ({@link EngineContext}), and the same per remote engine host its command lines target. */
export interface StackContext extends EngineContext {
    readonly remote?: ReadonlyMap<string, EngineContext>;
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
    semantics: EngineSemantics = DEFAULT_SEMANTICS,
    context?: StackContext,
    compose?: ComposeScriptOptions,
): CommandLineTopology {
    const result: Omit<CommandLineTopology, "claimed" | "claimedRemote"> = { networks: [], containers: [], connections: [], starts: [], notJudged: [] };
    const local = new EngineModel(semantics, context);
    // One engine model per remote host: what one engine has says nothing of another's.
    const remote = new Map<string, EngineModel>();
    const runsOn = compose?.place.host === "remote" ? (compose.place.engineHost ?? UNKNOWN) : undefined;
    const engineOn = (host: string | undefined) => {
        if (host === undefined) return local;
        if (!remote.has(host)) remote.set(host, new EngineModel(semantics, remoteContext(context, host, host === unknownHost(source))));
        return remote.get(host)!;
    };
    const composeScript = new ComposeScript(source, compose);
    // The same line in another script (an `update` repeating `create`) says the same thing; repeated in one script, it runs again.
    const seen = new Map<string, string>();
    const usedNames = new Set<string>();
    let ordinal = 0;
    let lineOffset = 0;
    const notJudged = (field: string, line: number | null, excerpt: string, reason: string) => {
        const entry = { resource: source.urn, name: source.name, field, line, excerpt, reason };
        // The same line repeated in `update` says the same thing; run again later in one script, it is listed again.
        const said = (other: NotJudgedLine) => other.excerpt === excerpt && other.reason === reason && (other.field !== field || other.line === line);
        if (!result.notJudged.some(said)) result.notJudged.push(entry);
    };
    for (const script of scripts) {
        if (!isKnown(script.text)) {
            notJudged(script.field, null, "", `the ${script.field} script is unknown until other resources exist`);
            continue;
        }
        const reading = readShellScript(script.text, isKnown(env) ? env : undefined);
        for (const unread of reading.notJudged) notJudged(script.field, lineOffset + unread.line, unread.excerpt, unread.reason);
        // Whether the command before succeeded, as far as the engine model knows: `&&` and `||` run the next one or not.
        let previous: "ok" | "failed" | undefined;
        let exited = false;
        for (const [index, command] of reading.commands.entries()) {
            if (exited) break;
            ordinal++;
            if ((command.after === "&&" && previous === "failed") || (command.after === "||" && previous === "ok")) continue;
            previous = undefined;
            const target = targetEngine(command, runsOn);
            const engine = engineOn(target === UNKNOWN ? unknownHost(source) : target);
            engine.missing.clear();
            const composed = composeScript.run(command, engine, script.field === "delete", (reason) => notJudged(script.field, lineOffset + command.line, command.excerpt, reason));
            if (composed !== undefined) {
                previous = composed === "unknown" ? undefined : composed;
                continue;
            }
            const invocation = dockerInvocation(command);
            const identity = commandIdentity(command);
            if (!invocation) continue;
            // Run again, a line repeated from an earlier script is refused as a duplicate: that says nothing new.
            const repeat = seen.has(identity) && seen.get(identity) !== script.field;
            if (!seen.has(identity)) seen.set(identity, script.field);
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
            let unknown: string[] = [];
            let refused: Refused | undefined;
            let unknownFlags: string[] = [];
            // The daemon's refusal, in its own words: the command changes nothing (or, at start, leaves a created container).
            let daemon: string | undefined;
            const settled = (outcome: string | undefined) => (outcome === ELSEWHERE ? undefined : outcome);
            const tearsDown = script.field === "delete";
            if (invocation.verb === "run") {
                const parsed = parseArgs(invocation.args, RUN_SYNTAX, true);
                unknown = unknownValues(parsed, RUN_JUDGED);
                const container = containerFromRun(parsed, origin);
                if (isRefused(container)) {
                    refused = container;
                    engine.claimContainer(maybeText(lastValue(parsed, "name")));
                }
                else {
                    daemon = engine.createContainer(container, createRequest(parsed));
                    if (daemon === undefined && invocation.start) daemon = settled(engine.startContainer(container.dockerName ?? UNKNOWN));
                }
            } else if (invocation.verb === "start") {
                const parsed = parseArgs(invocation.args, START_SYNTAX, false);
                for (const word of parsed.positionals) {
                    const name = maybeText(word) ?? UNKNOWN;
                    const outcome = engine.startContainer(name);
                    const at = { resource: source.urn, name: source.name, field: script.field, line, excerpt: command.excerpt, reason: "" };
                    if (outcome === ELSEWHERE && isKnown(name) && !tearsDown) result.starts.push({ container: name, at });
                    daemon ??= settled(outcome);
                }
            } else if (invocation.verb === "rm" || invocation.verb === "network rm") {
                const network = invocation.verb === "network rm";
                const parsed = parseArgs(invocation.args, network ? NETWORK_RM_SYNTAX : RM_SYNTAX, false);
                // A removal in `delete` tears down; it says nothing about the running topology.
                if (!tearsDown) {
                    for (const word of parsed.positionals) {
                        const name = maybeText(word) ?? UNKNOWN;
                        daemon ??= settled(network ? engine.removeNetwork(name) : engine.removeContainer(name, isTrue(lastValue(parsed, "force"))));
                    }
                }
            } else if (invocation.verb === "service create") {
                const parsed = parseArgs(invocation.args, SERVICE_CREATE_SYNTAX, true);
                unknown = unknownValues(parsed, SERVICE_CREATE_JUDGED);
                unknownFlags = unknownOptions(parsed, SERVICE_CREATE_SYNTAX);
                const service = serviceFromCreate(parsed, origin);
                if (isRefused(service)) refused = service;
                else engine.addOther(service);
            } else if (invocation.verb === "service update") {
                const parsed = parseArgs(invocation.args, SERVICE_UPDATE_SYNTAX, false);
                unknown = unknownValues(parsed, SERVICE_UPDATE_JUDGED, [[0, "service"]]);
                unknownFlags = unknownOptions(parsed, SERVICE_UPDATE_SYNTAX);
                const connections = serviceUpdateConnections(parsed, origin);
                if (isRefused(connections)) refused = connections;
                else if (!tearsDown) result.connections.push(...connections);
                else unknown = [];
            } else if (invocation.verb === "network create") {
                const parsed = parseArgs(invocation.args, NETWORK_CREATE_SYNTAX, false);
                unknown = unknownValues(parsed, NETWORK_CREATE_JUDGED, [[0, "network name"]]);
                const cli = ipamFlagsRefusal(...(["subnet", "ip-range", "gateway"] as const).map((flag) => values(parsed, flag).map((word) => maybeText(word) ?? UNKNOWN)) as [Maybe<string>[], Maybe<string>[], Maybe<string>[]], values(parsed, "aux-address").map((word) => (word.known ? word.text.slice(word.text.indexOf("=") + 1) : UNKNOWN)));
                if (cli !== undefined) {
                    refused = { refused: cli };
                    engine.claimNetwork(maybeText(parsed.positionals[0]));
                }
                else daemon = engine.createNetwork(networkFromCreate(parsed, origin));
            } else {
                const connect = invocation.verb === "network connect";
                const parsed = parseArgs(invocation.args, connect ? NETWORK_CONNECT_SYNTAX : NETWORK_DISCONNECT_SYNTAX, false);
                unknown = unknownValues(parsed, NETWORK_CONNECT_JUDGED, [[0, "network"], [1, "container"]]);
                const connection = connectionFrom(invocation.verb, parsed, origin);
                // A disconnect in `delete` tears down; it says nothing about the running topology.
                if (connect || !tearsDown) {
                    const outcome = engine.connect(connection.kind, connection.container, connection.attachment, connection.links);
                    if (outcome === ELSEWHERE) result.connections.push({ ...connection, at: { field: script.field, line, excerpt: command.excerpt, name: source.name } });
                    else daemon = outcome;
                } else unknown = [];
            }
            previous = daemon !== undefined || refused !== undefined ? "failed" : "ok";
            // Under `set -e` a refused command ends the script, unless it is the left side of `&&` or `||`.
            const operand = ["&&", "||"].includes(reading.commands[index + 1]?.after ?? "");
            exited = previous === "failed" && command.errexit === true && !operand;
            if (daemon !== undefined) {
                const missing = [...engine.missing].join(", ");
                const unless = missing === "" ? "" : `, unless ${missing} exists on the engine outside the stack: nothing in the stack creates it`;
                if (!repeat) notJudged(script.field, line, command.excerpt, `Docker refuses this command (${daemon})${unless}`);
                continue;
            }
            if (refused !== undefined) {
                if (!repeat) notJudged(script.field, line, command.excerpt, `the docker CLI refuses this command (${refused.refused}): it creates nothing`);
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
    const onHost = [...remote].map(([host, engine]) => ({ networks: engine.networks.map((node) => ({ ...node, engineHost: host })), containers: engine.containers.map((node) => onEngine(node, host)) }));
    return {
        ...result,
        networks: [...local.networks, ...onHost.flatMap((engine) => engine.networks)],
        containers: [...local.containers, ...onHost.flatMap((engine) => engine.containers)],
        claimed: local.claimed,
        claimedRemote: new Map([...remote].map(([host, engine]) => [host, engine.claimed])),
    };
}

/** The engine host of commands whose target is unknown: one of its own per resource (netguard cannot tell it is another's). */
function unknownHost(source: CommandSource): string {
    return `unknown host of ${source.name}`;
}

/** What the stack creates on a remote host: nothing known; anything on a host that is unknown. */
function remoteContext(context: StackContext | undefined, host: string, unknown: boolean): EngineContext | undefined {
    if (context === undefined) return undefined;
    const none: DockerNames = { networks: new Set(), containers: new Set() };
    const known = context.remote?.get(host);
    if (unknown) return { own: known?.own ?? none, stack: { ...none, anyName: true } };
    return known ?? { own: none, stack: none };
}

/** A container node of a remote engine: on that host, its default bridge that engine's own. */
function onEngine(node: ContainerNode, host: string): ContainerNode {
    const attachments = node.attachments.map((attachment) => (attachment.network === DEFAULT_BRIDGE_KEY ? { ...attachment, network: defaultBridgeKeyOn(host) } : attachment));
    return { ...node, engineHost: host, attachments };
}
