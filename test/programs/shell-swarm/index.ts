// A swarm declared with docker command lines: two encrypted overlay networks
// (one attachable), services with their replicas and aliases, and lines that
// cannot be judged (an unknown network, a mode the CLI refuses, a stack file).
import * as command from "@pulumi/command";

new command.local.Command("swarm-nets", {
    create: [
        "docker network create -d overlay --opt encrypted --subnet 10.42.1.0/24 --gateway 10.42.1.1 shop-order",
        "docker network create --driver=overlay --attachable -o encrypted=true --subnet 10.42.2.0/24 --gateway 10.42.2.1 shop-web",
    ].join("\n"),
    delete: "docker network rm shop-order shop-web",
});

new command.local.Command("swarm-services", {
    environment: { REPLICAS: "3" },
    create: [
        "docker service create -d --name shop-db --network name=shop-order,alias=orders-db netguard-probe:local sleep 1d",
        "docker service create -d --name shop-worker --replicas $REPLICAS --network shop-order netguard-probe:local sleep 1d",
        "docker service create -d --name shop-front --mode global --network shop-web netguard-probe:local sleep 1d",
        "docker service create -d --name shop-extra --network $EXTRA_NET netguard-probe:local",
        "docker service create --mode daemon --name broken netguard-probe:local",
        "docker stack deploy -c stack.yml shop",
    ].join("\n"),
    delete: "docker service rm shop-db shop-worker shop-front shop-extra",
});
