/**
 * `netguard`: preview a Pulumi program offline, diff two previews, audit a
 * live Docker engine, all with the one rule core of the policy pack; import
 * a Compose project or a live engine into a program on the components.
 * Exit codes: 0 no mandatory violation, 1 mandatory violations, 2 bad input.
 *
 * This file only wires the commands of `commands/` (each: options.ts,
 * command.ts, run.ts, render/); each command line gets its own context.
 */
import { Command, CommanderError } from "commander";
import { version } from "../package.json";
import { CliCommand, addCommand } from "./command";
import { auditCommand } from "./commands/audit/command";
import { diffCommand } from "./commands/diff/command";
import { importCommand } from "./commands/import/command";
import { previewCommand } from "./commands/preview/command";
import { CliContext, CliOutput, cliContext, errorLine, processOutput, terminalSafe } from "./context";
import { EXIT_BAD_INPUT, UserError } from "./errors";

/** The commands, in the order `--help` lists them. */
const COMMANDS: readonly CliCommand<unknown>[] = [previewCommand, diffCommand, auditCommand, importCommand];

export function buildProgram(context: CliContext = cliContext()): Command {
    const program = new Command("netguard")
        .description("Isolated Docker networks as code: offline preview, PR diff and live audit with one rule core.")
        .version(version, "-V, --version", "print the version of docker-netguard")
        .option("--debug", "print stack traces of errors")
        .hook("preAction", (command) => {
            context.debug = Boolean(command.opts().debug);
        })
        .exitOverride()
        .configureOutput({ writeOut: (text) => context.output.stdout(text), writeErr: (text) => context.output.stderr(terminalSafe(text)) });
    for (const command of COMMANDS) addCommand(program, command, context);
    return program;
}

/** Runs the CLI and exits once stdout is flushed (a failed program may leave Pulumi promises pending). */
export async function main(argv: string[]): Promise<void> {
    process.exitCode = await runCli(argv);
    process.stdout.write("", () => process.exit());
}

/** Runs one command line (`argv` as in `process.argv`) and returns its exit code; tests pass their own `io`. */
export async function runCli(argv: string[], io: CliOutput = processOutput): Promise<number> {
    const context = cliContext(io);
    try {
        await buildProgram(context).parseAsync(argv);
        return context.exitCode;
    } catch (err) {
        if (err instanceof CommanderError) {
            // Commander has printed its message (or the help); --help and --version are not errors.
            return err.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
        }
        const { debug, output } = context;
        if (err instanceof UserError) {
            output.stderr(`netguard: ${errorLine(err.message, debug)}\n`);
            if (debug && err.cause instanceof Error && err.cause.stack) output.stderr(`${err.cause.stack}\n`);
        } else {
            output.stderr(`netguard: internal error: ${err instanceof Error ? (debug ? err.stack : errorLine(err.message, debug)) : errorLine(String(err), debug)}\n`);
        }
        return EXIT_BAD_INPUT;
    }
}
