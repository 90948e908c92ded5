// A shop on a swarm written with raw resources (`docker network create -d
// overlay`, `docker service create`), right in most places and wrong in four:
// an overlay without encryption, a service on no network (on docker0), a service on both
// overlays that nothing declares, and a port published on every node.
// Only previewed, never deployed.
import * as docker from "@pulumi/docker";

const image = "netguard-probe:local";

const order = new docker.Network("order", {
    name: "swarm-order",
    driver: "overlay",
    ipamConfigs: [{ subnet: "10.21.1.0/24", gateway: "10.21.1.1" }],
    options: { encrypted: "true" },
});
// Attachable: the debug container below may join it.
const web = new docker.Network("web", {
    name: "swarm-web",
    driver: "overlay",
    attachable: true,
    ipamConfigs: [{ subnet: "10.21.2.0/24", gateway: "10.21.2.1" }],
    options: { encrypted: "" },
});
// Violation: traffic between nodes in the clear.
const metrics = new docker.Network("metrics", {
    name: "swarm-metrics",
    driver: "overlay",
    ipamConfigs: [{ subnet: "10.21.3.0/24", gateway: "10.21.3.1" }],
});

// By id: unknown during the preview, resolved through the dependency.
new docker.Service("order-db", {
    name: "swarm-order-db",
    mode: { replicated: { replicas: 2 } },
    taskSpec: { containerSpec: { image }, networksAdvanceds: [{ name: order.id, aliases: ["postgres"] }] },
});
// Violation (advisory): the routing mesh publishes on every interface of every node.
new docker.Service("web-frontend", {
    name: "swarm-web-frontend",
    taskSpec: { containerSpec: { image }, networksAdvanceds: [{ name: web.name, aliases: ["www"] }] },
    endpointSpec: { ports: [{ targetPort: 80, publishedPort: 8080 }] },
});
// Violation: a bridge between the web and order overlays that nothing declares.
new docker.Service("api", {
    name: "swarm-api",
    mode: { replicated: { replicas: 3 } },
    taskSpec: { containerSpec: { image }, networksAdvanceds: [{ name: web.name }, { name: order.name }] },
});
// Global: one task per node, how many is the cluster's business.
new docker.Service("exporter", {
    name: "swarm-exporter",
    mode: { global: true },
    taskSpec: { containerSpec: { image }, networksAdvanceds: [{ name: metrics.name }] },
});
// Violation: it names no network, so Docker runs its tasks on the default bridge.
new docker.Service("lonely", { name: "swarm-lonely", taskSpec: { containerSpec: { image } } });

new docker.Container("debug", { name: "swarm-debug", image, networksAdvanced: [{ name: web.name }] });
