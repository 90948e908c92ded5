/** The `netguard import` command line: its declaration, and its parsed values as {@link ImportOptions}. */
import { Command, Option } from "commander";
import { UserError } from "../../errors";

export interface ImportOptions {
    /** Compose files (`-f`, repeatable; a COMPOSE argument is the first): import a Compose project. */
    readonly composeFiles?: readonly string[];
    /** `--project-name`: the Compose project's name (else Compose's own choice). */
    readonly projectName?: string;
    /** `--from-engine`: import the networks and containers of the live engine (DOCKER_HOST, else the local socket). */
    readonly fromEngine?: boolean;
    /** `key=value` (or `key`) label filters for `--from-engine`, as the audit's `--label`. */
    readonly labels?: readonly string[];
    /** Write the program here instead of stdout. */
    readonly out?: string;
    /** Where DOCKER_HOST is read from (default: the process environment). */
    readonly env?: NodeJS.ProcessEnv;
}

interface ImportFlags {
    file?: string[];
    projectName?: string;
    fromEngine?: boolean;
    label: string[];
    out?: string;
}

export function declareImport(program: Command): Command {
    return program
        .command("import")
        .description(
            "write a TypeScript Pulumi program on the components (IsolatedServiceNet, DualHomedContainer, explicit IPAM) from a Compose project or a live engine's networks, " +
                "with the same reachability between the same services; what had to change or could not be carried is a comment in it",
        )
        .argument("[compose]", "a compose.yaml to import")
        .option("-f, --file <compose.yaml>", "a Compose file (repeatable, merged in order, as docker compose -f)", (file: string, files: string[] = []) => [...files, file])
        .option("--project-name <name>", "the Compose project's name (default: as Compose chooses it)")
        .option("--from-engine", "import the live engine at DOCKER_HOST (default: the local socket) instead of a Compose project")
        .addOption(
            new Option("--label <key=value>", "with --from-engine: only containers with this label, and the networks they use or that carry it (repeatable; all must match)")
                .argParser((value: string, previous: string[]) => [...previous, value])
                .default([]),
        )
        .option("-o, --out <file>", "write the program to this file (default: stdout)");
}

export function parseImport(command: Command): ImportOptions {
    const [argument] = command.processedArgs as [string | undefined];
    const flags = command.opts<ImportFlags>();
    const composeFiles = [...(argument !== undefined ? [argument] : []), ...(flags.file ?? [])];
    if (flags.fromEngine && composeFiles.length > 0) throw new UserError(`import reads a Compose project or --from-engine, not both (got ${composeFiles.join(", ")} and --from-engine)`);
    if (!flags.fromEngine && composeFiles.length === 0) throw new UserError("import needs a Compose file (netguard import compose.yaml) or --from-engine");
    if (!flags.fromEngine && flags.label.length > 0) throw new UserError("--label scopes --from-engine only: a Compose project is imported whole");
    if (flags.fromEngine && flags.projectName !== undefined) throw new UserError("--project-name names a Compose project: it does not go with --from-engine");
    return {
        ...(flags.fromEngine ? { fromEngine: true, labels: flags.label } : { composeFiles, projectName: flags.projectName }),
        ...(flags.out !== undefined ? { out: flags.out } : {}),
    };
}
