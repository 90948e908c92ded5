/**
 * A violation of a Compose project's node says how to fix it in Compose's
 * words (the file's keys), whether the file is previewed or a Command's
 * `docker compose` line runs it; the same rules judge every source.
 */
import * as assert from "assert";
import { judgeTopology } from "../../../policies/judgeTopology";
import { readResources } from "../../../readers/pulumi/fromPulumi";
import { topologyFromCompose } from "../../../readers/compose";
import { Topology } from "../../../topology/model";

const PROJECT = {
    name: "shop",
    services: {
        web: { networks: { default: null }, links: ["db"], ports: [{ target: 80, published: "8080" }] },
        db: { network_mode: "bridge" },
        side: { network_mode: "service:web" },
    },
    networks: { default: { name: "shop_default", ipam: {} } },
};

const SCRIPT = `cat > compose.yaml <<'EOF'
services:
  web: { image: x, links: [db], ports: ["8080:80"] }
  db: { image: x, network_mode: bridge }
  side: { image: x, network_mode: "service:web" }
EOF
docker compose -p shop up -d
`;

function messages(topology: Topology): Map<string, string> {
    const { violations } = judgeTopology(topology, new Map());
    return new Map(violations.map((v) => [`${v.policy} ${/"([^"]+)"/.exec(v.message)?.[1]}`, v.message]));
}

const fromFile = () => messages(topologyFromCompose(PROJECT).topology);
const fromCommand = () => messages(readResources([{ type: "command:local:Command", urn: "urn:pulumi:dev::p::command:local:Command::setup", name: "setup", props: { create: SCRIPT } }]).topology);

describe("violations of Compose projects speak Compose", () => {
    for (const [source, read] of [["a previewed file", fromFile], ["a Command's docker compose line", fromCommand]] as const) {
        describe(`from ${source}`, () => {
            it("names the service or network key and the project", () => {
                const found = read();
                assert.match(found.get("docker-no-legacy-links shop-web-1") ?? "", /container "shop-web-1" \(services\.web of Compose project "shop"/);
                assert.match(found.get("docker-network-explicit-ipam shop_default") ?? "", /network "shop_default" \(networks\.default of Compose project "shop"/);
            });

            it("gives Compose's remedy, not a CLI flag or a component argument", () => {
                const found = read();
                const all = [...found.values()].join("\n");
                assert.match(found.get("docker-no-legacy-links shop-web-1") ?? "", /Replace links: with .* a network alias under networks\.<net>\.aliases/);
                assert.match(found.get("docker-network-explicit-ipam shop_default") ?? "", /Give network default an ipam\.config subnet/);
                assert.match(found.get("docker-no-default-bridge shop-db-1") ?? "", /\(network_mode: bridge\).*Drop network_mode: bridge/);
                assert.match(found.get("docker-published-port-bound shop-web-1") ?? "", /a host_ip in its ports: entry/);
                assert.match(found.get("docker-no-shared-network-namespace shop-side-1") ?? "", /Drop network_mode and put the service on a network of the project/);
                assert.doesNotMatch(all, /--link|--network|--subnet|ipamConfigs|networksAdvanced|IsolatedServiceNet|docker network create/, all);
            });
        });
    }
});
