import { DEFAULT_BRIDGE_KEY, DEFAULT_BRIDGE_NAME, ContainerNode, NetworkNode, SWARM_INGRESS_NAME, Topology, isKnown, networkScope, networksByKey, workloadKind } from "../../topology/model";
import { describeContainer } from "../describe";
import { Finding, Rule, noSettings } from "../rule";

/** What a service's attachments say about its networks. */
interface ServiceNetworks {
    /** On at least one user-defined swarm network, or possibly (an unknown or outside reference). */
    readonly maybeOnUserOverlay: boolean;
    /** Names of the ingress networks it names as a member (not the routing mesh's own endpoint of a publishing service). */
    readonly ingress: string[];
    /** Local-scope networks it names, as `"name" (driver d)`. */
    readonly local: string[];
    /** Its tasks landed on the default bridge for want of a network: docker-no-default-bridge reports that. */
    readonly onDefaultBridge: boolean;
}

function networksOf(service: ContainerNode, networks: ReadonlyMap<string, NetworkNode>): ServiceNetworks {
    let maybeOnUserOverlay = false;
    let onDefaultBridge = false;
    const ingress: string[] = [];
    const local: string[] = [];
    for (const attachment of service.attachments) {
        // Docker's own endpoints (the routing mesh's; the default bridge, docker-no-default-bridge's) are no membership the service chose.
        if (attachment.routingMesh === true || attachment.network === DEFAULT_BRIDGE_KEY) {
            onDefaultBridge ||= attachment.network === DEFAULT_BRIDGE_KEY;
            continue;
        }
        const network = attachment.network === undefined ? undefined : networks.get(attachment.network);
        if (network) {
            if (network.ingress === true) ingress.push(`"${network.name}"`);
            else if (networkScope(network) === "local") local.push(`"${network.name}" (driver ${network.driver})`);
            else maybeOnUserOverlay = true;
        } else if (attachment.reference === SWARM_INGRESS_NAME) {
            ingress.push(`"${SWARM_INGRESS_NAME}"`);
        } else if (attachment.reference === DEFAULT_BRIDGE_NAME) {
            local.push(`"${DEFAULT_BRIDGE_NAME}" (Docker's default bridge)`);
        } else {
            // Unknown during a preview, or a network outside the stack: it may be a user-defined overlay.
            maybeOnUserOverlay = true;
        }
    }
    return { maybeOnUserOverlay, onDefaultBridge, ingress, local };
}

const FIX =
    'Put it on a swarm-scope IsolatedServiceNet (scope: "swarm"), or name an overlay network of the stack in its taskSpec.networksAdvanceds';

/** The problems of one service, each a sentence. */
function problemsOf(found: ServiceNetworks): string[] {
    const problems: string[] = [];
    if (found.ingress.length > 0) {
        problems.push(
            `names the routing mesh's network ${found.ingress.join(", ")} as one of its networks: ingress is the swarm's default network, ` +
                "shared by every service that publishes a port, where names do not resolve, and Docker refuses to attach a service to it. " +
                "Remove it from the service's networks; ports in endpointSpec still arrive through the mesh",
        );
    }
    if (found.local.length > 0) {
        problems.push(
            `is attached to local network${found.local.length === 1 ? "" : "s"} ${found.local.join(", ")}: Docker runs services only on swarm-scope networks ` +
                'and refuses the service. Use an overlay network instead (IsolatedServiceNet scope: "swarm", or a docker.Network with driver: "overlay")',
        );
    }
    if (!found.maybeOnUserOverlay && !found.onDefaultBridge && problems.length === 0) {
        problems.push(
            "is on no user-defined overlay network: nothing reaches its tasks by name, and the ports it publishes put them on " +
                "the routing mesh's ingress network, the swarm's default network, where every publishing service's tasks reach them by address. " +
                FIX,
        );
    }
    return problems;
}

/**
 * `docker-service-user-network`: a swarm service must be on a user-defined
 * overlay network of its own choosing, as a container must be on a
 * user-defined bridge: not left on only the routing mesh's `ingress` (a
 * service that names no network and publishes a port), not on `ingress` as
 * a declared member, and not on a local network, which Docker refuses for
 * services. One mistake, one report: a service that names no network and
 * publishes nothing through the mesh lands on the default bridge, which is
 * `docker-no-default-bridge`'s; one in the host's namespace (`host`) is
 * `docker-no-shared-network-namespace`'s; one on `none` is deliberately on
 * no network.
 *
 * Stack scope: a service names its networks by Docker name or id (unknown
 * during a preview), so only the whole stack, with the networks and the
 * service's property dependencies, tells a local network from an overlay.
 */
export const dockerServiceUserNetwork: Rule = {
    name: "docker-service-user-network",
    description:
        "Swarm services must be attached to a user-defined overlay network: not left on only the routing mesh's ingress network, not on ingress as a declared member, and not on a local network.",
    scope: "stack",
    readConfig: noSettings,
    judgesLiveState: true,
    check(topology: Topology): Finding[] {
        const networks = networksByKey(topology);
        const findings: Finding[] = [];
        for (const service of topology.containers) {
            if (workloadKind(service) !== "service") continue;
            if (service.networkMode !== undefined && (!isKnown(service.networkMode) || service.networkMode === "host" || service.networkMode === "none")) continue;
            const problems = problemsOf(networksOf(service, networks));
            if (problems.length === 0) continue;
            findings.push({ subject: service, message: `${describeContainer(service)} ${problems.join("; ")}.` });
        }
        return findings;
    },
};
