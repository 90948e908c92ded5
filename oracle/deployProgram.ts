/**
 * NOT A DEPLOYMENT TOOL (real deployments go through `pulumi up`). Creates on
 * a real engine exactly the networks, containers and swarm services that a
 * `netguard preview --json` document collected from a program, the way the
 * Docker provider (`@pulumi/docker`, bridged from kreuzwerker's Terraform
 * provider) creates them, so that the conformance tests and the program
 * oracle can read back what the program builds.
 *
 * A network: its driver, options, `internal`, `attachable`, `ipv6`
 * (EnableIPv6) and IPAM blocks. A container: created with its `networkMode`,
 * port bindings (`ip` defaults to 0.0.0.0, `protocol` to tcp, as the
 * provider's schema does), `publishAllPorts` and `links` in its HostConfig and
 * no endpoint settings (Docker puts it on the default bridge, or on what
 * `networkMode` names); with `networksAdvanced`, the provider disconnects it
 * from the default bridge (only "is not connected to the network bridge" is
 * ignored: any other refusal fails the resource) and connects each network
 * with its aliases and static IPv4 and IPv6 addresses; then it starts it.
 * (The provider walks `networksAdvanced` as a set, in its hash order; this
 * follows the program's order.) Every image is replaced by the local probe
 * image running its own idle command, and everything carries the given
 * labels on top of the program's own.
 *
 * A service (`docker.Service`) becomes a swarm service as the provider
 * creates it: its task spec's networks (`networksAdvanceds`, by name, with
 * aliases), its replicas and its published ports; then the deployment waits
 * until every task runs. Overlay networks get their driver, `attachable`
 * and driver options (`encrypted`).
 */
import Docker from "dockerode";
import { PreviewDocument } from "../document/previewDocument";
import { CONTAINER_TYPE, NETWORK_TYPE, SERVICE_TYPE } from "../readers/pulumi/resourceFields";

type Inputs = Record<string, unknown>;

export interface DeployOptions {
    /** The image every container runs instead of the program's. */
    readonly image: string;
    /** Labels added to every network and container (the test labels). */
    readonly labels: Record<string, string>;
    /**
     * Called when the engine refuses a network or container (the provider's
     * create fails); the deployment then goes on without it, and skips the
     * containers that name a refused network or container. Without it, the
     * first refusal throws.
     */
    readonly onRefused?: (refusal: Refusal) => void;
}

/** A resource the engine refused, or skipped because it needs one that was refused. */
export interface Refusal {
    readonly urn: string;
    readonly dockerName: string;
    readonly message: string;
    /** Not created because it needs `dependsOn` (a Docker name), which was refused. */
    readonly dependsOn?: string;
}

/** What was created, by Docker name. */
export interface Deployment {
    readonly networks: string[];
    readonly containers: string[];
    readonly services: string[];
}

function plainString(inputs: Inputs, field: string, what: string): string | undefined {
    const value = inputs[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string") throw new Error(`deployPreview: ${what}: ${field} is ${JSON.stringify(value)}, not a plain string (unknown during preview?)`);
    return value;
}

function list(inputs: Inputs, field: string): Inputs[] {
    const value = inputs[field];
    return Array.isArray(value) ? (value as Inputs[]) : [];
}

/** Pulumi's `[{label, value}]` as Docker's label map, with the extra labels on top. */
function labelMap(inputs: Inputs, extra: Record<string, string>): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const entry of list(inputs, "labels")) labels[String(entry.label)] = String(entry.value);
    return { ...labels, ...extra };
}

function stringMap(value: unknown): Record<string, string> {
    const result: Record<string, string> = {};
    if (value && typeof value === "object") for (const [key, item] of Object.entries(value)) result[key] = String(item);
    return result;
}

async function createNetwork(docker: Docker, inputs: Inputs, options: DeployOptions): Promise<string> {
    const name = plainString(inputs, "name", "network") as string;
    const config = list(inputs, "ipamConfigs").map((block) => ({
        Subnet: plainString(block, "subnet", name),
        Gateway: plainString(block, "gateway", name),
        IPRange: plainString(block, "ipRange", name),
        AuxiliaryAddresses: block.auxAddress ? stringMap(block.auxAddress) : undefined,
    }));
    await docker.createNetwork({
        Name: name,
        CheckDuplicate: true,
        Driver: plainString(inputs, "driver", name) ?? "bridge",
        Internal: inputs.internal === true,
        Attachable: inputs.attachable === true,
        EnableIPv6: inputs.ipv6 === true,
        IPAM: { Driver: plainString(inputs, "ipamDriver", name) ?? "default", Config: config },
        Options: stringMap(inputs.options),
        Labels: labelMap(inputs, options.labels),
    });
    return name;
}

/** The provider's port bindings: `ip` 0.0.0.0 and `protocol` tcp unless written; no `external`: Docker picks. */
function portBindings(inputs: Inputs): { exposed: Record<string, object>; bindings: Record<string, { HostIp: string; HostPort: string }[]> } {
    const exposed: Record<string, object> = {};
    const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
    for (const port of list(inputs, "ports")) {
        const key = `${Number(port.internal)}/${typeof port.protocol === "string" ? port.protocol : "tcp"}`;
        exposed[key] = {};
        const binding = { HostIp: typeof port.ip === "string" ? port.ip : "0.0.0.0", HostPort: port.external !== undefined && port.external !== null ? String(port.external) : "" };
        bindings[key] = [...(bindings[key] ?? []), binding];
    }
    return { exposed, bindings };
}

async function createContainer(docker: Docker, inputs: Inputs, options: DeployOptions): Promise<string> {
    const name = plainString(inputs, "name", "container") as string;
    const networkMode = plainString(inputs, "networkMode", name);
    const links = Array.isArray(inputs.links) ? inputs.links.map(String) : [];
    const { exposed, bindings } = portBindings(inputs);
    const container = await docker.createContainer({
        name,
        Image: options.image,
        Labels: labelMap(inputs, options.labels),
        ...(Object.keys(exposed).length > 0 ? { ExposedPorts: exposed } : {}),
        HostConfig: {
            ...(networkMode ? { NetworkMode: networkMode } : {}),
            ...(Object.keys(bindings).length > 0 ? { PortBindings: bindings } : {}),
            PublishAllPorts: inputs.publishAllPorts === true,
            ...(links.length > 0 ? { Links: links } : {}),
        },
    });
    const advanced = list(inputs, "networksAdvanced");
    if (advanced.length > 0) {
        await docker
            .getNetwork("bridge")
            .disconnect({ Container: container.id })
            .catch((err: Error) => {
                if (!err.message.includes("is not connected to the network bridge")) throw err;
            });
        for (const attachment of advanced) {
            const ipv4Address = plainString(attachment, "ipv4Address", name);
            const ipv6Address = plainString(attachment, "ipv6Address", name);
            await docker.getNetwork(plainString(attachment, "name", name) as string).connect({
                Container: container.id,
                EndpointConfig: {
                    Aliases: Array.isArray(attachment.aliases) ? attachment.aliases.map(String) : undefined,
                    IPAMConfig: { ...(ipv4Address ? { IPv4Address: ipv4Address } : {}), ...(ipv6Address ? { IPv6Address: ipv6Address } : {}) },
                },
            });
        }
    }
    await container.start();
    return name;
}

/** The Docker names of networks and containers a container's inputs name (to skip it when one was refused). */
function namedDependencies(inputs: Inputs): string[] {
    const mode = typeof inputs.networkMode === "string" ? inputs.networkMode : "";
    return [
        ...list(inputs, "networksAdvanced").map((attachment) => String(attachment.name)),
        ...(mode.startsWith("container:") ? [mode.slice("container:".length)] : mode !== "" ? [mode] : []),
        ...(Array.isArray(inputs.links) ? inputs.links.map((link) => String(link).split(":")[0]) : []),
    ];
}

function object(inputs: Inputs, field: string): Inputs {
    const value = inputs[field];
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Inputs) : {};
}

/**
 * The Docker names of a service's networks, in `networksAdvanceds` order.
 * The components name them by the network's id, which the mock engine of a
 * preview makes up; the preview's own entry for the service resolved each to
 * its network, in the same order, and lists after them the endpoints Docker
 * adds by itself (the routing mesh's `ingress`, or the default bridge),
 * which are not created.
 */
function serviceNetworkNames(document: PreviewDocument, name: string, written: readonly Inputs[]): string[] {
    const entry = document.containers.find((container) => container.dockerName === name);
    if (!entry || entry.attachments.length < written.length) {
        throw new Error(`deployPreview: service ${name}: the preview resolved ${entry?.attachments.length ?? 0} of its ${written.length} networks`);
    }
    return entry.attachments.slice(0, written.length).map((attachment) => {
        const network = document.networks.find((n) => n.name === attachment.network);
        if (!network?.dockerName) throw new Error(`deployPreview: service ${name}: network ${attachment.network} has no Docker name in the preview`);
        return network.dockerName;
    });
}

/** A service as the provider creates it; returns its id and the replicas it asks for. */
async function createService(docker: Docker, document: PreviewDocument, inputs: Inputs, options: DeployOptions): Promise<{ name: string; id: string; replicas: number }> {
    const name = plainString(inputs, "name", "service") as string;
    const taskSpec = object(inputs, "taskSpec");
    const networks = list(taskSpec, "networksAdvanceds");
    const networkNames = serviceNetworkNames(document, name, networks);
    const containerSpec = object(taskSpec, "containerSpec");
    const replicated = object(object(inputs, "mode"), "replicated");
    const replicas = typeof replicated.replicas === "number" ? replicated.replicas : 1;
    const ports = list(object(inputs, "endpointSpec"), "ports").map((port) => ({
        TargetPort: Number(port.targetPort),
        ...(port.publishedPort !== undefined ? { PublishedPort: Number(port.publishedPort) } : {}),
        Protocol: (typeof port.protocol === "string" ? port.protocol : "tcp") as "tcp" | "udp" | "sctp",
        PublishMode: (port.publishMode === "host" ? "host" : "ingress") as "host" | "ingress",
    }));
    const created = (await docker.createService({
        Name: name,
        Labels: labelMap(inputs, options.labels),
        TaskTemplate: {
            ContainerSpec: { Image: options.image, Labels: labelMap(containerSpec, options.labels) },
            Networks: networks.map((attachment, i) => ({
                Target: networkNames[i],
                Aliases: Array.isArray(attachment.aliases) ? attachment.aliases.map(String) : [],
            })),
            RestartPolicy: { Condition: "none" },
        },
        Mode: { Replicated: { Replicas: replicas } },
        ...(ports.length > 0 ? { EndpointSpec: { Ports: ports } } : {}),
    })) as { id?: string; ID?: string };
    return { name, id: (created.id ?? created.ID) as string, replicas };
}

/**
 * Creates what a preview document collected: networks, then containers, then
 * services, each in the program's order; waits until every service's tasks
 * run. With `onRefused`, a refused resource is reported and left out (and so
 * is a container that names a refused one), as `pulumi up` creates no
 * dependent of a resource that failed.
 */
export async function deployPreview(docker: Docker, document: PreviewDocument, options: DeployOptions): Promise<Deployment> {
    const refused = new Set<string>();
    const attempt = async (resource: PreviewDocument["resources"][number], create: () => Promise<string>): Promise<string | undefined> => {
        const dockerName = String(resource.inputs.name ?? resource.name);
        const blocking = resource.type === CONTAINER_TYPE ? namedDependencies(resource.inputs).find((name) => refused.has(name)) : undefined;
        if (blocking !== undefined && options.onRefused) {
            refused.add(dockerName);
            options.onRefused({ urn: resource.urn, dockerName, message: `not created: it needs ${blocking}, which the engine refused`, dependsOn: blocking });
            return undefined;
        }
        try {
            return await create();
        } catch (err) {
            if (!options.onRefused) throw err;
            refused.add(dockerName);
            options.onRefused({ urn: resource.urn, dockerName, message: (err as Error).message.replace(/^\(HTTP code \d+\) [a-z ]+ - /, "") });
            return undefined;
        }
    };
    const networks: string[] = [];
    for (const resource of document.resources.filter((r) => r.type === NETWORK_TYPE)) {
        const created = await attempt(resource, () => createNetwork(docker, resource.inputs, options));
        if (created !== undefined) networks.push(created);
    }
    const containers: string[] = [];
    for (const resource of document.resources.filter((r) => r.type === CONTAINER_TYPE)) {
        const created = await attempt(resource, () => createContainer(docker, resource.inputs, options));
        if (created !== undefined) containers.push(created);
    }
    const services: { name: string; id: string; replicas: number }[] = [];
    for (const resource of document.resources.filter((r) => r.type === SERVICE_TYPE)) services.push(await createService(docker, document, resource.inputs, options));
    if (services.length > 0) await waitForServices(docker, Object.fromEntries(services.map((service) => [service.id, service.replicas])));
    return { networks, containers, services: services.map((service) => service.name) };
}

interface TaskSummary {
    readonly ServiceID: string;
    readonly DesiredState?: string;
    readonly Status?: { readonly State?: string; readonly Err?: string; readonly ContainerStatus?: { readonly ContainerID?: string } };
}

/** Waits until every service runs as many tasks as it asks for, each with its container; throws after `timeoutMs` saying which do not. */
export async function waitForServices(docker: Docker, services: Record<string, number>, timeoutMs = 120_000): Promise<void> {
    const started = Date.now();
    for (;;) {
        const tasks = (await docker.listTasks()) as TaskSummary[];
        const lagging = Object.entries(services).filter(([id, replicas]) => {
            const running = tasks.filter((task) => task.ServiceID === id && task.DesiredState === "running" && task.Status?.State === "running" && task.Status.ContainerStatus?.ContainerID);
            return running.length !== replicas;
        });
        if (lagging.length === 0) return;
        if (Date.now() - started > timeoutMs) {
            const said = tasks.filter((task) => lagging.some(([id]) => id === task.ServiceID)).map((task) => `${task.Status?.State}${task.Status?.Err ? ` (${task.Status.Err})` : ""}`);
            throw new Error(`services ${lagging.map(([id]) => id).join(", ")} do not run all their tasks after ${timeoutMs / 1000}s: ${said.join(", ")}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
    }
}
