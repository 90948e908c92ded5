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
import { Refused, isRefused, parseArgs, unknownOptions, unknownValues } from "./dockerCliArgs";
import { CommandSource, NetworkConnection, Origin } from "./dockerCommandNodes";
import {
    NETWORK_CONNECT_JUDGED,
    NETWORK_CONNECT_SYNTAX,
    NETWORK_CREATE_JUDGED,
    NETWORK_CREATE_SYNTAX,
    NETWORK_DISCONNECT_SYNTAX,
    RUN_JUDGED,
    RUN_SYNTAX,
    connectionFrom,
    containerFromRun,
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
import { ContainerNode, Maybe, NetworkNode, UNKNOWN, isKnown, workloadKind } from "../../topology/model";
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
    readonly notJudged: NotJudgedLine[];
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
