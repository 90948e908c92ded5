/**
 * Docker's networking tutorial, replayed with the docker CLI on a real engine,
 * then audited: `netguard audit --json --probe` must put each violation on
 * the right container and measure exactly the reachability it predicts.
 * All traffic stays between these containers, on 10.231.0.0/16 and docker0.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AuditDocument } from "../../../document/auditDocument";
import { rules } from "../../../policies/pack";
import { ReachablePair } from "../../../topology/reachability";
import { auditJson, docker, dockerSucceeds, testLabels } from "./dockerCli";
import { ENGINE_TAG, ENGINE_UNDER_TEST, PROBE_IMAGE, releaseDockerEngine, useDockerEngine } from "./engine";

const SUITE = "netguard.test.suite=tutorial";
const labels = testLabels(SUITE);

/** `docker run -d` of the probe image with the test labels. */
function run(name: string, ...options: string[]): void {
    docker("run", "-d", "--name", name, ...labels, ...options, PROBE_IMAGE);
}

function address(container: string, network: string): string {
    return docker("inspect", "-f", `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, container);
}

/** The live rules of the pack, by name: the expectations below only hold for rules that exist. */
const liveRules = new Set(rules.filter((rule) => rule.judgesLiveState).map((rule) => rule.name));

describe(`${ENGINE_TAG} the tutorial replayed`, function () {
    let audit: { status: number | null; doc: AuditDocument; stderr: string };
    /** The same audit probed from the host's side of each namespace. */
    let fromHost: { status: number | null; doc: AuditDocument; stderr: string };

    before(async function () {
        await useDockerEngine(this);

        // 1. A container on the default bridge, and a second that --links to it.
        run("ngt-web");
        run("ngt-client", "--link", "ngt-web:web");
        // 2. A user-defined network with explicit IPAM; two containers that find each other by name.
        docker("network", "create", ...labels, "--subnet", "10.231.1.0/24", "--gateway", "10.231.1.1", "--ip-range", "10.231.1.128/25", "ngt-app");
        run("ngt-db", "--network", "ngt-app", "--ip", "10.231.1.10", "--network-alias", "database");
        run("ngt-api", "--network", "ngt-app", "--network-alias", "api");
        // 3. docker network connect: the bridge container is now on both, undeclared.
        docker("network", "connect", "--alias", "www", "ngt-app", "ngt-web");
        // 4. An internal network, and a gateway declared dual-homed (the component's label) between it and the app net.
        docker("network", "create", ...labels, "--internal", "--subnet", "10.231.2.0/24", "--gateway", "10.231.2.1", "ngt-internal");
        run("ngt-vault", "--network", "ngt-internal");
        run("ngt-gateway", "--label", "netguard.dual-homed=true", "--network", "ngt-app");
        docker("network", "connect", "ngt-internal", "ngt-gateway");
        // 5. Inter-container traffic off.
        docker("network", "create", ...labels, "--subnet", "10.231.3.0/24", "--gateway", "10.231.3.1", "-o", "com.docker.network.bridge.enable_icc=false", "ngt-quiet");
        run("ngt-quiet1", "--network", "ngt-quiet");
        run("ngt-quiet2", "--network", "ngt-quiet");
        // 6. A host-mode container, and one whose ping cannot work (no CAP_NET_RAW).
        run("ngt-host", "--network", "host");
        run("ngt-noraw", "--network", "ngt-app", "--cap-drop", "NET_RAW");

        audit = auditJson(SUITE, ["--probe", "--probe-method", "exec"]);
        fromHost = auditJson(SUITE, ["--probe", "--probe-method", "host"]);
    });

    after(async function () {
        this.timeout(5 * 60_000);
        await releaseDockerEngine(SUITE);
    });

    it("the tutorial's facts hold inside the containers (checked without netguard)", () => {
        // --link: the client has a name for the web container; the web container none for the client.
        assert.ok(dockerSucceeds("exec", "ngt-client", "ping", "-c", "1", "-W", "1", "web"), "client resolves its link alias");
        assert.ok(!dockerSucceeds("exec", "ngt-web", "grep", "-qw", "ngt-client", "/etc/hosts"), "the link is one way");
        assert.ok(dockerSucceeds("exec", "ngt-web", "ping", "-c", "1", "-W", "1", address("ngt-client", "bridge")), "bridge by IP");
        // User-defined network: names resolve both ways.
        assert.ok(dockerSucceeds("exec", "ngt-db", "ping", "-c", "1", "-W", "1", "ngt-api"));
        assert.ok(dockerSucceeds("exec", "ngt-api", "ping", "-c", "1", "-W", "1", "database"));
        // Isolation between the user-defined network and the default bridge.
        assert.ok(!dockerSucceeds("exec", "ngt-db", "ping", "-c", "1", "-W", "1", address("ngt-client", "bridge")));
        assert.ok(!dockerSucceeds("exec", "ngt-client", "ping", "-c", "1", "-W", "1", address("ngt-db", "ngt-app")));
    });

    it("reports every violation on the right container, by Docker name, and exits 1", () => {
        assert.strictEqual(audit.status, 1, audit.stderr);
        const expected = [
            "docker-multi-homing-declared ngt-web",
            "docker-no-default-bridge ngt-client",
            "docker-no-default-bridge ngt-web",
            "docker-no-legacy-links ngt-client",
            "docker-no-shared-network-namespace ngt-host",
        ].filter((line) => liveRules.has(line.split(" ")[0]));
        assert.deepStrictEqual(audit.doc.violations.map((v) => `${v.policy} ${v.name}`).sort(), expected);
        for (const violation of audit.doc.violations) {
            assert.strictEqual(violation.resource, violation.name);
            assert.strictEqual(violation.level, "mandatory");
            assert.match(violation.message, new RegExp(`"${violation.name}"`));
        }
    });

    it("reads the engine's version and judges with its semantics", () => {
        assert.strictEqual(fromHost.doc.engine.semantics, ENGINE_UNDER_TEST);
        assert.match(fromHost.doc.engine.version ?? "", new RegExp(`^${ENGINE_UNDER_TEST}\\.`));
    });

    it("says which rules live state cannot judge", () => {
        assert.deepStrictEqual(
            audit.doc.policies.notJudged.map((n) => n.policy),
            rules.filter((rule) => !rule.judgesLiveState).map((rule) => rule.name),
        );
        assert.deepStrictEqual(audit.doc.policies.judged, [...liveRules]);
    });

    it("describes networks and containers with Docker names, aliases without container ids", () => {
        const app = audit.doc.networks.find((n) => n.name === "ngt-app");
        assert.deepStrictEqual(app, {
            name: "ngt-app",
            dockerName: "ngt-app",
            driver: "bridge",
            subnet: "10.231.1.0/24",
            gateway: "10.231.1.1",
            ipRange: "10.231.1.128/25",
            internal: false,
            interContainer: true,
            scope: "local",
            attachable: false,
            encrypted: false,
        });
        assert.strictEqual(audit.doc.networks.find((n) => n.name === "ngt-internal")?.internal, true);
        assert.strictEqual(audit.doc.networks.find((n) => n.name === "ngt-quiet")?.interContainer, false);
        const web = audit.doc.containers.find((c) => c.name === "ngt-web");
        assert.deepStrictEqual(web?.attachments.map((a) => [a.network, a.aliases]), [
            ["bridge", []],
            ["ngt-app", ["www"]],
        ]);
        assert.deepStrictEqual(audit.doc.containers.find((c) => c.name === "ngt-db")?.attachments.map(({ network, aliases, ipv4Address }) => ({ network, aliases, ipv4Address })), [
            { network: "ngt-app", aliases: ["database"], ipv4Address: "10.231.1.10" },
        ]);
        assert.strictEqual(audit.doc.containers.find((c) => c.name === "ngt-gateway")?.dualHomed, true);
        assert.deepStrictEqual(audit.doc.containers.find((c) => c.name === "ngt-host")?.attachments, []);
    });

    it("probes every container that can be, and says why the others cannot", () => {
        const probe = audit.doc.reachability.probe;
        assert.ok(probe);
        // The host-mode container is probed like the host: addresses only.
        assert.deepStrictEqual(probe.probed, ["ngt-api", "ngt-client", "ngt-db", "ngt-gateway", "ngt-host", "ngt-quiet1", "ngt-quiet2", "ngt-vault", "ngt-web"]);
        assert.deepStrictEqual(probe.notProbed.map((n) => n.container), ["ngt-noraw"]);
        assert.match(probe.notProbed[0].reason, /ping that does not work/);
        assert.deepStrictEqual(probe.skippedAddresses, []);
        process.stdout.write(`      (probed ${probe.probed.length} of ${audit.doc.containers.length} containers in ${(probe.durationMs / 1000).toFixed(1)}s)\n`);
    });

    it("probes from the host too, reaching the container without CAP_NET_RAW, and measures the same", () => {
        const { probe, mismatches, measured } = fromHost.doc.reachability;
        assert.ok(probe && mismatches && measured, fromHost.stderr);
        assert.strictEqual(probe.method, "host");
        assert.strictEqual(audit.doc.reachability.probe?.method, "exec");
        assert.deepStrictEqual(probe.probed, ["@host", "ngt-api", "ngt-client", "ngt-db", "ngt-gateway", "ngt-host", "ngt-noraw", "ngt-quiet1", "ngt-quiet2", "ngt-vault", "ngt-web"]);
        assert.deepStrictEqual(probe.notProbed.map((n) => n.container), []);
        assert.deepStrictEqual(mismatches, []);
        assert.deepStrictEqual(
            measured.filter((pair) => pair.from !== "ngt-noraw" && pair.from !== "@host"),
            audit.doc.reachability.measured,
        );
    });

    it("puts the Docker host in the matrices: @host reaches every container with a bridge address, internal and ICC off included, by IP", () => {
        const { predicted, measured } = fromHost.doc.reachability;
        const fromHostNode = (pairs: ReachablePair[] | null) => (pairs ?? []).filter((pair) => pair.from === "@host");
        assert.deepStrictEqual(fromHostNode(measured), fromHostNode(predicted));
        const reached = fromHostNode(measured).map((pair) => pair.to);
        for (const name of ["ngt-client", "ngt-web", "ngt-vault", "ngt-quiet1", "ngt-quiet2"]) assert.ok(reached.includes(name), name);
        assert.ok(!reached.includes("ngt-host"), "a host-mode container has no bridge address");
        assert.ok(fromHostNode(measured).every((pair) => !pair.byName));
        assert.deepStrictEqual(fromHostNode(measured).find((pair) => pair.to === "ngt-vault")?.networks, ["ngt-internal"]);
    });

    it("shows the wiring: each attachment's host-side veth and bridge, and network modes by name", () => {
        const bridgeOf = (network: string) => (network === "bridge" ? "docker0" : `br-${docker("network", "inspect", "-f", "{{.Id}}", network).slice(0, 12)}`);
        const hostLinks = spawnSync("ip", ["-o", "link"], { encoding: "utf8" }).stdout;
        for (const container of fromHost.doc.containers.filter((c) => c.running)) {
            for (const attachment of container.attachments) {
                assert.match(attachment.hostInterface ?? "", /^veth/, `${container.name} on ${attachment.network}`);
                assert.strictEqual(attachment.bridge, bridgeOf(attachment.network), `${container.name} on ${attachment.network}`);
                // The host's own view agrees: that veth hangs on that bridge.
                assert.match(hostLinks, new RegExp(`: ${attachment.hostInterface}@[^:]+:.* master ${attachment.bridge} `));
            }
        }
        assert.strictEqual(fromHost.doc.containers.find((c) => c.name === "ngt-host")?.networkMode, "host");
        // As the engine reports a container started with no --network: "default" on 20.10, "bridge" from Docker 28 on.
        assert.strictEqual(fromHost.doc.containers.find((c) => c.name === "ngt-web")?.networkMode, ENGINE_UNDER_TEST === "20" ? "default" : "bridge");
    });

    it("measures exactly the predicted reachability from every probed container: no mismatch", () => {
        const { predicted, measured, mismatches, probe } = audit.doc.reachability;
        assert.ok(measured && mismatches && probe);
        assert.deepStrictEqual(mismatches, []);
        const probed = new Set(probe.probed);
        assert.deepStrictEqual(measured, predicted.filter((pair) => probed.has(pair.from)));
    });

    it("measures the tutorial: the link by name one way, the bridge by IP, isolation, internal, ICC off", () => {
        const measured = audit.doc.reachability.measured as ReachablePair[];
        const pair = (from: string, to: string) => measured.find((p) => p.from === from && p.to === to);
        assert.deepStrictEqual(pair("ngt-client", "ngt-web"), { from: "ngt-client", to: "ngt-web", networks: ["bridge"], byName: true });
        assert.deepStrictEqual(pair("ngt-web", "ngt-client"), { from: "ngt-web", to: "ngt-client", networks: ["bridge"], byName: false });
        assert.deepStrictEqual(pair("ngt-db", "ngt-api"), { from: "ngt-db", to: "ngt-api", networks: ["ngt-app"], byName: true });
        assert.deepStrictEqual(pair("ngt-db", "ngt-web"), { from: "ngt-db", to: "ngt-web", networks: ["ngt-app"], byName: true });
        assert.deepStrictEqual(pair("ngt-gateway", "ngt-vault"), { from: "ngt-gateway", to: "ngt-vault", networks: ["ngt-internal"], byName: true });
        // Isolation: nothing between the default bridge's client and the app net; the vault reaches only the gateway.
        for (const other of ["ngt-db", "ngt-api", "ngt-gateway", "ngt-vault"]) {
            assert.strictEqual(pair("ngt-client", other), undefined, `ngt-client > ${other}`);
            assert.strictEqual(pair(other, "ngt-client"), undefined, `${other} > ngt-client`);
        }
        assert.deepStrictEqual(measured.filter((p) => p.from === "ngt-vault").map((p) => p.to), ["ngt-gateway"]);
        // ICC off: the two members do not reach each other (only the host's namespace reaches them).
        assert.ok(!measured.some((p) => p.from !== "ngt-host" && (p.from.startsWith("ngt-quiet") || p.to.startsWith("ngt-quiet"))));
        // The host-mode container reaches, by IP, every container with a bridge address (internal, ICC off included); nothing reaches it.
        const fromHostMode = measured.filter((p) => p.from === "ngt-host");
        assert.ok(["ngt-vault", "ngt-quiet1", "ngt-client", "ngt-db"].every((to) => fromHostMode.some((p) => p.to === to)), JSON.stringify(fromHostMode));
        assert.ok(fromHostMode.every((p) => !p.byName));
        assert.ok(!measured.some((p) => p.to === "ngt-host"));
    });

    it("judges live state with --policy-config (all advisory: exit 0)", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "netguard-audit-")), "advisory.json");
        fs.writeFileSync(file, JSON.stringify({ all: "advisory", "docker-no-shared-network-namespace": { allow: ["ngt-host"] } }));
        const relaxed = auditJson(SUITE, ["--policy-config", file]);
        assert.strictEqual(relaxed.status, 0, relaxed.stderr);
        assert.ok(relaxed.doc.violations.length > 0);
        assert.ok(relaxed.doc.violations.every((v) => v.level === "advisory"));
        assert.ok(!relaxed.doc.violations.some((v) => v.name === "ngt-host"));
        assert.strictEqual(relaxed.doc.reachability.measured, null, "no --probe, no measurement");
    });
});
