/**
 * Which Docker engine a command line talks to: the local one (the
 * program's, where a local Command runs) or another host's. A remote
 * Command runs on its connection's host; `ssh HOST …` on HOST; `docker -H`
 * / `DOCKER_HOST` name a daemon (a unix socket is the one of the machine
 * the command runs on); `--context` / `DOCKER_CONTEXT` name a context whose
 * endpoint is not known here, so it counts as a host of its own.
 */
import { lastValue, maybeText, parseArgs } from "./dockerCliArgs";
import { GLOBAL_SYNTAX } from "./dockerCommands";
import { ShellCommand } from "./shell/shellCommand";
import { programName } from "./shell/shellWords";
import { Maybe, UNKNOWN, isKnown } from "../../topology/model";

/** The engine host written in a daemon address (`tcp://h:2376`, `ssh://user@h`), or `runsOn` for a socket on the machine itself. */
function daemonHost(address: Maybe<string>, runsOn: Maybe<string> | undefined): Maybe<string> | undefined {
    if (!isKnown(address)) return UNKNOWN;
    if (/^(unix|npipe|fd):\/\//.test(address) || address === "") return runsOn;
    const host = address.replace(/^[a-z]+:\/\//, "").replace(/^[^@/]*@/, "").replace(/\/.*$/, "");
    return runsOn === undefined && /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(host) ? undefined : host;
}

/**
 * The engine a command targets: undefined for the local engine, a host as
 * written, or UNKNOWN behind an expansion. `runsOn`: where the script runs
 * (undefined: locally; a remote Command's host).
 */
export function targetEngine(command: ShellCommand, runsOn: Maybe<string> | undefined): Maybe<string> | undefined {
    const machine = command.remote ? (command.remoteHost ?? UNKNOWN) : runsOn;
    const [program, ...rest] = command.words;
    const docker = program.known && ["docker", "docker-compose"].includes(programName(program));
    const global = docker && programName(program) === "docker" ? parseArgs(rest, GLOBAL_SYNTAX, true) : undefined;
    const address = (global && maybeText(lastValue(global, "host"))) ?? command.env.get("DOCKER_HOST");
    if (address !== undefined) return daemonHost(address, machine);
    const context = (global && maybeText(lastValue(global, "context"))) ?? command.env.get("DOCKER_CONTEXT");
    if (context !== undefined && context !== "default") return isKnown(context) ? `context ${context}` : UNKNOWN;
    return machine;
}
