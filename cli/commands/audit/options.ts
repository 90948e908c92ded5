/** The `netguard audit` command line: options, output, exit code. */
import { Command, Option } from "commander";
import { audit } from "./run";
import { renderAuditText } from "./render/renderText";
import { UserError } from "../../errors";
import { PROBE_METHODS, RequestedProbeMethod } from "./probes/hostProbe";
import { terminalProgress } from "./probes/progress";

interface AuditCliOptions {
    json?: boolean;
    probe?: boolean;
    probeMethod: RequestedProbeMethod;
    label: string[];
    policyConfig?: string;
    allowEmpty?: boolean;
    host: string[];
    allowPartial?: boolean;
}

/**
 * Adds `audit` to the program. `action` turns a run's exit code into the
 * process's, `print` writes stdout (both shared with the other commands).
 */
export function addAuditCommand(
    program: Command,
    action: (run: (options: AuditCliOptions) => Promise<number>) => (options: AuditCliOptions) => Promise<void>,
    print: (text: string) => void,
): void {
    program
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
        .option("--policy-config <file>", "policy config JSON, as for pulumi preview --policy-pack-config")
        .action(
            action(async (options: AuditCliOptions) => {
                const result = await audit({
                    probe: options.probe,
                    probeMethod: options.probeMethod,
                    label: options.label,
                    policyConfig: options.policyConfig,
                    allowEmpty: options.allowEmpty,
                    hosts: options.host,
                    allowPartial: options.allowPartial,
                    progress: terminalProgress("probing containers"),
                });
                for (const warning of result.document.warnings) process.stderr.write(`netguard audit: warning: ${warning}\n`);
                print(options.json ? JSON.stringify(result.document, null, 2) : renderAuditText(result.document));
                // The document says the measurement is incomplete; the failure itself goes to stderr with exit 2.
                if (result.failure) throw new UserError(result.failure);
                return result.exitCode;
            }),
        );
}
