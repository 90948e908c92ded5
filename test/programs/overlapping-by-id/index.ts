// Raw @pulumi/docker, every network referenced by its `id` output: the
// policies must resolve the references through property dependencies.
// - net-b's subnet lies inside net-a's.
// - svc-b asks for net-b's gateway as its static address.
// - svc-ab is on both networks without being declared.
import * as docker from "@pulumi/docker";

const netA = new docker.Network("net-a", {
    driver: "bridge",
    ipamConfigs: [{ subnet: "10.50.0.0/16", gateway: "10.50.0.1" }],
});
const netB = new docker.Network("net-b", {
    driver: "bridge",
    ipamConfigs: [{ subnet: "10.50.1.0/24", gateway: "10.50.1.1" }],
});

new docker.Container("svc-a", { image: "nginx:1.27-alpine", networksAdvanced: [{ name: netA.id, ipv4Address: "10.50.0.10" }] });
new docker.Container("svc-b", { image: "nginx:1.27-alpine", networksAdvanced: [{ name: netB.id, ipv4Address: "10.50.1.1" }] });
new docker.Container("svc-ab", {
    image: "nginx:1.27-alpine",
    networksAdvanced: [{ name: netA.id }, { name: netB.id }],
});
