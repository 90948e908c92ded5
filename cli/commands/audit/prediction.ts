/** Predicted reachability of a live topology: between the containers that run, and from the Docker host when there is one. */
import { Attachment, ContainerNode, Topology } from "../../../topology/model";
import { ReachablePair, comparePairs, computeReachability, reachabilityFromHost } from "../../../topology/reachability";
import { Addressing } from "./probes/probeScript";

/** The topology with only the containers that run: a stopped container reaches nothing now. */
function runningOnly(topology: Topology, running: ReadonlySet<string>): Topology {
    return { networks: topology.networks, containers: topology.containers.filter((container) => running.has(container.key)) };
}

/** Predicted pairs between the running containers, then (one engine only: whose host would it be?) from the `@host` node to them. */
export function predict(topology: Topology, running: ReadonlySet<string>, withHost: boolean, addressing: Addressing): ReachablePair[] {
    const hasAddress = (container: ContainerNode, attachment: Attachment) =>
        addressing.addressesOf(container).some((entry) => entry.network === attachment.network);
    const pairs = [
        ...computeReachability(runningOnly(topology, running)),
        ...(withHost ? reachabilityFromHost(topology, (container) => running.has(container.key), hasAddress) : []),
    ];
    return pairs.sort(comparePairs);
}
