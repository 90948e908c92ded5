// A bridge network in Docker 28+'s routed gateway mode: its containers are
// reached at their own addresses without -p on Docker 29, and 20.10 ignores
// the option. Which one the stack runs on decides the verdict.
import * as command from "@pulumi/command";

new command.local.Command("routed", {
    create: "docker network create --subnet 10.20.7.0/24 --gateway 10.20.7.1 -o com.docker.network.bridge.gateway_mode_ipv4=routed direct",
    delete: "docker network rm direct",
});
