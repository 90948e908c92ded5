/** The `netguard audit` command line: its declaration, and its parsed values as {@link AuditCommandLine}. */
import { Command, Option } from "commander";
import { PROBE_METHODS, RequestedProbeMethod } from "./probes/hostProbe";
import { Progress } from "./probes/progress";

export interface AuditOptions {
    /** Measure reachability from each running container. */
    readonly probe?: boolean;
    /** How (default auto: from the host when the engine is local and the audit runs as root, else by exec). */
    readonly probeMethod?: RequestedProbeMethod;
    /** `key=value` (or `key`) label filters; all must match: containers by theirs, services by their own (their tasks' containers come with them). */
    readonly label?: readonly string[];
    readonly policyConfig?: string;
    /** Progress of the probes (default: none). */
    readonly progress?: Progress;
    /** A label scope that audits nothing is fine (default: exit 2, a typo or task containers matched without their services). */
    readonly allowEmpty?: boolean;
    /** Where DOCKER_HOST is read from (default: the process environment). */
    readonly env?: NodeJS.ProcessEnv;
    /** Engines to audit as one topology, each a DOCKER_HOST value (default: DOCKER_HOST, else the local socket). */
    readonly hosts?: readonly string[];
    /** Audit the engines that answer when some do not (default: exit 2 naming them). */
    readonly allowPartial?: boolean;
}

/** One `netguard audit` command line. */
export interface AuditCommandLine {
    readonly format: "text" | "json";
    readonly options: AuditOptions;
}

/** The options as commander hands them over. */
interface AuditFlags {
    json?: boolean;
    probe?: boolean;
    probeMethod: RequestedProbeMethod;
    label: string[];
    policyConfig?: string;
    allowEmpty?: boolean;
    host: string[];
    allowPartial?: boolean;
}

export function declareAudit(program: Command): Command {
    return program
        .command("audit")
        .description(
            "read the Docker engine at DOCKER_HOST (default: the local socket), or each --host, with a swarm's services and tasks, " +
                "run every rule live state can judge, predict reachability; with --probe, measure it from inside each running container and task",
        )
        .option("--json", "print one JSON document")
        .option("--probe", "measure reachability from each running container and compare it with the prediction")
        .addOption(
            new Option(
                "--probe-method <method>",
                "host: from the host into each container's network namespace (nsenter, fping; root, local engine); exec: docker exec in each container; auto: host when possible",
            )
                .choices(PROBE_METHODS as string[])
                .default("auto"),
        )
        .addOption(
            new Option("--label <key=value>", "only containers and swarm services with this label (a service by its own labels, its tasks' containers with it), and the networks they use or that carry it (repeatable; all must match)")
                .argParser((value: string, previous: string[]) => [...previous, value])
                .default([]),
        )
        .option("--allow-empty", "a --label scope that audits nothing (no container, no service) is not an error")
        .addOption(
            new Option(
                "--host <address>",
                "audit this engine (a DOCKER_HOST value: unix:///path/to/docker.sock or tcp://host:port); repeatable: several engines as one topology, services read from a swarm manager among them",
            )
                .argParser((value: string, previous: string[]) => [...previous, value])
                .default([]),
        )
        .option("--allow-partial", "with several --host, an engine that does not answer is listed and the others are still audited")
        .option("--policy-config <file>", "policy config JSON, as for pulumi preview --policy-pack-config");
}

export function parseAudit(command: Command): AuditCommandLine {
    const flags = command.opts<AuditFlags>();
    return {
        format: flags.json ? "json" : "text",
        options: {
            probe: flags.probe,
            probeMethod: flags.probeMethod,
            label: flags.label,
            policyConfig: flags.policyConfig,
            allowEmpty: flags.allowEmpty,
            hosts: flags.host,
            allowPartial: flags.allowPartial,
        },
    };
}
