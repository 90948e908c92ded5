/**
 * The cross-language surface of netguard's components: the same fields as the
 * TypeScript API (components/), in types a Pulumi package schema can describe.
 * Three TypeScript-only types are swapped: `containerArgs` (all of
 * `docker.ContainerArgs`) becomes {@link ContainerSettings}, `serviceArgs`
 * (all of `docker.ServiceArgs`) becomes {@link ServiceSettings}, and a
 * dual-homed container or service names its nets instead of holding the objects.
 * The classes here are thin: each builds the one implementation in
 * components/ as its child and publishes plain data as outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import * as netguard from "../components";
import { NetguardInputError } from "../components/inputError";
import { ComponentProviderOptions } from "@pulumi/pulumi/provider/experimental";

export const PROVIDER_NAME = "netguard";

/** A published port, as Docker's `-p [ip:]external:internal[/protocol]`. */
export interface ContainerPort {
    /** Port inside the container. */
    internal: number;
    /** Port on the host; default: one Docker picks. */
    external?: number;
    /** Host address to bind; default all interfaces (the `docker-published-port-bound` policy flags that). */
    ip?: string;
    /** `tcp` (default), `udp` or `sctp`. */
    protocol?: string;
}

/** The container settings other languages can give; networking stays the component's job. */
export interface ContainerSettings {
    /** Published ports. */
    ports?: ContainerPort[];
    /** Restart policy: `no`, `on-failure`, `always` or `unless-stopped`. */
    restart?: pulumi.Input<string>;
    /** User (and group) the process runs as. */
    user?: pulumi.Input<string>;
    /** Working directory of the process. */
    workingDir?: pulumi.Input<string>;
    /** Extra container labels; netguard's own labels are added to them. */
    labels?: Record<string, string>;
}

/** A port a swarm service publishes, as `docker service create -p published:target[/protocol]`. */
export interface ServicePort {
    /** Port inside the tasks. */
    targetPort: number;
    /** Port on the nodes; default: one the swarm picks. */
    publishedPort?: number;
    /** `tcp` (default), `udp` or `sctp`. */
    protocol?: string;
    /** `ingress` (default: the routing mesh, every node) or `host` (the node a task runs on). */
    publishMode?: string;
}

/** The swarm service settings other languages can give; networking stays the component's job. */
export interface ServiceSettings {
    /** Published ports. */
    ports?: ServicePort[];
    /** Placement constraints, e.g. `node.role==worker`. */
    constraints?: string[];
    /** User (and group) the tasks run as. */
    user?: pulumi.Input<string>;
    /** Working directory of the tasks. */
    workingDir?: pulumi.Input<string>;
    /** Extra service labels; netguard's own labels are added to them. */
    labels?: Record<string, string>;
}

/** One service that lives on an isolated net: a container (local scope) or a swarm service (swarm scope). */
export interface ServiceSpec extends netguard.ContainerProcess, netguard.ServiceAddressing {
    /** Local scope only: other container settings. */
    containerArgs?: ContainerSettings;
    /** Swarm scope only: tasks to run. Default 1. */
    replicas?: number;
    /** Swarm scope only: other service settings. */
    serviceArgs?: ServiceSettings;
}

export interface IsolatedServiceNetArgs extends netguard.NetSettingsBesidesScope {
    /** `local` (default: a bridge network and containers) or `swarm` (an overlay network and swarm services). */
    scope?: string;
    /** The services that live only on this net, by service key (also their DNS name). */
    services?: Record<string, ServiceSpec>;
}

/** One net a dual-homed container joins. */
export interface NetAttachment extends netguard.AttachmentSettings {
    /** Logical name of an IsolatedServiceNet declared earlier in the same program. */
    net: string;
}

export interface DualHomedContainerArgs extends netguard.ContainerProcess {
    /** Other container settings. */
    containerArgs?: ContainerSettings;
    /** Two or more distinct nets. This container is the only bridge between them. */
    attachments: NetAttachment[];
}

/** One swarm-scope net a dual-homed service joins. */
export interface ServiceNetAttachment {
    /** Logical name of a swarm-scope IsolatedServiceNet declared earlier in the same program. */
    net: string;
    /** Extra DNS names on this net; the component's name is always one. */
    aliases?: string[];
}

export interface DualHomedServiceArgs extends netguard.ContainerProcess {
    /** Tasks to run. Default 1. */
    replicas?: number;
    /** Other service settings. */
    serviceArgs?: ServiceSettings;
    /** Two or more distinct swarm-scope nets. This service is the only bridge between them. */
    attachments: ServiceNetAttachment[];
}

/** The nets this provider process has built, by logical name, for attachments to find. */
const builtNets = new Map<string, netguard.IsolatedServiceNet>();

/** The TypeScript container args for cross-language settings. */
export function toContainerArgs(settings: ContainerSettings | undefined): netguard.ContainerArgsBesidesNetworking | undefined {
    if (settings === undefined) return undefined;
    const { labels, ...rest } = settings;
    const containerArgs: netguard.ContainerArgsBesidesNetworking = { ...rest };
    if (labels !== undefined) containerArgs.labels = Object.entries(labels).map(([label, value]) => ({ label, value }));
    return containerArgs;
}

/** The TypeScript service args for cross-language settings. */
export function toServiceArgs(settings: ServiceSettings | undefined): netguard.ServiceArgsBesidesNetworking | undefined {
    if (settings === undefined) return undefined;
    const { ports, constraints, user, workingDir, labels } = settings;
    const serviceArgs: netguard.ServiceArgsBesidesNetworking = {};
    if (ports !== undefined) serviceArgs.endpointSpec = { ports };
    if (constraints !== undefined) serviceArgs.taskSpec = { placement: { constraints } };
    if (user !== undefined || workingDir !== undefined) serviceArgs.containerSpec = { user, dir: workingDir };
    if (labels !== undefined) serviceArgs.labels = Object.entries(labels).map(([label, value]) => ({ label, value }));
    return serviceArgs;
}

function toServiceSpec(spec: ServiceSpec): netguard.ServiceSpec {
    return { ...spec, containerArgs: toContainerArgs(spec.containerArgs), serviceArgs: toServiceArgs(spec.serviceArgs) };
}

/** The built nets an attachment list names, in order; throws naming the field and the value for an unknown one. */
function namedNets<T extends { net: string }>(component: string, attachments: T[] | undefined): (Omit<T, "net"> & { net: netguard.IsolatedServiceNet })[] {
    if (!Array.isArray(attachments)) {
        throw new NetguardInputError(component, "attachments", attachments, "must be a list of at least two nets, given by name");
    }
    return attachments.map((attachment, i) => {
        const net = builtNets.get(attachment?.net);
        if (net === undefined) {
            throw new NetguardInputError(component, `attachments[${i}].net`, attachment?.net, "names no IsolatedServiceNet declared before it in this program");
        }
        return { ...attachment, net };
    });
}

function childOptions(parent: pulumi.Resource): pulumi.ComponentResourceOptions {
    return { parent };
}

/**
 * One user-defined Docker network with explicit IPAM, and the services that
 * live only on it, each reachable by its service key and aliases: a bridge
 * and containers, or (scope `swarm`) an overlay and swarm services.
 */
export class IsolatedServiceNet extends pulumi.ComponentResource {
    /** The Docker network's ID. */
    readonly networkId: pulumi.Output<string>;
    /** The network's name on the Docker engine. */
    readonly dockerName: pulumi.Output<string>;
    /** The subnet in canonical form, e.g. `10.20.1.0/24`. */
    readonly subnet: pulumi.Output<string>;
    readonly gateway: pulumi.Output<string>;
    /** Local scope: each service's container name on the Docker engine, by service key. */
    readonly containerNames: pulumi.Output<Record<string, string>>;
    /** Swarm scope: each swarm service's name on the Docker engine, by service key. */
    readonly serviceNames: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: IsolatedServiceNetArgs, opts?: pulumi.ComponentResourceOptions) {
        super("netguard:index:IsolatedServiceNet", name, {}, opts);
        const services = Object.fromEntries(Object.entries(args?.services ?? {}).map(([key, spec]) => [key, toServiceSpec(spec)]));
        // The component checks the scope's value and names it when it is neither "local" nor "swarm".
        const net = new netguard.IsolatedServiceNet(name, { ...args, scope: args?.scope as netguard.NetSettings["scope"], services }, childOptions(this));
        builtNets.set(name, net);
        this.networkId = net.network.id;
        this.dockerName = pulumi.output(net.dockerName);
        this.subnet = pulumi.output(net.subnet);
        this.gateway = pulumi.output(net.gateway);
        this.containerNames = pulumi.all(Object.fromEntries(Object.entries(net.containers).map(([key, c]) => [key, c.name])));
        this.serviceNames = pulumi.all(Object.fromEntries(Object.entries(net.services).map(([key, s]) => [key, s.name])));
        this.registerOutputs({});
    }
}

/**
 * A container deliberately attached to two or more isolated nets: the one
 * place where their members meet.
 */
export class DualHomedContainer extends pulumi.ComponentResource {
    /** The Docker container's ID. */
    readonly containerId: pulumi.Output<string>;
    /** The container's name on the Docker engine. */
    readonly dockerName: pulumi.Output<string>;

    constructor(name: string, args: DualHomedContainerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("netguard:index:DualHomedContainer", name, {}, opts);
        const attachments = namedNets(`DualHomedContainer "${name}"`, args?.attachments);
        const inner = new netguard.DualHomedContainer(
            name,
            { ...args, containerArgs: toContainerArgs(args.containerArgs), attachments },
            childOptions(this),
        );
        this.containerId = inner.container.id;
        this.dockerName = pulumi.output(inner.dockerName);
        this.registerOutputs({});
    }
}

/**
 * A swarm service deliberately attached to two or more swarm-scope nets: the
 * one place where their members meet.
 */
export class DualHomedService extends pulumi.ComponentResource {
    /** The Docker service's ID. */
    readonly serviceId: pulumi.Output<string>;
    /** The service's name on the Docker engine. */
    readonly dockerName: pulumi.Output<string>;

    constructor(name: string, args: DualHomedServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("netguard:index:DualHomedService", name, {}, opts);
        const attachments = namedNets(`DualHomedService "${name}"`, args?.attachments);
        const inner = new netguard.DualHomedService(name, { ...args, serviceArgs: toServiceArgs(args.serviceArgs), attachments }, childOptions(this));
        this.serviceId = inner.service.id;
        this.dockerName = pulumi.output(inner.dockerName);
        this.registerOutputs({});
    }
}

/**
 * How the provider in `dirname` (the folder with PulumiPlugin.yaml) is hosted:
 * the classes (their names are the type tokens' last part), and the version of
 * docker-netguard, which the component package follows.
 */
export function providerOptions(dirname: string): ComponentProviderOptions & { version: string } {
    // Read at run time, not imported: Pulumi's TypeScript loading may run without resolveJsonModule.
    const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as { version: string };
    return { name: PROVIDER_NAME, version, dirname, components: [IsolatedServiceNet, DualHomedContainer, DualHomedService] };
}
