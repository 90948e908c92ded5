/** The `netguard preview` command line: its declaration, and its parsed values as {@link PreviewCommandLine}. */
import { Command, Option } from "commander";
import { OutputFormat, outputFormat } from "../../command";

export interface PreviewOptions {
    /** Program file or folder (default: Pulumi.yaml's main, else index.ts). */
    readonly program?: string;
    /** Stack whose `Pulumi.<stack>.yaml` config the program sees (default `dev`, whose file may be missing). */
    readonly stack?: string;
    readonly policyConfig?: string;
    /** Also write the previewed stack as a `pulumi stack export` document here. */
    readonly exportState?: string;
    /** Keep stack traces of program errors (`--debug`). */
    readonly debug?: boolean;
    /** `--timeout`: seconds the program may run; else `NETGUARD_PROGRAM_TIMEOUT`, else the default. */
    readonly timeout?: string;
    /** `--docker-version 20|29`: the Docker whose semantics judge; else the stack's `netguard:dockerVersion`, else 29. */
    readonly dockerVersion?: string;
    /** Compose files (`-f`, repeatable; a PROGRAM ending in .yaml or .yml is the first): previews a Compose project instead of a program. */
    readonly composeFiles?: readonly string[];
    /** `--project-name`: the Compose project's name (else Compose's own choice). */
    readonly projectName?: string;
}

/** One `netguard preview` command line. */
export interface PreviewCommandLine {
    readonly format: OutputFormat;
    readonly options: PreviewOptions;
}

/** The options as commander hands them over. */
interface PreviewFlags {
    stack?: string;
    policyConfig?: string;
    exportState?: string;
    timeout?: string;
    dockerVersion?: string;
    file?: string[];
    projectName?: string;
    json?: boolean;
    markdown?: boolean;
}

export function declarePreview(program: Command): Command {
    return program
        .command("preview")
        .description("run a Pulumi program in-process (no CLI, backend or daemon), evaluate every policy, print plan, IPAM and reachability")
        .argument("[program]", "program file or folder (default: Pulumi.yaml's main, else index.ts), or a compose.yaml")
        .option("-s, --stack <name>", "stack whose Pulumi.<stack>.yaml config the program sees (default: dev, whose file may be missing)")
        .option("--policy-config <file>", "policy config JSON, as for pulumi preview --policy-pack-config")
        .option("--export-state <file>", "also write the previewed stack as a `pulumi stack export` document, for `pulumi policy analyze`")
        .option("--timeout <seconds>", "give the program up after this long (default: NETGUARD_PROGRAM_TIMEOUT, else 300)")
        .option("--docker-version <20|29>", "judge with Docker 20.10's or 29's semantics (default: the stack's netguard:dockerVersion, else 29)")
        .option("-f, --file <compose.yaml>", "preview a Compose project instead (repeatable, merged in order, as docker compose -f)", (file: string, files: string[] = []) => [...files, file])
        .option("--project-name <name>", "the Compose project's name (default: as Compose chooses it)")
        .addOption(new Option("--json", "print one JSON document").conflicts("markdown"))
        .addOption(new Option("--markdown", "print a summary for a pull-request comment"));
}

/** A PROGRAM that names a YAML file is a Compose file. */
const isComposeFile = (file: string | undefined) => file !== undefined && /\.ya?ml$/i.test(file);

export function parsePreview(command: Command): PreviewCommandLine {
    const [argument] = command.processedArgs as [string | undefined];
    const flags = command.opts<PreviewFlags>();
    const composeFiles = [...(isComposeFile(argument) ? [argument as string] : []), ...(flags.file ?? [])];
    const program = isComposeFile(argument) ? undefined : argument;
    return {
        format: outputFormat(flags),
        options: { program, stack: flags.stack, policyConfig: flags.policyConfig, exportState: flags.exportState, timeout: flags.timeout, dockerVersion: flags.dockerVersion,
            ...(composeFiles.length > 0 ? { composeFiles, projectName: flags.projectName } : {}) },
    };
}
