/**
 * The engines one audit reads: DOCKER_HOST (or the local socket), or every
 * `--host`, as one state. Services, tasks and nodes are read once, from
 * the first swarm manager among them; every engine gives its own
 * containers and local networks, each container named with its node.
 */
import { DockerEngineState, mergeEngineStates } from "../../../../readers/docker/engineState";
import { DockerSwarmState, nodeNames } from "../../../../readers/swarm/fromSwarm";
import { UserError } from "../../../errors";
import {
    DockerEngine,
    EngineLocation,
    SwarmMembership,
    connectEngineAt,
    engineLocation,
    engineLocationOfHost,
    readEngineState,
    readSwarmMembership,
    readSwarmState,
} from "./dockerEngine";
import { NodeEntry } from "../../../../document/auditDocument";

/** One engine that answered. */
export interface AuditedEngine {
    readonly engine: DockerEngine;
    readonly membership: SwarmMembership;
    /** Its node's name: the swarm node's (as tasks name it), else the engine's host name. */
    readonly node: string;
}

/** An engine that did not answer (audited anyway with `--allow-partial`). */
export interface MissingEngine {
    readonly address: string;
    readonly reason: string;
}

export interface ClusterState {
    readonly engines: readonly AuditedEngine[];
    readonly missing: readonly MissingEngine[];
    /** The manager the swarm was read from, if any. */
    readonly manager?: AuditedEngine;
    readonly state: DockerEngineState;
    readonly nodes: readonly NodeEntry[];
    /** What the audit could not see, or saw wrong (a worker without a manager, a node down), one sentence each. */
    readonly warnings: readonly string[];
}

/** The engines to audit: each `--host`, else DOCKER_HOST or the local socket. Malformed addresses are exit 2 before anything connects. */
export function auditLocations(hosts: readonly string[], env: NodeJS.ProcessEnv): EngineLocation[] {
    if (hosts.length === 0) return [engineLocation(env)];
    const locations = hosts.map((host) => engineLocationOfHost(host, env));
    return locations.filter((location, i) => locations.findIndex((other) => other.address === location.address) === i);
}

/** Names made unique: a second `vm` becomes `vm-2`. */
function uniqueNames(names: readonly string[]): string[] {
    const seen = new Map<string, number>();
    return names.map((name) => {
        const count = (seen.get(name) ?? 0) + 1;
        seen.set(name, count);
        return count === 1 ? name : `${name}-${count}`;
    });
}

function nodeEntries(swarm: DockerSwarmState, engines: readonly AuditedEngine[]): NodeEntry[] {
    const names = nodeNames(swarm.nodes);
    return swarm.nodes
        .map((node) => ({
            id: node.ID,
            name: names.get(node.ID) ?? node.ID,
            role: node.Spec?.Role ?? "unknown",
            state: node.Status?.State ?? "unknown",
            availability: node.Spec?.Availability ?? "unknown",
            address: node.Status?.Addr || node.ManagerStatus?.Addr || null,
            leader: node.ManagerStatus?.Leader === true,
            engine: engines.find((audited) => audited.membership.nodeId === node.ID)?.engine.location.address ?? null,
        }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Connects to every engine and reads them. An engine that does not answer
 * is exit 2 naming it, unless `allowPartial` (then it is listed and the
 * others are audited; none answering is exit 2 still).
 */
export async function readCluster(locations: readonly EngineLocation[], labels: readonly string[], allowPartial: boolean): Promise<ClusterState> {
    const connected = await Promise.all(
        locations.map((location) => connectEngineAt(location).then((engine) => ({ engine }), (err: unknown) => ({ location, err }))),
    );
    const missing: MissingEngine[] = [];
    const answered: DockerEngine[] = [];
    for (const result of connected) {
        if ("engine" in result) answered.push(result.engine);
        else missing.push({ address: result.location.address, reason: result.err instanceof Error ? result.err.message : String(result.err) });
    }
    if (missing.length > 0 && (!allowPartial || answered.length === 0)) {
        const first = connected.find((result) => "err" in result) as { err: unknown };
        if (locations.length === 1 && first.err instanceof UserError) throw first.err;
        throw new UserError(
            `${missing.length} of ${locations.length} Docker engines do not answer: ${missing.map((entry) => entry.reason).join("; ")}` +
                (answered.length > 0 ? ". Pass --allow-partial to audit the others." : ""),
        );
    }

    const memberships = await Promise.all(answered.map((engine) => readSwarmMembership(engine)));
    // One engine at two addresses would be audited twice: every container and network doubled.
    memberships.forEach((membership, i) => {
        const same = memberships.findIndex((other) => (other.engineId !== undefined && other.engineId === membership.engineId) || (other.nodeId !== undefined && other.nodeId === membership.nodeId));
        if (same < i) {
            throw new UserError(
                `--host ${answered[same].location.address} and --host ${answered[i].location.address} are the same Docker engine ` +
                    `(${membership.engineId ? `engine id ${membership.engineId}` : `swarm node ${membership.nodeId}`}): pass each engine once`,
            );
        }
    });
    const managerIndex = memberships.findIndex((membership) => membership.role === "manager");
    const swarm = managerIndex >= 0 ? await readSwarmState(answered[managerIndex], labels) : undefined;
    const swarmNames = swarm ? nodeNames(swarm.nodes) : new Map<string, string>();
    const names = uniqueNames(memberships.map((membership) => (membership.nodeId ? swarmNames.get(membership.nodeId) : undefined) ?? membership.name));
    const engines: AuditedEngine[] = answered.map((engine, i) => ({ engine, membership: memberships[i], node: names[i] }));
    const manager = managerIndex >= 0 ? engines[managerIndex] : undefined;

    const warnings: string[] = [];
    for (const entry of missing) warnings.push(`not audited (--allow-partial): ${entry.reason}`);
    for (const audited of engines) {
        const where = `the Docker engine at ${audited.engine.location.address}`;
        if (audited.membership.problem) warnings.push(`${where} is not an active swarm member: ${audited.membership.problem}`);
        if (audited.membership.role === "worker" && !manager) {
            warnings.push(
                `${where} is a swarm worker: services are read from a manager; pass a manager with --host. ` +
                    "Its own containers are judged; its tasks' containers are not (their services are unknown here).",
            );
        }
    }
    const nodes = swarm ? nodeEntries(swarm, engines) : [];
    for (const node of nodes) {
        if (node.state !== "ready") warnings.push(`swarm node ${node.name}${node.address ? ` (${node.address})` : ""} is ${node.state}: its tasks are not running or not reported`);
    }

    // The manager lists every swarm network; with a label scope the services' networks are read whether or not they carry the labels.
    const serviceNetworks = [
        ...new Set(
            (swarm?.services ?? []).flatMap((service) => [
                ...(service.Spec.TaskTemplate?.Networks ?? service.Spec.Networks ?? []).map((network) => network.Target),
                ...(service.Endpoint?.VirtualIPs ?? []).map((vip) => vip.NetworkID ?? "").filter((id) => id),
            ]),
        ),
    ];
    // A service's tasks run on any node: every engine reads their containers, labelled or not.
    const services = (swarm?.services ?? []).map((service) => service.ID);
    const states = await Promise.all(
        engines.map((audited) => readEngineState(audited.engine, labels, { networks: audited === manager ? serviceNetworks : [], services })),
    );
    if (!manager) {
        engines.forEach((audited, i) => {
            if (audited.membership.role === "none" && states[i].networks.some((network) => network.Scope === "swarm")) {
                warnings.push(
                    `the Docker engine at ${audited.engine.location.address} is not a swarm manager (not in swarm mode) yet has swarm-scope networks: ` +
                        "they are judged as networks; services, if any, are read from a manager only (pass one with --host)",
                );
            }
        });
    }
    const state = mergeEngineStates(
        engines.map((audited, i) => ({ node: audited.node, state: states[i] })),
        swarm,
    );
    return { engines, missing, ...(manager ? { manager } : {}), state, nodes, warnings };
}
