import * as assert from "assert";
import { CONTAINER, NETWORK, Violation, resource, runPack, runPolicy, unknown } from "../../test/helpers/policyHarness";
import { overlayNetwork, swarmService } from "../../test/helpers/swarmFixtures";

const POLICY = "docker-forbidden-flows";

const web = resource(NETWORK, "web", { name: "shop-web", ipamConfigs: [{ subnet: "10.20.2.0/24", gateway: "10.20.2.1" }] });
const orders = resource(NETWORK, "orders", { name: "shop-orders", ipamConfigs: [{ subnet: "10.20.1.0/24", gateway: "10.20.1.1" }] });
const frontend = resource(CONTAINER, "web-frontend", { name: "shop-frontend", networksAdvanced: [{ name: "shop-web", aliases: ["www"] }] });
const api = resource(CONTAINER, "api", { networksAdvanced: [{ name: "shop-web" }, { name: "shop-orders" }] });
const db = resource(CONTAINER, "orders-db", { name: "shop-db", networksAdvanced: [{ name: "shop-orders", aliases: ["postgres"] }] });
const stack = [web, orders, frontend, api, db];

const noFrontendToDb = { deny: [{ from: "web-*", to: "orders-db" }] };

function reported(violations: Violation[]): [string | null, string | null][] {
    return violations.map((v) => [v.name, v.resource]);
}

describe(POLICY, () => {
    it("passes when no reachable pair is denied (the web tier reaches the db only through the api)", async () => {
        assert.deepStrictEqual(await runPolicy(POLICY, stack, noFrontendToDb), []);
        assert.deepStrictEqual(await runPolicy(POLICY, stack), [], "nothing is denied without config");
    });

    it("reports a denied reachable pair on the `from` container, naming the target, the network and the entry", async () => {
        const leaky = resource(CONTAINER, "web-frontend", { name: "shop-frontend", networksAdvanced: [{ name: "shop-web" }, { name: "shop-orders" }] });
        const violations = await runPolicy(POLICY, [web, orders, leaky, api, db], noFrontendToDb);
        assert.deepStrictEqual(reported(violations), [["web-frontend", leaky.urn]]);
        assert.match(violations[0].message, /container "web-frontend" can reach "orders-db" over "orders" \(denied by from "web-\*" to "orders-db"\)/);
        assert.match(violations[0].message, /IsolatedServiceNets that share no network/);
    });

    it("matches globs against the Docker name and every alias too", async () => {
        const byAlias = await runPolicy(POLICY, stack, { deny: [{ from: "www", to: "api" }] });
        assert.deepStrictEqual(reported(byAlias), [["web-frontend", frontend.urn]]);
        const toAlias = await runPolicy(POLICY, stack, { deny: [{ from: "api", to: "postgres" }] });
        assert.deepStrictEqual(reported(toAlias), [["api", api.urn]]);
        const byDocker = await runPolicy(POLICY, stack, { deny: [{ from: "shop-db", to: "*" }] });
        assert.deepStrictEqual(reported(byDocker), [["orders-db", db.urn]]);
    });

    it("reports each `from` container once, listing every denied target", async () => {
        const violations = await runPolicy(POLICY, stack, { deny: [{ from: "api", to: "*" }] });
        assert.deepStrictEqual(reported(violations), [["api", api.urn]]);
        assert.match(violations[0].message, /"orders-db" over "orders".*"web-frontend" over "web"/);
    });

    it("judges direction: a denied flow the other way round is not this one", async () => {
        assert.deepStrictEqual(await runPolicy(POLICY, stack, { deny: [{ from: "orders-db", to: "web-*" }] }), []);
    });

    it("sees no flow on a network with inter-container traffic off", async () => {
        const quiet = resource(NETWORK, "orders", {
            name: "shop-orders",
            ipamConfigs: [{ subnet: "10.20.1.0/24" }],
            options: { "com.docker.network.bridge.enable_icc": "false" },
        });
        assert.deepStrictEqual(await runPolicy(POLICY, [web, quiet, frontend, api, db], { deny: [{ from: "api", to: "orders-db" }] }), []);
    });

    it("judges a container in the host's network namespace: it reaches by IP what the host reaches, ICC off and internal included", async () => {
        const quiet = resource(NETWORK, "orders", {
            name: "shop-orders",
            internal: true,
            ipamConfigs: [{ subnet: "10.20.1.0/24" }],
            options: { "com.docker.network.bridge.enable_icc": "false" },
        });
        const agent = resource(CONTAINER, "agent", { name: "shop-agent", networkMode: "host" });
        const violations = await runPolicy(POLICY, [web, quiet, frontend, api, db, agent], { deny: [{ from: "agent", to: "orders-db" }] });
        assert.deepStrictEqual(reported(violations), [["agent", agent.urn]]);
        assert.match(violations[0].message, /container "agent" can reach "orders-db" over "orders"/);
        assert.deepStrictEqual(await runPolicy(POLICY, [web, quiet, frontend, api, db, agent], { deny: [{ from: "orders-db", to: "agent" }] }), [], "nothing reaches into the host's namespace through a bridge");
    });

    it("follows networks referenced by id or unknown during preview (property dependencies)", async () => {
        const pendingWeb = resource(NETWORK, "web", { name: unknown.string });
        const front = resource(CONTAINER, "web-frontend", { networksAdvanced: [{ name: unknown.string }] }, {
            propertyDependencies: { networksAdvanced: [pendingWeb] },
        });
        const back = resource(CONTAINER, "web-backend", { networksAdvanced: [{ name: "web-id" }] }, {
            propertyDependencies: { networksAdvanced: [pendingWeb] },
        });
        const violations = await runPolicy(POLICY, [pendingWeb, front, back], { deny: [{ from: "web-frontend", to: "web-backend" }] });
        assert.deepStrictEqual(reported(violations), [["web-frontend", front.urn]]);
        const byMode = resource(CONTAINER, "web-worker", { networkMode: unknown.string }, { propertyDependencies: { networkMode: [pendingWeb] } });
        const fromWorker = await runPolicy(POLICY, [pendingWeb, byMode, back], { deny: [{ from: "web-worker", to: "web-backend" }] });
        assert.deepStrictEqual(reported(fromWorker), [["web-worker", byMode.urn]], "networkMode naming the network's unknown name");
        const unresolved = resource(CONTAINER, "web-frontend", { networksAdvanced: unknown.array });
        assert.deepStrictEqual(await runPolicy(POLICY, [pendingWeb, unresolved, back], { deny: [{ from: "*", to: "*" }] }), []);
    });

    it("applies through the pack config with an enforcement level", async () => {
        const leaky = resource(CONTAINER, "web-frontend", { networksAdvanced: [{ name: "shop-orders" }] });
        const violations = await runPack([web, orders, leaky, db], { [POLICY]: { enforcementLevel: "advisory", ...noFrontendToDb } });
        const flows = violations.filter((v) => v.policy === POLICY);
        assert.deepStrictEqual(flows.map((v) => [v.name, v.level]), [["web-frontend", "advisory"]]);
    });

    it("judges many-star globs against long names at once (they once backtracked for minutes)", async () => {
        const long = "a".repeat(5000);
        const named = resource(CONTAINER, "web-frontend", { name: long, networksAdvanced: [{ name: "shop-web", aliases: [long, `${long}b`] }] });
        const violations = await runPolicy(POLICY, [web, orders, named, api, db], { deny: [{ from: `${"*a".repeat(60)}b`, to: "api" }] });
        assert.deepStrictEqual(reported(violations), [["web-frontend", named.urn]]);
    });

    describe("config errors name the policy, the field and the value", () => {
        const cases: [string, unknown, RegExp][] = [
            ["deny is not a list", { from: "a", to: "b" }, /setting "deny" must be a list of \{"from": GLOB, "to": GLOB\} entries, got \{"from":"a","to":"b"\}/],
            ["an entry is not an object", ["web-* -> db"], /setting "deny\[0\]" must be an object \{"from": GLOB, "to": GLOB\}, got "web-\* -> db"/],
            ["from is missing", [{ to: "db" }], /setting "deny\[0\]\.from" must be a non-empty glob matching container names \(e\.g\. "web-\*"\), got undefined/],
            ["to is empty", [{ from: "a", to: "b" }, { from: "web", to: "" }], /setting "deny\[1\]\.to" must be a non-empty glob.*got ""/],
            ["a field is misspelt", [{ from: "web", too: "db" }], /setting "deny\[0\]" has unknown field "too"/],
            ["a glob is an extglob", [{ from: "*(*(*(a)))b", to: "db" }], /setting "deny\[0\]\.from": glob "\*\(\*\(\*\(a\)\)\)b" has "\(" at character 2: extglob groups are not supported/],
            ["a glob uses braces", [{ from: "web", to: "{db,cache}" }], /setting "deny\[0\]\.to": glob "\{db,cache\}" has "\{" at character 1: brace expansion/],
            ["a glob is too long", [{ from: "a".repeat(5000), to: "db" }], /setting "deny\[0\]\.from": glob "a+\.\.\." is 5000 characters long; at most 256/],
        ];
        for (const [what, deny, message] of cases) {
            it(`rejects config where ${what}`, async () => {
                await assert.rejects(() => runPolicy(POLICY, stack, { deny }), (err: Error) => {
                    assert.match(err.message, /^policy docker-forbidden-flows: /);
                    assert.match(err.message, message);
                    return true;
                });
            });
        }
    });

    describe("swarm services", () => {
        const front = overlayNetwork("front", "10.21.2.0/24", { attachable: true });
        const back = overlayNetwork("back", "10.21.1.0/24");
        const www = swarmService("www", [{ name: "front", aliases: ["edge"] }]);
        const vault = swarmService("vault", [{ name: unknown.string, aliases: ["secrets"] }], {}, { propertyDependencies: { taskSpec: [back] } });
        const debug = resource(CONTAINER, "debug", { name: "debug", networksAdvanced: [{ name: "front" }] });

        it("judges services and containers on one overlay as members that reach each other", async () => {
            const violations = await runPolicy(POLICY, [front, back, www, vault, debug], { deny: [{ from: "debug", to: "www" }] });
            assert.deepStrictEqual(reported(violations), [["debug", debug.urn]]);
            assert.match(violations[0].message, /container "debug" can reach "www" over "front"/);
        });

        it("matches a service by tasks.<name> and tasks.<alias>, as Docker's DNS serves them", async () => {
            for (const to of ["tasks.www", "tasks.edge"]) {
                const violations = await runPolicy(POLICY, [front, back, www, vault, debug], { deny: [{ from: "debug", to }] });
                assert.deepStrictEqual(reported(violations), [["debug", debug.urn]], to);
            }
        });

        it("routes nothing between overlays: nothing reaches the vault on another one", async () => {
            assert.deepStrictEqual(await runPolicy(POLICY, [front, back, www, vault, debug], { deny: [{ from: "*", to: "tasks.secrets" }] }), []);
        });
    });
});
