/**
 * The shape every `netguard` command has (`cli/commands/<name>/`):
 * `options.ts` declares it on the program and reads a parsed command line
 * into its typed options; `command.ts` runs it (`run.ts`, then a renderer
 * of `render/`) and prints. `main.ts` only lists the commands.
 */
import { Command } from "commander";
import { CliContext } from "./context";

export interface CliCommand<Options> {
    /** Adds the command, its arguments and options (not its action) to `program`; returns the command. */
    declare(program: Command): Command;
    /** The typed options of one parsed command line (`command.processedArgs`, `command.opts()`); bad values are a UserError. */
    parse(command: Command): Options;
    /** Runs the command, prints through `context`, and returns the exit code. */
    execute(options: Options, context: CliContext): Promise<number>;
}

/** Declares `command` on `program`, its action parsing, executing and recording the exit code in `context`. */
export function addCommand<Options>(program: Command, command: CliCommand<Options>, context: CliContext): void {
    command.declare(program).action(async (...args: unknown[]) => {
        const self = args[args.length - 1] as Command;
        context.exitCode = await command.execute(command.parse(self), context);
    });
}

/** What a command prints: a table view, one JSON document, or Markdown for a pull-request comment. */
export type OutputFormat = "text" | "json" | "markdown";

/** The format `--json` / `--markdown` ask for (commander keeps them exclusive). */
export function outputFormat(flags: { readonly json?: boolean; readonly markdown?: boolean }): OutputFormat {
    return flags.json ? "json" : flags.markdown ? "markdown" : "text";
}
