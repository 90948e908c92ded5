/** A big synthetic host as a preview document, for the scale and rendering tests. */
import { ContainerEntry, NetworkEntry, PreviewDocument } from "../../document/previewDocument";
import { ReachablePair } from "../../topology/reachability";
import { violation } from "./previewFixtures";

/**
 * A host of `nets` networks × `services` single-homed members each, one
 * dual-homed container per pair of neighbouring nets, one undeclared
 * multi-homed container in ten nets, long names, a port per service, and a
 * violation per container: every section at its biggest. Reachability is
 * built per network (membership), not by comparing every pair of containers.
 */
export function bigHost(nets: number, services: number): PreviewDocument {
    const networks: NetworkEntry[] = [];
    const containers: ContainerEntry[] = [];
    const members = new Map<string, string[]>();
    const join = (net: string, name: string) => members.set(net, [...(members.get(net) ?? []), name]);
    for (let n = 0; n < nets; n++) {
        const net = `production-order-processing-net-${n}`;
        networks.push({ name: net, dockerName: `stack-${net}`, driver: "bridge", subnet: `10.${n >> 8}.${n & 255}.0/24`, gateway: `10.${n >> 8}.${n & 255}.1`, ipRange: null, internal: n % 2 === 0, interContainer: true, scope: "local", attachable: false, encrypted: false });
        for (let s = 0; s < services; s++) {
            const name = `${net}-service-with-a-long-name-${s}`;
            containers.push({ name, dockerName: `stack-${name}`, kind: "container", replicas: null, networkMode: null, attachments: [{ network: net, aliases: [`svc${s}`], ipv4Address: `10.${n >> 8}.${n & 255}.${10 + s}` }], dualHomed: false, ports: s === 0 ? [{ internal: 80, external: 8000 + n, ip: null, protocol: "tcp" }] : [] });
            join(net, name);
        }
        if (n > 0) {
            const prev = networks[n - 1].name;
            const name = `gateway-between-${n - 1}-and-${n}`;
            containers.push({ name, dockerName: null, kind: "container", replicas: null, networkMode: null, attachments: [{ network: prev, aliases: [], ipv4Address: null }, { network: net, aliases: [], ipv4Address: null }], dualHomed: n % 10 !== 0, ports: [] });
            join(prev, name);
            join(net, name);
        }
    }
    const reachability: ReachablePair[] = [];
    for (const [net, names] of members) {
        for (const from of names) for (const to of names) if (from !== to) reachability.push({ from, to, networks: [net], byName: true });
    }
    const violations = containers.map((container) => violation("docker-published-port-bound", "advisory", container.name, `container "${container.name}" publishes a port on every host interface: a long explanation follows here.`));
    return { resources: [], networks, containers, reachability, violations, notJudged: [] };
}

