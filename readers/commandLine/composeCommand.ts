/**
 * `docker compose …` and `docker-compose …` lines of a script: which project
 * (files, `-p`, `--project-directory`, `COMPOSE_FILE`/`COMPOSE_PROJECT_NAME`
 * in the command's environment, the default file names) and what the
 * subcommand does to it — `up`/`create`/`run`/`start` bring its networks and
 * containers into the script's engine, `down`/`rm`/`stop` take them out, the
 * rest changes nothing.
 *
 * The files are those the script wrote earlier (`cat > compose.yaml <<EOF`),
 * the heredoc of the line itself (`-f -`), or files in the program's folder;
 * the project is read by the Compose reader, which the Pulumi reader hands
 * in as {@link ComposeProjectReader} (this floor does not import it). A file
 * that cannot be found or read is a reason, never a guess.
 */
import * as fs from "fs";
import * as path from "path";
import { CliSyntax, parseArgs, values } from "./dockerCliArgs";
import { GLOBAL_SYNTAX } from "./dockerCommands";
import { ShellCommand } from "./shell/shellCommand";
import { ShellWord, programName } from "./shell/shellWords";
import { EngineSemantics } from "../../topology/engineSemantics";
import { ContainerNode, Maybe, NetworkNode, UNKNOWN, isKnown } from "../../topology/model";

/** A project file: its absolute path, and its text when the script wrote it (else it is read from disk). */
export interface ComposeFile {
    readonly path: string;
    readonly text?: string;
}

/** What the Compose reader is asked: the files, in order, and the options Compose takes from the line and its environment. */
export interface ComposeRequest {
    readonly files: readonly ComposeFile[];
    readonly projectName?: string;
    readonly projectDirectory: string;
    /** The command's environment, as far as the script knows it (variables not in it are unknown). */
    readonly env: Readonly<Record<string, string>>;
    readonly profiles: readonly string[];
    /** The Docker of the engine the line targets, whose networks the nodes hold. */
    readonly semantics?: EngineSemantics;
}

/** A project read into nodes with Docker's names (keyed by them), or why it cannot be. */
export type ComposeProjectNodes =
    | {
          readonly project: string;
          readonly networks: readonly NetworkNode[];
          readonly containers: readonly ContainerNode[];
          /** Docker names of the external networks: the project uses them, it does not create them. */
          readonly external: readonly string[];
          /** Each service's `depends_on`. */
          readonly dependsOn: Readonly<Record<string, readonly string[]>>;
          /** What the reader could not carry into the model (`services.web.ports[0]`: why). */
          readonly notJudged: readonly string[];
      }
    | { readonly error: string };

export type ComposeProjectReader = (request: ComposeRequest) => ComposeProjectNodes;

/** Where a script runs: the folder relative paths start from (unknown while the command's `dir` is), and the files it may read. */
export interface ScriptPlace {
    /** `local`: this machine, in the program's folder; `remote`: another host (a remote Command, `ssh`), whose files are not here. */
    readonly host: "local" | "remote";
    /** A remote place's host (the connection's `host[:port]`), unknown while computed. */
    readonly engineHost?: Maybe<string>;
    readonly directory: Maybe<string>;
    /** Files outside this folder are not read (they may differ where the script runs). */
    readonly programDirectory?: string;
}

const DEFAULT_FILES = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];

const COMPOSE_SYNTAX: CliSyntax = {
    flags: new Set(["dry-run", "all-resources", "compatibility", "help", "version", "verbose", "no-ansi"]),
    short: { f: "file", p: "project-name", v: "version", h: "help" },
};

/** Each subcommand's boolean flags (every other option takes a value): its operands are the services. */
const SUBCOMMAND_SYNTAX: CliSyntax = {
    flags: new Set(
        ("abort-on-container-exit abort-on-container-failure always-recreate-deps build detach force-recreate menu no-build no-color no-deps " +
            "no-log-prefix no-recreate no-start quiet-pull quiet-build remove-orphans renew-anon-volumes timestamps wait watch yes dry-run help " +
            "volumes force stop rm service-ports use-aliases interactive no-TTY privileged all quiet follow").split(" "),
    ),
    short: { d: "detach", V: "renew-anon-volumes", w: "watch", y: "yes", v: "volumes", f: "force", s: "stop", i: "interactive", T: "no-TTY", t: "timeout", e: "env", l: "label", p: "publish", u: "user", q: "quiet", a: "all" },
};

export type ComposeEffect = "up" | "down" | "stop" | "none";

const EFFECTS: Readonly<Record<string, ComposeEffect>> = {
    up: "up", create: "up", run: "up", start: "up", restart: "up",
    down: "down", rm: "stop", stop: "stop", kill: "stop",
};

/** A compose line read: what it does, to which project, or why it cannot be judged. */
export type ComposeLine =
    | { readonly effect: "none" }
    | { readonly effect: Exclude<ComposeEffect, "none">; readonly subcommand: string; readonly request: ComposeRequest; readonly services: readonly string[]; readonly scaled: boolean }
    | { readonly effect: "unknown"; readonly reason: string };

/** The Compose project files a script wrote (`cat > compose.yaml <<EOF`), by absolute path, and its working folder as `cd` moves it. */
export class ScriptFiles {
    private readonly written = new Map<string, Maybe<string>>();
    private directory: Maybe<string>;

    constructor(private readonly place: ScriptPlace) {
        this.directory = place.directory;
    }

    /** Where a path written in the script is, or UNKNOWN. */
    resolve(file: Maybe<string>, directory: Maybe<string> = this.directory): Maybe<string> {
        if (!isKnown(file)) return UNKNOWN;
        if (path.isAbsolute(file)) return path.normalize(file);
        return isKnown(directory) ? path.resolve(directory, file) : UNKNOWN;
    }

    /** Follows `cd` and output written to files, command by command. */
    observe(command: ShellCommand): void {
        if (command.remote && this.place.host === "local") return;
        const [program, target] = command.words;
        if (program.known && program.text === "cd") this.directory = target?.known && !target.text.startsWith("-") ? this.resolve(target.text) : UNKNOWN;
        for (const write of command.writes ?? []) {
            const file = this.resolve(write.file.known ? write.file.text : UNKNOWN);
            if (!isKnown(file)) continue;
            const text = command.output ?? UNKNOWN;
            const before = write.append ? this.written.get(file) ?? "" : "";
            this.written.set(file, isKnown(text) && isKnown(before) ? before + text : UNKNOWN);
        }
    }

    get workingDirectory(): Maybe<string> {
        return this.directory;
    }

    /** A file's text: what the script wrote, else the file on this machine's disk in the program's folder; or why it cannot be read. */
    read(file: string): ComposeFile | { reason: string } {
        if (this.written.has(file)) {
            const text = this.written.get(file)!;
            return isKnown(text) ? { path: file, text } : { reason: `the script writes ${file} with text that is unknown` };
        }
        if (this.place.host === "remote") return { reason: `${file} is on the remote host, whose files are not read` };
        const root = this.place.programDirectory;
        if (root !== undefined && path.relative(root, file).startsWith("..")) return { reason: `${file} is outside the program's folder (${root})` };
        if (!fs.existsSync(file)) return { reason: `${file} is not in the program's folder` };
        return { path: file };
    }

    exists(file: string): boolean {
        return this.written.has(file) || (this.place.host === "local" && fs.existsSync(file));
    }
}

/** The program of a compose line and the words after `compose`, or undefined for other commands. */
function composeWords(command: ShellCommand): readonly ShellWord[] | undefined {
    const [program, ...rest] = command.words;
    if (!program.known) return undefined;
    if (programName(program) === "docker-compose") return rest;
    if (programName(program) !== "docker") return undefined;
    const global = parseArgs(rest, GLOBAL_SYNTAX, true);
    const [first, ...after] = global.positionals;
    return first?.known && first.text === "compose" && global.hidden.length === 0 ? after : undefined;
}

/** True for `docker compose …` and `docker-compose …` lines. */
export function isComposeLine(command: ShellCommand): boolean {
    return composeWords(command) !== undefined;
}

const unknownText = (word: ShellWord) => word.source ?? "an expansion";

/** What a compose line does, to which project (files found through `files`), or why it cannot be judged. */
export function readComposeLine(command: ShellCommand, files: ScriptFiles): ComposeLine {
    const words = composeWords(command)!;
    const parsed = parseArgs(words, COMPOSE_SYNTAX, true);
    const [subcommandWord, ...operands] = parsed.positionals;
    if (parsed.hidden.length > 0) return { effect: "unknown", reason: `options of docker compose are unknown (${unknownText(parsed.hidden[0])})` };
    if (subcommandWord === undefined) return { effect: "none" };
    if (!subcommandWord.known) return { effect: "unknown", reason: `the docker compose subcommand is unknown (${unknownText(subcommandWord)})` };
    const effect = EFFECTS[subcommandWord.text] ?? "none";
    // `--dry-run` only says what Compose would do.
    if (effect === "none" || values(parsed, "dry-run").length > 0) return { effect: "none" };
    const env = command.env;
    const envText = (name: string): Maybe<string> | undefined => env.get(name);
    const unknown = (word: ShellWord | undefined, what: string) => ({ effect: "unknown" as const, reason: `${what} is unknown (${word ? unknownText(word) : "an expansion"})` });

    const fileWords = values(parsed, "file");
    const nameWord = values(parsed, "project-name").pop();
    const directoryWord = values(parsed, "project-directory").pop();
    if (nameWord && !nameWord.known) return unknown(nameWord, "the project name (-p)");
    if (directoryWord && !directoryWord.known) return unknown(directoryWord, "the project directory");
    const unknownFile = fileWords.find((word) => !word.known);
    if (unknownFile) return unknown(unknownFile, "a Compose file (-f)");
    const envName = envText("COMPOSE_PROJECT_NAME");
    if (nameWord === undefined && envName !== undefined && !isKnown(envName)) return { effect: "unknown", reason: "COMPOSE_PROJECT_NAME is set to a value that is unknown" };
    const projectName = nameWord?.text ?? (envName !== undefined && isKnown(envName) && envName !== "" ? envName : undefined);

    const cwd = files.workingDirectory;
    const noFolder = { effect: "unknown" as const, reason: "the folder the command runs in is unknown, so its Compose files cannot be found" };
    let names: string[] = fileWords.map((word) => word.text);
    if (names.length === 0) {
        const fromEnv = envText("COMPOSE_FILE");
        if (fromEnv !== undefined && !isKnown(fromEnv)) return { effect: "unknown", reason: "COMPOSE_FILE is set to a value that is unknown" };
        if (fromEnv !== undefined && fromEnv !== "") names = fromEnv.split(isKnown(envText("COMPOSE_PATH_SEPARATOR")) ? (envText("COMPOSE_PATH_SEPARATOR") as string) || ":" : ":");
    }
    const projectDirectory = directoryWord ? files.resolve(directoryWord.text, cwd) : undefined;
    if (projectDirectory !== undefined && !isKnown(projectDirectory)) return noFolder;
    const found: ComposeFile[] = [];
    if (names.length === 0) {
        // Compose's default names, in the project directory (or the working one), and the override file beside the one found.
        const folder = projectDirectory ?? cwd;
        if (!isKnown(folder)) return noFolder;
        const base = DEFAULT_FILES.map((name) => path.join(folder, name)).find((file) => files.exists(file));
        if (base === undefined) return { effect: "unknown", reason: `no Compose file (${DEFAULT_FILES.join(", ")}) in ${folder}` };
        names = [base];
        const override = base.replace(/\.(ya?ml)$/, ".override.$1");
        if (files.exists(override)) names.push(override);
    }
    for (const name of names) {
        if (name === "-") {
            const text = command.input;
            if (text === undefined) return { effect: "unknown", reason: "docker compose -f - reads the project from standard input, which is not in the script" };
            if (!isKnown(text)) return { effect: "unknown", reason: "the Compose file on standard input holds expansions whose values are unknown" };
            const folder = projectDirectory ?? cwd;
            if (!isKnown(folder)) return noFolder;
            found.push({ path: path.join(folder, "compose-stdin.yaml"), text });
            continue;
        }
        const file = files.resolve(name, cwd);
        if (!isKnown(file)) return noFolder;
        const read = files.read(file);
        if ("reason" in read) return { effect: "unknown", reason: `the Compose file ${name} cannot be read: ${read.reason}` };
        found.push(read);
    }
    const known: Record<string, string> = {};
    for (const [name, value] of env) if (isKnown(value)) known[name] = value;
    const profiles = values(parsed, "profile").filter((word) => word.known).map((word) => word.text);
    const sub = parseArgs(operands, SUBCOMMAND_SYNTAX, false);
    const hiddenService = sub.positionals.find((word) => !word.known) ?? sub.hidden[0];
    if (hiddenService) return unknown(hiddenService, "a service the line names");
    // `run SERVICE COMMAND…` runs one service (and what it depends on); its command's words are no services.
    const named = sub.positionals.map((word) => word.text);
    const services = subcommandWord.text === "run" ? named.slice(0, 1) : named;
    const request: ComposeRequest = {
        files: found,
        ...(projectName !== undefined ? { projectName } : {}),
        projectDirectory: projectDirectory ?? path.dirname(found[0].path),
        env: known,
        profiles,
    };
    return { effect, subcommand: subcommandWord.text, request, services, scaled: values(sub, "scale").length > 0 };
}
