// `docker network create --subnet 192.169.0.0/16 --gateway 192.169.0.1 tutorial-net`:
// the tutorial's subnet is public address space (not 192.168.0.0/16). Only
// previewed, never created: no packet goes to that range.
import * as docker from "@pulumi/docker";

const net = new docker.Network("tutorial-net", {
    name: "tutorial-net",
    driver: "bridge",
    ipamConfigs: [{ subnet: "192.169.0.0/16", gateway: "192.169.0.1" }],
});

new docker.Container("app", {
    name: "app",
    image: "nginx:1.27-alpine",
    networksAdvanced: [{ name: net.name, ipv4Address: "192.169.0.10" }],
});
