/**
 * A live engine as an import source: the audit's live topology (its engine
 * reading, label scope included), with each container's service name
 * (Compose's `com.docker.compose.service` label, else its Docker name),
 * image, command and environment from its inspect data, and each network's
 * logical name (Compose's `com.docker.compose.network` label, else its
 * Docker name).
 */
import { DockerContainerInspect, DockerEngineState, DockerNetworkInspect } from "../../../readers/docker/engineState";
import { liveTopologyFromDocker } from "../../../readers/docker/fromDocker";
import { ImportSource, SourceGap, SourceWorkload } from "./importSource";

/** Labels Compose puts on what it creates: the service and network keys of the project. */
export const COMPOSE_SERVICE_LABEL = "com.docker.compose.service";
export const COMPOSE_NETWORK_LABEL = "com.docker.compose.network";

/** The inspect fields of a container's process, which the audit's shape leaves untyped. */
interface ProcessConfig {
    readonly Image?: string;
    readonly Cmd?: readonly string[] | null;
    readonly Env?: readonly string[] | null;
    readonly Labels?: Readonly<Record<string, string | undefined>> | null;
}

export function workloadOfContainer(container: DockerContainerInspect): SourceWorkload {
    const config = (container.Config ?? {}) as ProcessConfig;
    const service = config.Labels?.[COMPOSE_SERVICE_LABEL] ?? container.Name.replace(/^\//, "");
    return {
        service,
        ...(config.Image ? { image: config.Image } : {}),
        ...(config.Cmd && config.Cmd.length > 0 ? { command: [...config.Cmd] } : {}),
        ...(config.Env && config.Env.length > 0 ? { envs: [...config.Env] } : {}),
    };
}

/** An engine's state as read (live, or recorded), the label scope it was read with, and what the reading could not see. */
export interface EngineReading {
    readonly state: DockerEngineState;
    readonly labels: readonly string[];
    readonly warnings: readonly string[];
}

/** What an engine state holds, as an import source; `where` names the engine(s). */
export function engineSource(read: EngineReading, where: string): ImportSource {
    const { topology } = liveTopologyFromDocker(read.state);
    const inspectById = new Map(read.state.containers.map((container) => [container.Id, container]));
    const networksByName = new Map<string, DockerNetworkInspect>(read.state.networks.map((network) => [network.Name, network]));
    const workloads = new Map<string, SourceWorkload>();
    for (const container of topology.containers) {
        const inspect = inspectById.get(container.key);
        if (inspect) workloads.set(container.key, workloadOfContainer(inspect));
    }
    const networkNames = new Map<string, string>();
    for (const network of topology.networks) {
        const label = networksByName.get(network.name)?.Labels?.[COMPOSE_NETWORK_LABEL];
        networkNames.set(network.key, label ?? network.name);
    }
    const gaps: SourceGap[] = read.warnings.map((warning) => ({ subject: "engine", reason: warning }));
    const scope = read.labels.length > 0 ? ` (--label ${read.labels.join(" --label ")})` : "";
    return { description: `${where}${scope}`, identity: `engine/${read.labels.join(",")}`, topology, networkNames, workloads, gaps };
}
