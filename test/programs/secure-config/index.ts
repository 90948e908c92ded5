// Addressing kept in `secure:` stack config (encrypted by `pulumi config set --secret` with the
// passphrase "correct horse"): a public subnet, and a static address on the gateway.
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const net = new docker.Network("vault-net", {
    name: "vault-net",
    ipamConfigs: [{ subnet: config.requireSecret("subnet"), gateway: config.requireSecret("gateway") }],
});
new docker.Container("vault", {
    name: "vault",
    image: "vault:1.13",
    networksAdvanced: [{ name: net.name, ipv4Address: config.require("gateway") }],
});
