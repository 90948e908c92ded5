/**
 * `netguard`: preview a Pulumi program offline, diff two previews, audit a
 * live Docker engine, all with the one rule core of the policy pack.
 * Exit codes: 0 no mandatory violation, 1 mandatory violations, 2 bad input.
 */
import { Command, CommanderError, Option } from "commander";
import { version } from "../package.json";
import { addAuditCommand } from "./commands/audit/options";
import { escapeControls } from "../text/excerpt";
import { EXIT_BAD_INPUT, UserError } from "./errors";
import { diff } from "./commands/diff/run";
import { renderPreviewMarkdown } from "./commands/preview/render/renderMarkdown";
import { renderPreviewText } from "./commands/preview/render/renderText";

let debug = false;
/** The exit code of the command that ran (set by {@link action}). */
let exitCode = 0;

/** Where the CLI writes: the process's streams, or a test's buffers. */
export interface CliOutput {
    stdout(text: string): void;
    stderr(text: string): void;
}

const processOutput: CliOutput = { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) };
let output: CliOutput = processOutput;

/**
 * Output with every control character but the line feed escaped: names and
 * messages come from a pull request and must not drive the reader's
 * terminal. JSON stays equivalent (`\u0085` in a string is U+0085).
 */
function terminalSafe(text: string): string {
    return text.includes("\n") ? text.split("\n").map(escapeControls).join("\n") : escapeControls(text);
}

function print(text: string): void {
    output.stdout(terminalSafe(text.endsWith("\n") ? text.slice(0, -1) : text) + "\n");
}

/** Longest error message printed; a longer one is cut (`--debug` prints it whole). */
export const MAX_ERROR_LENGTH = 1000;

/** An error message as one escaped line of bounded length. */
export function errorLine(message: string): string {
    const line = escapeControls(message.replace(/\s*[\r\n]+\s*/g, " ").trim());
    return !debug && line.length > MAX_ERROR_LENGTH ? `${line.slice(0, MAX_ERROR_LENGTH)}... (cut; --debug prints the whole message)` : line;
}

/** Runs one command action, turning its result into an exit code. */
function action<Args extends unknown[]>(run: (...args: Args) => Promise<number>): (...args: Args) => Promise<void> {
    return async (...args: Args) => {
        exitCode = await run(...args);
    };
}

export function buildProgram(): Command {
    const program = new Command("netguard")
        .description("Isolated Docker networks as code: offline preview, PR diff and live audit with one rule core.")
        .version(version, "-V, --version", "print the version of docker-netguard")
        .option("--debug", "print stack traces of errors")
        .hook("preAction", (command) => {
            debug = Boolean(command.opts().debug);
        })
        .exitOverride()
        .configureOutput({ writeOut: (text) => output.stdout(text), writeErr: (text) => output.stderr(terminalSafe(text)) });

    program
        .command("preview")
        .description("run a Pulumi program in-process (no CLI, backend or daemon), evaluate every policy, print plan, IPAM and reachability")
        .argument("[program]", "program file or folder (default: Pulumi.yaml's main, else index.ts)")
        .option("-s, --stack <name>", "stack whose Pulumi.<stack>.yaml config the program sees (default: dev, whose file may be missing)")
        .option("--policy-config <file>", "policy config JSON, as for pulumi preview --policy-pack-config")
        .option("--export-state <file>", "also write the previewed stack as a `pulumi stack export` document, for `pulumi policy analyze`")
        .option("--timeout <seconds>", "give the program up after this long (default: NETGUARD_PROGRAM_TIMEOUT, else 300)")
        .addOption(new Option("--json", "print one JSON document").conflicts("markdown"))
        .addOption(new Option("--markdown", "print a summary for a pull-request comment"))
        .action(
            action(async (programPath: string | undefined, options: { stack?: string; policyConfig?: string; exportState?: string; timeout?: string; json?: boolean; markdown?: boolean }) => {
                // Loaded here: it loads the Pulumi SDK, which the other commands do not need (audit starts in a fraction of the time).
                const { preview } = require("./commands/preview/run") as typeof import("./commands/preview/run");
                const result = await preview(programPath, { ...options, debug });
                if (options.json) print(JSON.stringify(result.document, null, 2));
                else if (options.markdown) print(renderPreviewMarkdown(result.document));
                else print(renderPreviewText(result.document, result.outputs, result.predictedAddresses));
                return result.exitCode;
            }),
        );

    program
        .command("diff")
        .description("compare two `preview --json` documents (say, a PR's base and head): reachability, networks, violations")
        .argument("<base>", "preview --json document of the base")
        .argument("<head>", "preview --json document of the head")
        .addOption(new Option("--json", "print one JSON document").conflicts("markdown"))
        .addOption(new Option("--markdown", "print a pull-request comment section"))
        .option("--policy-config <file>", "the pack's config (as for preview): docker-forbidden-flows' deny targets lead the review")
        .action(
            action(async (base: string, head: string, options: { json?: boolean; markdown?: boolean; policyConfig?: string }) => {
                const result = diff(base, head, options.json ? "json" : options.markdown ? "markdown" : "text", options.policyConfig);
                print(result.output);
                return result.exitCode;
            }),
        );

    addAuditCommand(program, action, print);
    return program;
}

/** Runs the CLI and exits once stdout is flushed (a failed program may leave Pulumi promises pending). */
export async function main(argv: string[]): Promise<void> {
    process.exitCode = await runCli(argv);
    process.stdout.write("", () => process.exit());
}

/** Runs one command line (`argv` as in `process.argv`) and returns its exit code; tests pass their own `io`. */
export async function runCli(argv: string[], io: CliOutput = processOutput): Promise<number> {
    output = io;
    debug = false;
    exitCode = 0;
    try {
        await buildProgram().parseAsync(argv);
        return exitCode;
    } catch (err) {
        if (err instanceof CommanderError) {
            // Commander has printed its message (or the help); --help and --version are not errors.
            return err.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
        }
        if (err instanceof UserError) {
            output.stderr(`netguard: ${errorLine(err.message)}\n`);
            if (debug && err.cause instanceof Error && err.cause.stack) output.stderr(`${err.cause.stack}\n`);
        } else {
            output.stderr(`netguard: internal error: ${err instanceof Error ? (debug ? err.stack : errorLine(err.message)) : errorLine(String(err))}\n`);
        }
        return EXIT_BAD_INPUT;
    } finally {
        output = processOutput;
    }
}
