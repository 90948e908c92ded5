/**
 * The example stack: the Docker networking tutorial's shop, done right.
 *
 * - `order`: database, cache and message queue on an internal net (no route out).
 * - `web`: the web front end on its own net.
 * - `api`: the one member of both, declared as a DualHomedContainer (a
 *   DualHomedService on a swarm), so the web tier reaches the order tier only
 *   through it.
 *
 * Stack config (`Pulumi.<stack>.yaml`) gives the images, the subnets and the
 * scope: `local` (the `dev` stack: bridge networks and containers on one
 * engine) or `swarm` (the `swarm` stack: encrypted overlay networks and
 * services, deployed to a swarm manager).
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { DualHomedContainer, DualHomedService, IsolatedServiceNet } from "./components";
import { canonicalCidr, formatIp, subnetAt, tryParseCidr } from "./addressing/cidr";

const config = new pulumi.Config();
const image = (key: string, fallback: string) => config.get(`${key}Image`) ?? fallback;
const scope = config.get("scope") ?? "local";
if (scope !== "local" && scope !== "swarm") {
    throw new pulumi.RunError(`${pulumi.getProject()}:scope = ${JSON.stringify(scope)}: must be "local" or "swarm"`);
}
const swarm = scope === "swarm";
const orderSubnet = config.get("orderSubnet") ?? "10.20.1.0/24";
const webSubnet = config.get("webSubnet") ?? "10.20.2.0/24";

/**
 * Local scope pins static addresses low in a subnet and leaves its upper half
 * to Docker (`ipRange`). A swarm has no static addresses: every task's
 * address is Docker's to give. A malformed subnet gets none of these, and
 * the net reports it.
 */
const hostAt = (subnet: string, n: number) => {
    const block = tryParseCidr(subnet);
    return !swarm && block ? formatIp(block.first + BigInt(n), block.version) : undefined;
};
const upperHalf = (subnet: string) => {
    const block = tryParseCidr(subnet);
    const half = !swarm && block ? subnetAt(block, block.prefix + 1, 1n) : undefined;
    return half && canonicalCidr(half);
};

const order = new IsolatedServiceNet("order", {
    scope,
    subnet: orderSubnet,
    ipRange: upperHalf(orderSubnet),
    internal: true,
    services: {
        db: {
            image: image("db", "postgres:16-alpine"),
            envs: ["POSTGRES_PASSWORD=example-only"],
            aliases: ["postgres"],
            ipv4Address: hostAt(orderSubnet, 10),
        },
        cache: { image: image("cache", "redis:7-alpine"), aliases: ["redis"] },
        queue: { image: image("queue", "rabbitmq:3-alpine"), aliases: ["rabbitmq"] },
    },
});

const web = new IsolatedServiceNet("web", {
    scope,
    subnet: webSubnet,
    services: {
        frontend: { image: image("web", "nginx:1.27-alpine"), aliases: ["www"] },
    },
});

const apiProcess = {
    image: image("api", "node:20-alpine"),
    command: ["node", "-e", "setInterval(() => {}, 1 << 30)"],
};
const api = swarm
    ? new DualHomedService("api", {
          ...apiProcess,
          attachments: [
              { net: web, aliases: ["api"] },
              { net: order, aliases: ["order-api"] },
          ],
      })
    : new DualHomedContainer("api", {
          ...apiProcess,
          attachments: [
              { net: web, aliases: ["api"], ipv4Address: hostAt(webSubnet, 20), gwPriority: 1 },
              { net: order, aliases: ["order-api"], ipv4Address: hostAt(orderSubnet, 20) },
          ],
      });

/** Each net's addressing, as planned at construction. */
export const networks = Object.fromEntries(
    [order, web].map((net) => [net.dockerName, { subnet: net.subnet, gateway: net.gateway, ipRange: net.ipRange ?? null }]),
);

/** A swarm service and the nets it is on, in the order of its attachments. */
type ServiceOnNets = { service: docker.Service; nets: IsolatedServiceNet[] };

/**
 * How each workload is addressed on each of its networks. Local scope: a
 * container's address there, as Docker reports it after `pulumi up`. Swarm
 * scope: a service's DNS names there (its name is a virtual IP that balances
 * over the tasks, whose own addresses Docker hands out).
 */
export const addresses =
    api instanceof DualHomedContainer
        ? pulumi
              .all([...Object.values(order.containers), ...Object.values(web.containers), api.container].map((c) => pulumi.all([c.name, c.networkDatas])))
              .apply((entries) =>
                  Object.fromEntries(entries.map(([name, datas]) => [name, (datas ?? []).map((d) => `${d.networkName}: ${d.ipAddress}`)])),
              )
        : pulumi
              .all(
                  [
                      ...[order, web].flatMap((net) => Object.values(net.services).map((service): ServiceOnNets => ({ service, nets: [net] }))),
                      { service: api.service, nets: [web, order] },
                  ].map(({ service, nets }) => pulumi.all([service.name, service.taskSpec, nets.map((net) => net.dockerName)])),
              )
              .apply((entries) =>
                  Object.fromEntries(
                      entries.map(([name, taskSpec, netNames]) => [
                          name,
                          (taskSpec.networksAdvanceds ?? []).map((entry, i) => `${netNames[i]}: ${(entry.aliases ?? []).join(", ")}`),
                      ]),
                  ),
              );
