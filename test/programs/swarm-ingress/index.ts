// Services that publish ports, as Docker 20.10 runs them: a port published in
// ingress mode (the default) gives the service's tasks an endpoint on the
// routing mesh's `ingress` network, where every publishing service's tasks
// reach each other by address (not by name); a port in host mode does not.
// Deployed on the test swarm by test/conformance/docker/swarmIngress.spec.ts (its host
// ports are never probed); wrong in two places: `edge` and `lonely` name no
// network.
import * as docker from "@pulumi/docker";

const image = "netguard-probe:local";

const front = new docker.Network("front", {
    name: "ngsi-front",
    driver: "overlay",
    ipamConfigs: [{ subnet: "10.231.21.0/24", gateway: "10.231.21.1" }],
    options: { encrypted: "true" },
});
const back = new docker.Network("back", {
    name: "ngsi-back",
    driver: "overlay",
    ipamConfigs: [{ subnet: "10.231.22.0/24", gateway: "10.231.22.1" }],
    options: { encrypted: "true" },
});

// On front, published through the mesh: also on ingress.
new docker.Service("shop", {
    name: "ngsi-shop",
    taskSpec: { containerSpec: { image }, networksAdvanceds: [{ name: front.name }] },
    endpointSpec: { ports: [{ targetPort: 80, publishedPort: 18081 }] },
});
// On back, published through the mesh: also on ingress, so the shop reaches it there by address.
new docker.Service("admin", {
    name: "ngsi-admin",
    taskSpec: { containerSpec: { image }, networksAdvanceds: [{ name: back.name }] },
    endpointSpec: { ports: [{ targetPort: 80, publishedPort: 18082 }] },
});
// On back, published on its node only (host mode): not on ingress.
new docker.Service("worker", {
    name: "ngsi-worker",
    taskSpec: { containerSpec: { image }, networksAdvanceds: [{ name: back.name }] },
    endpointSpec: { ports: [{ targetPort: 80, publishedPort: 18083, publishMode: "host" }] },
});
// Violation: no network of its own, only the routing mesh's ingress.
new docker.Service("edge", {
    name: "ngsi-edge",
    taskSpec: { containerSpec: { image } },
    endpointSpec: { ports: [{ targetPort: 80, publishedPort: 18084 }] },
});
// Violation: no network, and no port through the mesh: its tasks land on their node's default bridge.
new docker.Service("lonely", {
    name: "ngsi-lonely",
    taskSpec: { containerSpec: { image } },
    endpointSpec: { ports: [{ targetPort: 80, publishedPort: 18085, publishMode: "host" }] },
});
