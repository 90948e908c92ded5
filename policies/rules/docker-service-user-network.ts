import { isDefaultBridgeKey, DEFAULT_BRIDGE_NAME, ContainerNode, NetworkNode, SWARM_INGRESS_NAME, Topology, isKnown, networkScope, networksByKey, workloadKind } from "../../topology/model";
import { describeContainer } from "../describe";
import { Finding, Rule, noSettings } from "../rule";
import { DOCKER_DOCS, RuleDoc } from "../ruleDoc";

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
        if (attachment.routingMesh === true || isDefaultBridgeKey(attachment.network)) {
            onDefaultBridge ||= isDefaultBridgeKey(attachment.network);
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

const doc: RuleDoc = {
    summary:
        "Swarm services must be attached to a user-defined overlay network: not left on only the routing mesh's ingress network, not on ingress as a declared member, and not on a local network.",
    topic: "swarm services off user-defined overlays",
    reports:
        "A swarm service on no user-defined overlay network (it names none and publishes a port, so only the routing mesh's `ingress` " +
        "network has it), one that names the `ingress` network (or a network created with `ingress: true`) as one of its networks, or " +
        "one on a local network. The mesh's own endpoint of a publishing service is never judged as membership. One mistake, one " +
        "report: a service that names no network and publishes nothing lands on its node's default bridge, which is " +
        "`docker-no-default-bridge`'s; one in the host's namespace is `docker-no-shared-network-namespace`'s; one on `none` is " +
        "deliberately on no network.",
    rationale:
        "`ingress` is the swarm's shared network for published ports, not one the stack chose: on it alone, nothing reaches a service's " +
        "tasks by name, and every publishing service's tasks reach them by address. Docker refuses a service that names `ingress`, or a " +
        "local network, but only at deployment. A user-defined overlay gives the service DNS names and confines it to the services on it.",
    references: [DOCKER_DOCS.overlay, { title: "Docker docs: Manage swarm service networks" }],
    compose: {
        reports:
            "Nothing: Compose runs each service as containers (`deploy.replicas` of them), never as a swarm service, and netguard does not read " +
            "`docker stack deploy`. Those containers are judged by `docker-no-default-bridge` and the other container policies.",
    },
    examples: {
        bad: { docker: "docker service create --name edge --publish 80:80 nginx:1.27-alpine" },
        good: {
            docker:
                "docker network create -d overlay --opt encrypted --subnet 10.70.1.0/24 --gateway 10.70.1.1 apps\n" +
                "docker service create --name api --network apps nginx:1.27-alpine",
        },
    },
};

/**
 * `docker-service-user-network`: see {@link doc}.
 *
 * Stack scope: a service names its networks by Docker name or id (unknown
 * during a preview), so only the whole stack, with the networks and the
 * service's property dependencies, tells a local network from an overlay.
 */
export const dockerServiceUserNetwork: Rule = {
    name: "docker-service-user-network",
    description: doc.summary,
    doc,
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
