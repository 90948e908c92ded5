/**
 * The example stack: the Docker networking tutorial's shop, done right.
 *
 * - `order`: database, cache and message queue on an internal net (no route out).
 * - `web`: the web front end on its own net.
 * - `api`: the one container on both, declared as a DualHomedContainer, so the
 *   web tier reaches the order tier only through it.
 *
 * Images come from stack config (`Pulumi.dev.yaml`), with public images as defaults.
 */
import * as pulumi from "@pulumi/pulumi";
import { DualHomedContainer, IsolatedServiceNet } from "./components";

const config = new pulumi.Config();
const image = (key: string, fallback: string) => config.get(`${key}Image`) ?? fallback;

const order = new IsolatedServiceNet("order", {
    subnet: "10.20.1.0/24",
    ipRange: "10.20.1.128/25",
    internal: true,
    services: {
        db: {
            image: image("db", "postgres:16-alpine"),
            envs: ["POSTGRES_PASSWORD=example-only"],
            aliases: ["postgres"],
            ipv4Address: "10.20.1.10",
        },
        cache: { image: image("cache", "redis:7-alpine"), aliases: ["redis"] },
        queue: { image: image("queue", "rabbitmq:3-alpine"), aliases: ["rabbitmq"] },
    },
});

const web = new IsolatedServiceNet("web", {
    subnet: "10.20.2.0/24",
    services: {
        frontend: { image: image("web", "nginx:1.27-alpine"), aliases: ["www"] },
    },
});

const api = new DualHomedContainer("api", {
    image: image("api", "node:20-alpine"),
    command: ["node", "-e", "setInterval(() => {}, 1 << 30)"],
    attachments: [
        { net: web, aliases: ["api"], ipv4Address: "10.20.2.20", gwPriority: 1 },
        { net: order, aliases: ["order-api"], ipv4Address: "10.20.1.20" },
    ],
});

/** Each net's addressing, as planned at construction. */
export const networks = Object.fromEntries(
    [order, web].map((net) => [net.dockerName, { subnet: net.subnet, gateway: net.gateway, ipRange: net.ipRange ?? null }]),
);

/** Each container's address on each of its networks, as Docker reports it after `pulumi up`. */
export const addresses = pulumi
    .all([...Object.values(order.containers), ...Object.values(web.containers), api.container].map((c) => pulumi.all([c.name, c.networkDatas])))
    .apply((entries) =>
        Object.fromEntries(entries.map(([name, datas]) => [name, (datas ?? []).map((d) => `${d.networkName}: ${d.ipAddress}`)])),
    );
