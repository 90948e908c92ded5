/**
 * TEST CODE, NOT A DEPLOYMENT TOOL. Creates on a real engine exactly the
 * networks, containers and swarm services that a `netguard preview --json`
 * document collected from a program, so that the conformance tests can audit
 * what the program would build. Real deployments go through `pulumi up`.
 *
 * It follows the Docker provider's order of operations for a container with
 * `networksAdvanced`: create it (Docker puts it on the default bridge),
 * disconnect it from the default bridge, connect each network with its
 * aliases and static address, then start it. Every image is replaced by the
 * local probe image running its own idle command, and everything carries the
 * given test labels on top of the program's own.
 *
 * A service (`docker.Service`) becomes a swarm service as the provider
 * creates it: its task spec's networks (`networksAdvanceds`, by name, with
 * aliases), its replicas and its published ports; then the deployment waits
 * until every task runs. Overlay networks get their driver, `attachable`
 * and driver options (`encrypted`).
 */
import Docker from "dockerode";
import { PreviewDocument } from "../../../document/previewDocument";
import { CONTAINER_TYPE, NETWORK_TYPE, SERVICE_TYPE } from "../../../readers/pulumi/resourceFields";
import { waitForServices } from "./swarmServices";

type Inputs = Record<string, unknown>;

export interface DeployOptions {
    /** The image every container runs instead of the program's. */
    readonly image: string;
    /** Labels added to every network and container (the test labels). */
    readonly labels: Record<string, string>;
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
        IPAM: { Driver: "default", Config: config },
        Options: stringMap(inputs.options),
        Labels: labelMap(inputs, options.labels),
    });
    return name;
}

async function createContainer(docker: Docker, inputs: Inputs, options: DeployOptions): Promise<string> {
    const name = plainString(inputs, "name", "container") as string;
    const networkMode = plainString(inputs, "networkMode", name);
    const container = await docker.createContainer({
        name,
        Image: options.image,
        Labels: labelMap(inputs, options.labels),
        HostConfig: networkMode ? { NetworkMode: networkMode } : {},
    });
    const advanced = list(inputs, "networksAdvanced");
    if (advanced.length > 0) {
        await docker
            .getNetwork("bridge")
            .disconnect({ Container: container.id })
            .catch((err: Error) => {
                if (!/is not connected/.test(err.message)) throw err;
            });
        for (const attachment of advanced) {
            const ipv4Address = plainString(attachment, "ipv4Address", name);
            await docker.getNetwork(plainString(attachment, "name", name) as string).connect({
                Container: container.id,
                EndpointConfig: {
                    Aliases: Array.isArray(attachment.aliases) ? attachment.aliases.map(String) : undefined,
                    IPAMConfig: ipv4Address ? { IPv4Address: ipv4Address } : undefined,
                },
            });
        }
    }
    await container.start();
    return name;
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

/** Creates the document's networks, then its containers and services, in the program's order; waits until every service's tasks run. */
export async function deployPreview(docker: Docker, document: PreviewDocument, options: DeployOptions): Promise<Deployment> {
    const networks: string[] = [];
    for (const resource of document.resources.filter((r) => r.type === NETWORK_TYPE)) networks.push(await createNetwork(docker, resource.inputs, options));
    const containers: string[] = [];
    for (const resource of document.resources.filter((r) => r.type === CONTAINER_TYPE)) containers.push(await createContainer(docker, resource.inputs, options));
    const services: { name: string; id: string; replicas: number }[] = [];
    for (const resource of document.resources.filter((r) => r.type === SERVICE_TYPE)) services.push(await createService(docker, document, resource.inputs, options));
    if (services.length > 0) await waitForServices(docker, Object.fromEntries(services.map((service) => [service.id, service.replicas])));
    return { networks, containers, services: services.map((service) => service.name) };
}
