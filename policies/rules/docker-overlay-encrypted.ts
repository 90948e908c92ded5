import { OVERLAY_DRIVER } from "../../topology/driverOptions";
import { NetworkNode, Topology } from "../../topology/model";
import { describeNetwork, isCommandLineNetwork } from "../describe";
import { Finding, Rule, noSettings } from "../rule";

/** How to turn encryption on, in the words of where the network was declared. */
function howToFix(network: NetworkNode): string {
    return isCommandLineNetwork(network)
        ? `Create it with docker network create -d overlay --opt encrypted … ${network.name}.`
        : 'Set encrypted: true on its IsolatedServiceNet (the default for scope: "swarm"), or give the docker.Network options: { encrypted: "true" }; ' +
              "a network that exists already must be recreated (Docker cannot turn encryption on in place).";
}

/**
 * `docker-overlay-encrypted`: an overlay network must carry the driver
 * option `encrypted`, so that traffic between members on different swarm
 * nodes is IPsec, not plain VXLAN (CIS Docker Benchmark 7.4). Docker
 * encrypts when the option is present, whatever its value (see
 * `topology/driverOptions.ts`). The routing mesh's `ingress` network is not
 * judged: it carries published-port traffic, which arrived from outside the
 * swarm in the clear anyway, and it is the swarm's, not the stack's.
 * A network whose options are unknown (a preview) is not judged either.
 */
export const dockerOverlayEncrypted: Rule = {
    name: "docker-overlay-encrypted",
    description:
        "Overlay networks must be encrypted (driver option encrypted): otherwise traffic between swarm nodes crosses the hosts' network as plain VXLAN (CIS Docker Benchmark 7.4).",
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
