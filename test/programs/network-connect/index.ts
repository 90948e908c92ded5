// Two isolated nets done right, then the tutorial's shortcut:
// `docker network connect <back> <front's web container>` in a command
// resource. The web container now sits on both nets without being declared
// as a DualHomedContainer.
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { IsolatedServiceNet } from "../../../components";

const front = new IsolatedServiceNet("front", {
    subnet: "10.30.1.0/24",
    services: { web: { image: "nginx:1.27-alpine" } },
});
const back = new IsolatedServiceNet("back", {
    subnet: "10.30.2.0/24",
    internal: true,
    services: { db: { image: "postgres:16-alpine", ipv4Address: "10.30.2.10" } },
});

new command.local.Command("connect-web-to-back", {
    create: pulumi.interpolate`docker network connect ${back.network.name} ${front.containers.web.name}`,
    delete: pulumi.interpolate`docker network disconnect ${back.network.name} ${front.containers.web.name}`,
});
