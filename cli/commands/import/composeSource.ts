/**
 * A Compose project as an import source: the topology the Compose reader
 * maps (Docker's names), with each container's service key, image, command
 * and environment, each network's key, and what the reader did not judge.
 */
import { ComposeReading, ComposeService, composeContainerNames } from "../../../readers/compose";
import { isKnown } from "../../../topology/model";
import { ImportSource, SourceGap, SourceWorkload } from "./importSource";

/** `command:` as Compose resolves it: a list, or a string it splits as a shell would (plain words only here). */
function commandOf(service: ComposeService, gaps: SourceGap[], where: string): string[] | undefined {
    const command = service.command;
    if (command === undefined || command === null) return undefined;
    if (Array.isArray(command)) return command.map(String);
    if (typeof command === "string" && !/["'\\$`]/.test(command)) return command.split(/\s+/).filter((word) => word !== "");
    gaps.push({ subject: `${where}.command`, reason: "a command string with quotes or escapes is not split here: write it as a list" });
    return undefined;
}

/** `environment:` as a map (the plugin's form) or a list of `KEY=value`; a key without value is left out, as Compose leaves it unset. */
function envsOf(service: ComposeService): string[] | undefined {
    const environment = service.environment;
    if (environment === undefined || environment === null) return undefined;
    const entries = Array.isArray(environment)
        ? environment.map(String).filter((entry) => entry.includes("="))
        : Object.entries(environment as Record<string, unknown>)
              .filter(([, value]) => value !== null && value !== undefined)
              .map(([key, value]) => `${key}=${String(value)}`);
    return entries.length > 0 ? entries : undefined;
}

export function composeSource(reading: ComposeReading, files: readonly string[]): ImportSource {
    const { project, topology } = reading;
    const gaps: SourceGap[] = reading.notJudged.map((entry) => ({ subject: entry.key, reason: entry.reason }));
    const networkNames = new Map<string, string>();
    for (const [key, network] of Object.entries(project.networks ?? {})) {
        const dockerName = network.name ?? `${project.name}_${key}`;
        const node = topology.networks.find((candidate) => candidate.dockerName === dockerName || candidate.key === `compose:${project.name}:network:${key}`);
        if (node) networkNames.set(node.key, key);
    }
    const workloads = new Map<string, SourceWorkload>();
    for (const [name, service] of Object.entries(project.services)) {
        const where = `services.${name}`;
        const image = typeof service.image === "string" ? service.image : undefined;
        const workload: SourceWorkload = { service: name, image, command: commandOf(service, gaps, where), envs: envsOf(service) };
        for (const container of composeContainerNames(project.name, name, service)) {
            const node = topology.containers.find((candidate) => candidate.dockerName === container || candidate.key === container);
            if (node) workloads.set(node.key, workload);
        }
    }
    return {
        description: `${files.join(", ")} (Compose project ${project.name})`,
        identity: `compose/${project.name}`,
        topology: { ...topology, containers: topology.containers.filter((container) => isKnown(container.name)) },
        networkNames,
        workloads,
        gaps,
    };
}
