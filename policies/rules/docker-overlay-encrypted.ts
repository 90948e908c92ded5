import { OVERLAY_DRIVER } from "../../topology/driverOptions";
import { NetworkNode, Topology } from "../../topology/model";
import { composeKey, declarationOf, describeNetwork } from "../describe";
import { Finding, Rule, noSettings } from "../rule";
import { cisDocker, DOCKER_DOCS, RuleDoc } from "../ruleDoc";

/** How to turn encryption on, in the words of where the network was declared. */
function howToFix(network: NetworkNode): string {
    if (declarationOf(network) === "compose") {
        return `Give network ${composeKey(network)} driver_opts: { encrypted: "" } in the Compose file, and recreate it (Docker cannot turn encryption on in place).`;
    }
    return declarationOf(network) === "command"
        ? `Create it with docker network create -d overlay --opt encrypted … ${network.name}.`
        : 'Set encrypted: true on its IsolatedServiceNet (the default for scope: "swarm"), or give the docker.Network options: { encrypted: "true" }; ' +
              "a network that exists already must be recreated (Docker cannot turn encryption on in place).";
}

const doc: RuleDoc = {
    summary:
        "Overlay networks must be encrypted (driver option encrypted): otherwise traffic between swarm nodes crosses the hosts' network as plain VXLAN.",
    topic: "unencrypted overlays",
    reports:
        "An overlay network without the driver option `encrypted` (any value counts, as it does for Docker), on a `docker.Network` or a " +
        "`docker network create -d overlay` line. The routing mesh's own `ingress` network is not judged: it carries published-port " +
        "traffic, which arrived from outside the swarm in the clear anyway, and it is the swarm's, not the stack's. A network whose " +
        "options are unknown during a preview is not judged either.",
    rationale:
        "Swarm secures its control plane, not the traffic of containers: on an overlay network they talk across nodes in VXLAN packets " +
        "that anything on the path between the hosts can read and forge. With the `encrypted` option Docker carries that traffic in " +
        "IPsec between the nodes. It can only be chosen when the network is created: a network that exists already must be recreated.",
    references: [cisDocker("7.3", "Ensure that all Docker swarm overlay networks are encrypted", "7.4"), DOCKER_DOCS.overlay],
    compose: {
        reports:
            "A network with `driver: overlay` and no `encrypted` key under `driver_opts`.",
        example:
            "networks:\n" +
            "  mesh:\n" +
            "    driver: overlay\n" +
            "    attachable: true\n" +
            "    ipam:\n" +
            "      config:\n" +
            "        - subnet: 10.30.0.0/24\n" +
            "services:\n" +
            "  web:\n" +
            "    image: nginx:1.27-alpine\n" +
            "    networks: [mesh]",
    },
    examples: {
        bad: { docker: "docker network create -d overlay --subnet 10.70.1.0/24 --gateway 10.70.1.1 metrics" },
        good: { docker: "docker network create -d overlay --opt encrypted --subnet 10.70.1.0/24 --gateway 10.70.1.1 metrics" },
    },
};

/**
 * `docker-overlay-encrypted`: see {@link doc}. Docker encrypts when the
 * option is present, whatever its value (see `topology/driverOptions.ts`).
 */
export const dockerOverlayEncrypted: Rule = {
    name: "docker-overlay-encrypted",
    description: doc.summary,
    doc,
    scope: "resource",
    readConfig: noSettings,
    judgesLiveState: true,
    check(topology: Topology): Finding[] {
        return topology.networks
            .filter((network) => network.driver === OVERLAY_DRIVER && network.encrypted === false && network.ingress !== true)
            .map((network) => ({
                subject: network,
                message:
                    `${describeNetwork(network)} is an overlay network without encryption: traffic between its members on different swarm nodes ` +
                    "crosses the hosts' network as plain VXLAN, readable and forgeable by anything on the path. " +
                    howToFix(network),
            }));
    },
};
