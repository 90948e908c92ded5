// The tutorial's commands as one shell script in a command resource:
// two user-defined networks with explicit IPAM, a container on one of them,
// then `docker network connect` putting it on the other as well.
import * as command from "@pulumi/command";

new command.local.Command("tutorial", {
    create: [
        "docker network create --driver bridge --subnet 10.31.1.0/24 --gateway 10.31.1.1 front",
        "docker network create --driver bridge --subnet 10.31.2.0/24 --gateway 10.31.2.1 back",
        "docker run -d --name web --network front nginx:1.27-alpine",
        "docker network connect back web",
    ].join(" && "),
    delete: "docker rm -f web; docker network rm front back",
});
