/** The `netguard diff` command line: its declaration, and its parsed values as {@link DiffCommandLine}. */
import { Command, Option } from "commander";
import { OutputFormat, outputFormat } from "../../command";

export interface DiffOptions {
    /** `preview --json` document of the base. */
    readonly base: string;
    /** `preview --json` document of the head. */
    readonly head: string;
    /** The pack's config: `docker-forbidden-flows`' deny targets lead the review. */
    readonly policyConfig?: string;
}

/** One `netguard diff` command line. */
export interface DiffCommandLine {
    readonly format: OutputFormat;
    readonly options: DiffOptions;
}

/** The options as commander hands them over. */
interface DiffFlags {
    json?: boolean;
    markdown?: boolean;
    policyConfig?: string;
}

export function declareDiff(program: Command): Command {
    return program
        .command("diff")
        .description("compare two `preview --json` documents (say, a PR's base and head): reachability, networks, violations")
        .argument("<base>", "preview --json document of the base")
        .argument("<head>", "preview --json document of the head")
        .addOption(new Option("--json", "print one JSON document").conflicts("markdown"))
        .addOption(new Option("--markdown", "print a pull-request comment section"))
        .option("--policy-config <file>", "the pack's config (as for preview): docker-forbidden-flows' deny targets lead the review");
}

export function parseDiff(command: Command): DiffCommandLine {
    const [base, head] = command.processedArgs as [string, string];
    const flags = command.opts<DiffFlags>();
    return { format: outputFormat(flags), options: { base, head, policyConfig: flags.policyConfig } };
}
