/**
 * `netguard`: preview a Pulumi program offline, diff two previews, audit a
 * live Docker engine, all with the one rule core of the policy pack.
 * Exit codes: 0 no mandatory violation, 1 mandatory violations, 2 bad input.
 */
import { Command, CommanderError, Option } from "commander";
import { addAuditCommand } from "./audit/auditCli";
import { EXIT_BAD_INPUT, UserError } from "./errors";
import { diff } from "./diff/diffCommand";
import { renderPreviewMarkdown } from "./render/previewMarkdown";
import { renderPreviewText } from "./render/previewText";

let debug = false;

function print(text: string): void {
    process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

/** Runs one command action, turning its result into an exit code. */
function action<Args extends unknown[]>(run: (...args: Args) => Promise<number>): (...args: Args) => Promise<void> {
    return async (...args: Args) => {
        process.exitCode = await run(...args);
    };
}

export function buildProgram(): Command {
    const program = new Command("netguard")
        .description("Isolated Docker networks as code: offline preview, PR diff and live audit with one rule core.")
        .option("--debug", "print stack traces of errors")
        .hook("preAction", (command) => {
            debug = Boolean(command.opts().debug);
        })
        .exitOverride();

    program
        .command("preview")
        .description("run a Pulumi program in-process (no CLI, backend or daemon), evaluate every policy, print plan, IPAM and reachability")
        .argument("[program]", "program file or folder (default: Pulumi.yaml's main, else index.ts)")
        .option("-s, --stack <name>", "stack whose Pulumi.<stack>.yaml config the program sees", "dev")
        .option("--policy-config <file>", "policy config JSON, as for pulumi preview --policy-pack-config")
        .option("--timeout <seconds>", "give the program up after this long (default: NETGUARD_PROGRAM_TIMEOUT, else 300)")
        .addOption(new Option("--json", "print one JSON document").conflicts("markdown"))
        .addOption(new Option("--markdown", "print a summary for a pull-request comment"))
        .action(
            action(async (programPath: string | undefined, options: { stack: string; policyConfig?: string; timeout?: string; json?: boolean; markdown?: boolean }) => {
                // Loaded here: it loads the Pulumi SDK, which the other commands do not need (audit starts in a fraction of the time).
                const { preview } = require("./preview/previewCommand") as typeof import("./preview/previewCommand");
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
        .action(
            action(async (base: string, head: string, options: { json?: boolean; markdown?: boolean }) => {
                const result = diff(base, head, options.json ? "json" : options.markdown ? "markdown" : "text");
                print(result.output);
                return result.exitCode;
            }),
        );

    addAuditCommand(program, action, print);
    return program;
}

/** Runs the CLI and exits once stdout is flushed (a failed program may leave Pulumi promises pending). */
export async function main(argv: string[]): Promise<void> {
    await runCli(argv);
    process.stdout.write("", () => process.exit());
}

async function runCli(argv: string[]): Promise<void> {
    try {
        await buildProgram().parseAsync(argv);
    } catch (err) {
        if (err instanceof CommanderError) {
            // Commander has printed its message (or the help); --help and --version are not errors.
            process.exitCode = err.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
            return;
        }
        if (err instanceof UserError) {
            process.stderr.write(`netguard: ${err.message}\n`);
            if (debug && err.cause instanceof Error && err.cause.stack) process.stderr.write(`${err.cause.stack}\n`);
        } else {
            process.stderr.write(`netguard: internal error: ${err instanceof Error ? (debug ? err.stack : err.message) : String(err)}\n`);
        }
        process.exitCode = EXIT_BAD_INPUT;
    }
}
