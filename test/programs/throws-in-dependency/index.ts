// An apply that throws inside a value another resource depends on: the network's
// name fails, so the container that waits on the network's name never registers.
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

const name = pulumi.output("app").apply((): string => {
    throw new Error("the network name is not configured");
});
const net = new docker.Network("app-net", { name, ipamConfigs: [{ subnet: "10.61.0.0/24", gateway: "10.61.0.1" }] });
new docker.Container("app", { image: "nginx:1.27-alpine", networksAdvanced: [{ name: net.name }] });
