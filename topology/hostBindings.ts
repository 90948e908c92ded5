/**
 * The host bindings Docker makes for a container's published ports, which
 * are not always those it asked for (measured on 20.10.24 and 29.9, `docker
 * inspect`'s `NetworkSettings.Ports`):
 *
 * - a container in network mode `host`, `none` or `container:…`, or one
 *   whose every network is internal, gets none: ports are published through
 *   the endpoint that gives the container its default route, and internal
 *   networks give none;
 * - that endpoint's network decides the rest (the first by name among the
 *   container's non-internal networks): its
 *   `com.docker.network.bridge.host_binding_ipv4` is the address of a
 *   binding written without one;
 * - on 28+, when its `gateway_mode_ipv4` is `routed`, Docker binds no IPv4
 *   host address at all (the container's port is opened at its own address
 *   instead, which `docker-published-port-bound` reports on the network): a
 *   binding written without an address keeps only its IPv6 half, `::`.
 *
 * Swarm services' ports are the routing mesh's, and left as they are; so is
 * anything the topology does not know well enough to decide.
 */
import { tryParseIp } from "../addressing/cidr";
import { isSharedNamespaceMode } from "./dockerSemantics";
import { HOST_BINDING_IPV4 } from "./driverOptions";
import { GATEWAY_MODE_OPTIONS } from "./engineSemantics";
import { ContainerNode, NetworkNode, PublishedPort, Topology, isKnown, networksByKey, publishedOnAllInterfaces, semanticsOf, workloadKind } from "./model";

/** The network whose endpoint publishes the container's ports; null when none does; undefined when the topology cannot tell. */
function publishingNetwork(container: ContainerNode, networks: ReadonlyMap<string, NetworkNode>): NetworkNode | null | undefined {
    if (container.attachments.length === 0) return undefined;
    const joined = container.attachments.map((attachment) => (attachment.network === undefined ? undefined : networks.get(attachment.network)));
    if (joined.some((network) => network === undefined || !isKnown(network.dockerName ?? network.name))) return undefined;
    const candidates = (joined as NetworkNode[]).filter((network) => !network.internal);
    if (candidates.length === 0) return null;
    const nameOf = (network: NetworkNode) => String(network.dockerName ?? network.name);
    return [...candidates].sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0))[0];
}

/** A binding's address without the brackets an IPv6 one may be written in (`[::1]`). */
function bare(ip: string): string {
    return ip.replace(/^\[|\]$/g, "");
}

function isIpv4(text: string): boolean {
    return tryParseIp(bare(text))?.version === 4;
}

/** The bindings Docker makes for `ports` (the container's own unless given): see the module's comment. */
export function hostBindings(container: ContainerNode, topology: Topology, ports: readonly PublishedPort[] = container.ports ?? []): PublishedPort[] {
    if (ports.length === 0 || workloadKind(container) === "service") return [...ports];
    const mode = container.networkMode;
    if (mode !== undefined && !isKnown(mode)) return [...ports];
    if (isSharedNamespaceMode(mode)) return [];
    const network = publishingNetwork(container, networksByKey(topology));
    if (network === null) return [];
    if (network === undefined) return [...ports];
    const options = network.driverOptions ?? {};
    const gatewayMode = options[GATEWAY_MODE_OPTIONS[0]];
    const defaultAddress = options[HOST_BINDING_IPV4];
    if (semanticsOf(topology) !== "20" && gatewayMode === "routed") {
        return ports.flatMap((port) => (port.ip === undefined ? [{ ...port, ip: "::" }] : isIpv4(port.ip) ? [] : [port]));
    }
    if (defaultAddress !== undefined && isKnown(defaultAddress)) return ports.map((port) => (port.ip === undefined ? { ...port, ip: defaultAddress } : port));
    return [...ports];
}

/**
 * True when `-P` (`publishAllPorts`) binds the image's exposed ports on
 * every host interface: they are bound as a port written without an
 * address is (measured: `0.0.0.0` and `::`, on ports Docker picks).
 */
export function publishesAllOnEveryInterface(container: ContainerNode, topology: Topology): boolean {
    if (container.publishAllPorts !== true) return false;
    return hostBindings(container, topology, [{ internal: 0, protocol: "tcp" }]).some(publishedOnAllInterfaces);
}

/** The addresses a binding listens on: one written without one is Docker's two. */
function listenAddresses(port: PublishedPort): string[] {
    return port.ip === undefined ? ["0.0.0.0", "::"] : [bare(port.ip)];
}

function isUnspecified(address: string): boolean {
    return tryParseIp(address)?.value === 0n;
}

function addressesOverlap(a: string, b: string): boolean {
    const [ipA, ipB] = [tryParseIp(a), tryParseIp(b)];
    if (ipA === undefined || ipB === undefined || ipA.version !== ipB.version) return false;
    return ipA.value === ipB.value || isUnspecified(a) || isUnspecified(b);
}

/**
 * Docker 28+ gives every binding of one container port that leaves the host
 * port to Docker the same host port, so two of them on overlapping
 * addresses (one address twice, or one and its family's unspecified
 * address) collide and the container does not start (measured on 29.9:
 * `-p 80 -p 127.0.0.1::80`, `-p 80 -p 80`; `-p 127.0.0.1::80 -p
 * [::1]::80` starts); 20.10 picks a port for each. Docker's words, or
 * undefined.
 */
export function autoPortCollision(container: ContainerNode, topology: Topology): string | undefined {
    if (semanticsOf(topology) === "20") return undefined;
    const byPort = new Map<string, string[]>();
    for (const port of hostBindings(container, topology).filter((entry) => entry.external === undefined)) {
        const key = `${port.internal}/${port.protocol}`;
        const taken = byPort.get(key) ?? [];
        for (const address of listenAddresses(port)) {
            const clash = taken.find((other) => addressesOverlap(other, address));
            if (clash !== undefined) {
                // Docker names the specific address of the two, in URL form.
                const failed = isUnspecified(clash) ? address : clash;
                return `failed to set up container networking: failed to bind host port ${failed.includes(":") ? `[${failed}]` : failed}:(the port Docker picks)/${port.protocol}: address already in use`;
            }
        }
        byPort.set(key, [...taken, ...listenAddresses(port)]);
    }
    return undefined;
}
