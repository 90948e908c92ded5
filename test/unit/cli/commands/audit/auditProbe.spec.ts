/**
 * The parts of `netguard audit` that need no engine: what each container
 * probes (and what it must never probe), the probe script run by a real
 * shell against stand-in ping and nslookup commands, reading its output,
 * comparing predicted and measured pairs, the live rules with config, and
 * DOCKER_HOST.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { engineLocation } from "../../../../../cli/commands/audit/engine/dockerEngine";
import { HOST_PING_TIMEOUT_MS, hostProbeScript, readHostProbeOutput } from "../../../../../cli/commands/audit/probes/hostProbe";
import { parseIpLink } from "../../../../../cli/commands/audit/probes/hostWiring";
import { judgeLiveState } from "../../../../../cli/commands/audit/liveRules";
import { terminalProgress } from "../../../../../cli/commands/audit/probes/progress";
import { ProbePlan, planProbe, probeScript, readProbeOutput, sourceUnprobeable } from "../../../../../cli/commands/audit/probes/probeScript";
import { reachabilityMismatches } from "../../../../../cli/commands/audit/probes/reachabilityReport";
import { UserError } from "../../../../../cli/errors";
import { readPackConfig } from "../../../../../policies/policyConfig";
import { policyNames } from "../../../../../policies/pack";
import { topologyFromDocker } from "../../../../../readers/docker/fromDocker";
import { DockerEngineState } from "../../../../../readers/docker/engineState";
import { reachabilityFromHost } from "../../../../../topology/reachability";
import { ContainerNode, Topology } from "../../../../../topology/model";

const state: DockerEngineState = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "..", "fixtures", "docker-engine-20.10.json"), "utf8"));
const topology = topologyFromDocker(state);
const runningIds = new Set(state.containers.filter((c) => c.State?.Running).map((c) => c.Id));
const running = (container: ContainerNode) => runningIds.has(container.key);

function node(name: string, from: Topology = topology): ContainerNode {
    const found = from.containers.find((c) => c.name === name);
    assert.ok(found, name);
    return found;
}

const targetsOf = (plan: ProbePlan) => plan.addresses.map((a) => `${a.target.name}@${a.network.name}`).sort();

describe("audit probes: what each container tries", () => {
    it("pings every address of every other running container, on shared networks and (for isolation) the others", () => {
        const plan = planProbe(topology, node("fx-client"), running);
        assert.deepStrictEqual(targetsOf(plan), [
            "fx-api@fx-app",
            "fx-db@fx-app",
            "fx-gateway@fx-app",
            "fx-gateway@fx-internal",
            "fx-q1@fx-quiet",
            "fx-vault@fx-internal",
            "fx-web@bridge",
            "fx-web@fx-app",
        ]);
        assert.ok(!plan.addresses.some((a) => a.target.name === "fx-stopped"), "a stopped container has no address");
    });

    it("asks Docker's DNS nothing from the default bridge: there only /etc/hosts (links) names containers", () => {
        const plan = planProbe(topology, node("fx-client"), running);
        assert.deepStrictEqual(plan.lookups, []);
        assert.deepStrictEqual(plan.hostsNames.get(node("fx-web")), ["fx-web", "www", "web"]);
        assert.doesNotMatch(probeScript(plan), /\nd \d+ /);
    });

    it("asks the embedded DNS only for targets on a shared user-defined network, by the names Docker serves there", () => {
        const plan = planProbe(topology, node("fx-web"), running);
        assert.deepStrictEqual(plan.lookups.map((l) => `${l.target.name}:${l.name}`).sort(), [
            "fx-api:fx-api",
            "fx-db:database",
            "fx-db:fx-db",
            "fx-gateway:fx-gateway",
        ]);
        // fx-gateway's name on fx-internal, and fx-vault's, would leave the host as DNS queries: never asked.
        assert.ok(!plan.lookups.some((l) => l.target.name === "fx-vault"));
    });

    it("probes a host-mode container like the host (addresses, no name lookups); not none, container: modes or stopped containers, and says why", () => {
        assert.strictEqual(sourceUnprobeable(node("fx-host"), true), undefined);
        const plan = planProbe(topology, node("fx-host"), running);
        assert.deepStrictEqual(plan.lookups, [], "its lookups would go to the host's resolver");
        assert.ok(plan.addresses.some((a) => a.target.name === "fx-vault"), "the host reaches an internal network's members");
        assert.match(String(sourceUnprobeable(node("fx-none"), true)), /on no network/);
        assert.match(String(sourceUnprobeable(node("fx-sidecar"), true)), /shares the network namespace of container/);
        assert.strictEqual(sourceUnprobeable(node("fx-stopped"), false), "not running");
        assert.strictEqual(sourceUnprobeable(node("fx-web"), true), undefined);
    });

    it("never pings public addresses, nor networks of drivers other than bridge and overlay (a macvlan): it says why it skips them", () => {
        const odd: DockerEngineState = {
            networks: [
                { Id: "p", Name: "public", Driver: "bridge", IPAM: { Config: [{ Subnet: "192.169.1.0/24" }] } },
                { Id: "m", Name: "lan", Driver: "macvlan", IPAM: { Config: [{ Subnet: "10.99.0.0/24" }] } },
                { Id: "b", Name: "ok", Driver: "bridge", IPAM: { Config: [{ Subnet: "10.98.0.0/24" }] } },
            ],
            containers: [
                { Id: "s", Name: "/source", NetworkSettings: { Networks: { ok: { NetworkID: "b", IPAddress: "10.98.0.2" } } } },
                {
                    Id: "t",
                    Name: "/target",
                    NetworkSettings: {
                        Networks: {
                            public: { NetworkID: "p", IPAddress: "192.169.1.2" },
                            lan: { NetworkID: "m", IPAddress: "10.99.0.2" },
                            ok: { NetworkID: "b", IPAddress: "10.98.0.3" },
                        },
                    },
                },
            ],
        };
        const oddTopology = topologyFromDocker(odd);
        const plan = planProbe(oddTopology, node("source", oddTopology), () => true);
        assert.deepStrictEqual(plan.addresses.map((a) => a.address), ["10.98.0.3"]);
        assert.deepStrictEqual(plan.skipped.map((s) => [s.address, s.reason.split(":")[0]]), [
            ["192.169.1.2", "outside private address space"],
            ["10.99.0.2", "on a macvlan network"],
        ]);
        assert.doesNotMatch(probeScript(plan), /192\.169|10\.99/);
    });
});

describe("audit probes: the script in a real shell", () => {
    let bin: string;
    before(() => {
        // Stand-ins: ping answers for 127.0.0.1 and 10.238.1.10 only (resolving "fx-db" to it); nslookup knows fx-db.
        bin = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-probe-bin-"));
        fs.writeFileSync(
            path.join(bin, "ping"),
            '#!/bin/sh\nfor a; do t="$a"; done\n[ "$t" = fx-db ] && { echo "PING fx-db (10.238.1.10)"; exit 0; }\nsleep 1\n[ "$t" = 127.0.0.1 ] || [ "$t" = 10.238.1.10 ]\n',
            { mode: 0o755 },
        );
        fs.writeFileSync(
            path.join(bin, "nslookup"),
            '#!/bin/sh\necho "Server: 127.0.0.11"; echo "Address: 127.0.0.11:53"; echo\n' +
                'case "$1" in fx-db|database) echo "Name: $1"; echo "Address: 10.238.1.10";; *) echo "** server can\'t find $1: NXDOMAIN"; exit 1;; esac\n',
            { mode: 0o755 },
        );
    });
    after(() => fs.rmSync(bin, { recursive: true, force: true }));

    function runScript(plan: ProbePlan, pathPrefix: string[]): { stdout: string; seconds: number } {
        const started = Date.now();
        const result = spawnSync("sh", ["-c", probeScript(plan)], {
            encoding: "utf8",
            env: { PATH: [...pathPrefix, "/usr/bin", "/bin"].join(":") },
            timeout: 30_000,
        });
        assert.strictEqual(result.status, 0, result.stderr);
        return { stdout: result.stdout, seconds: (Date.now() - started) / 1000 };
    }

    it("runs every ping and lookup in parallel and reads back reachability and names", () => {
        const plan = planProbe(topology, node("fx-web"), running);
        const { stdout, seconds } = runScript(plan, [bin]);
        // Seven pings wait 1s each: in sequence that is 7s or more.
        assert.ok(seconds < 0.5 * plan.addresses.length, `parallel: ${seconds}s for ${plan.addresses.length} pings`);
        const outcome = readProbeOutput(plan, stdout);
        assert.deepStrictEqual(outcome, { probed: true, pairs: [{ from: "fx-web", to: "fx-db", networks: ["fx-app"], byName: true }] });
    });

    it("resolves through ping when there is no nslookup", () => {
        const noNslookup = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-probe-bin-"));
        fs.copyFileSync(path.join(bin, "ping"), path.join(noNslookup, "ping"));
        fs.chmodSync(path.join(noNslookup, "ping"), 0o755);
        try {
            const plan = planProbe(topology, node("fx-web"), running);
            const outcome = readProbeOutput(plan, runScript(plan, [noNslookup]).stdout);
            assert.ok(outcome.probed && outcome.pairs[0].byName);
        } finally {
            fs.rmSync(noNslookup, { recursive: true, force: true });
        }
    });

    it("reports a missing ping as not probed instead of unreachable", () => {
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-probe-empty-"));
        try {
            const plan = planProbe(topology, node("fx-web"), running);
            const result = spawnSync("/bin/sh", ["-c", probeScript(plan)], { encoding: "utf8", env: { PATH: empty } });
            assert.deepStrictEqual(readProbeOutput(plan, result.stdout), { probed: false, reason: "has no ping command" });
        } finally {
            fs.rmSync(empty, { recursive: true, force: true });
        }
    });
});

describe("audit probes: reading the output", () => {
    const plan = planProbe(topology, node("fx-client"), running);
    const index = (target: string, network: string) => plan.addresses.findIndex((a) => a.target.name === target && a.network.name === network);

    it("counts a pair by name only when a name resolves to an address that answered", () => {
        const webBridge = plan.addresses[index("fx-web", "bridge")].address;
        const lines = ["NG-READY", `NG-H ${webBridge}\tweb 2402e8f97ccf fx-web`, `NG-A ${index("fx-web", "bridge")} ok`, "NG-DONE"];
        assert.deepStrictEqual(readProbeOutput(plan, lines.join("\n")), {
            probed: true,
            pairs: [{ from: "fx-client", to: "fx-web", networks: ["bridge"], byName: true }],
        });
        const stale = ["NG-READY", "NG-H 172.17.0.99 web", `NG-A ${index("fx-web", "bridge")} ok`, "NG-DONE"];
        assert.deepStrictEqual(readProbeOutput(plan, stale.join("\n")), {
            probed: true,
            pairs: [{ from: "fx-client", to: "fx-web", networks: ["bridge"], byName: false }],
        });
    });

    it("claims nothing from output that did not run to the end", () => {
        const cut = readProbeOutput(plan, `NG-READY\nNG-A ${index("fx-web", "bridge")} ok\n`);
        assert.strictEqual(cut.probed, false);
        assert.match(cut.probed ? "" : cut.reason, /did not run to the end/);
        assert.deepStrictEqual(readProbeOutput(plan, "NG-NOPROBE has a ping that does not work (it needs CAP_NET_RAW)\n"), {
            probed: false,
            reason: "has a ping that does not work (it needs CAP_NET_RAW)",
        });
    });
});

describe("audit probes from the host: the sweep and its output", () => {
    const plan = planProbe(topology, node("fx-client"), running);

    it("sweeps every target address once with fping (sub-second, no retries) and asks only the embedded DNS", () => {
        const script = hostProbeScript(plan, 4242);
        const sweep = script.split("\n").filter((line) => line.includes("fping"));
        assert.strictEqual(sweep.length, 1);
        assert.match(sweep[0], new RegExp(`fping -a -r 0 -t ${HOST_PING_TIMEOUT_MS} -i 1 `));
        assert.ok(HOST_PING_TIMEOUT_MS < 1000);
        for (const address of new Set(plan.addresses.map((a) => a.address))) assert.ok(sweep[0].includes(`'${address}'`), address);
        assert.match(script, /\/proc\/4242\/root\/etc\/hosts/);
        const asked = [...script.matchAll(/\$L ('[^']*') (\S+)/g)];
        assert.deepStrictEqual(asked.map((m) => m[1]), plan.lookups.map((l) => `'${l.name}'`));
        assert.ok(asked.every((m) => m[2] === "127.0.0.11"), "every lookup asks Docker's embedded DNS, nothing else");
    });

    it("marks every probe of an address that answered, and reports fping failing as not probed", () => {
        const web = plan.addresses.find((a) => a.target.name === "fx-web" && a.network.name === "bridge");
        assert.ok(web);
        const outcome = readHostProbeOutput(plan, ["NG-READY", `NG-ALIVE ${web.address}`, "NG-FPING 1", "NG-DONE"].join("\n"));
        assert.deepStrictEqual(outcome, { probed: true, pairs: [{ from: "fx-client", to: "fx-web", networks: ["bridge"], byName: false }] });
        assert.deepStrictEqual(readHostProbeOutput(plan, ["NG-READY", "NG-FPING 4", "NG-DONE"].join("\n")), { probed: false, reason: "fping failed (exit 4)" });
    });

    it("reads each lookup's block, so a name that resolves to an answering address counts as by name", () => {
        const appPlan = planProbe(topology, node("fx-api"), running);
        const db = appPlan.addresses.find((a) => a.target.name === "fx-db");
        const i = appPlan.lookups.findIndex((l) => l.target.name === "fx-db");
        assert.ok(db && i >= 0);
        const output = ["NG-READY", `NG-DB ${i}`, "Server:\t127.0.0.11", "Address:\t127.0.0.11:53", "", `Name:\t${appPlan.lookups[i].name}`, `Address: ${db.address}`, "", `NG-DE ${i}`, "NG-FPING 1", `NG-ALIVE ${db.address}`, "NG-DONE"];
        const outcome = readHostProbeOutput(appPlan, output.join("\n"));
        assert.ok(outcome.probed);
        assert.deepStrictEqual(outcome.pairs.find((p) => p.to === "fx-db")?.byName, true);
    });
});

describe("audit: the wiring and the host node", () => {
    it("reads the veth pair from ip -o link: the peer index inside, the master bridge outside", () => {
        const inside = parseIpLink(
            "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n" +
                "1482: eth0@if1483: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default \\    link/ether 02:42:0A:e7:2a:02 brd ff:ff:ff:ff:ff:ff link-netnsid 0\n",
        );
        assert.deepStrictEqual(inside[1], { index: 1482, name: "eth0", peerIndex: 1483, master: null, mac: "02:42:0a:e7:2a:02" });
        const outside = parseIpLink(
            "1483: veth6ad8089@if1482: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br-cd4219362363 state UP mode DEFAULT group default \\    link/ether 36:e1:0a:c6:00:12 brd ff:ff:ff:ff:ff:ff link-netnsid 0\n" +
                "5: docker0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default \\    link/ether 02:42:8c:11:22:33 brd ff:ff:ff:ff:ff:ff\n",
        );
        assert.deepStrictEqual(
            outside.map((l) => [l.index, l.name, l.peerIndex, l.master]),
            [
                [1483, "veth6ad8089", 1482, "br-cd4219362363"],
                [5, "docker0", null, null],
            ],
        );
    });

    it("predicts @host reaching every running container with a bridge address, by IP only, internal networks included", () => {
        const pairs = reachabilityFromHost(topology, running);
        assert.ok(pairs.every((p) => p.from === "@host" && !p.byName));
        assert.ok(!pairs.some((p) => p.to === "fx-stopped"), "not a stopped container");
        const bridged = topology.containers.filter((c) => running(c) && c.attachments.some((a) => a.ipv4Address !== undefined && a.network !== undefined));
        assert.deepStrictEqual(pairs.map((p) => p.to), bridged.map((c) => c.name).sort());
        const internal = topology.networks.find((n) => n.internal);
        assert.ok(internal && pairs.some((p) => p.networks.includes(internal.name)), "the host reaches an internal network's members");
    });
});

describe("audit: predicted against measured", () => {
    const pair = (from: string, to: string, networks: string[], byName = true) => ({ from, to, networks, byName });
    const scope = {
        probed: new Set(["a", "b"]),
        pingedNetworks: new Map([
            ["a", new Set(["n1"])],
            ["b", new Set(["n1"])],
            ["c", new Set(["n1"])],
        ]),
    };

    it("finds nothing when they agree, and each kind of difference when not", () => {
        const predicted = [pair("a", "b", ["n1"]), pair("b", "a", ["n1"]), pair("b", "c", ["n1"])];
        assert.deepStrictEqual(reachabilityMismatches(predicted, predicted, scope), []);
        const measured = [pair("a", "b", ["n1"], false), pair("a", "c", ["n1"])];
        assert.deepStrictEqual(reachabilityMismatches(predicted, measured, scope), [
            { from: "a", to: "b", predicted: { networks: ["n1"], byName: true }, measured: { networks: ["n1"], byName: false } },
            { from: "a", to: "c", predicted: null, measured: { networks: ["n1"], byName: true } },
            { from: "b", to: "a", predicted: { networks: ["n1"], byName: true }, measured: null },
            { from: "b", to: "c", predicted: { networks: ["n1"], byName: true }, measured: null },
        ]);
    });

    it("leaves out what was not measured: unprobed sources, networks where the target was not pinged", () => {
        const predicted = [pair("c", "a", ["n1"]), pair("a", "b", ["n1", "n2"])];
        assert.deepStrictEqual(reachabilityMismatches(predicted, [pair("a", "b", ["n1"])], scope), []);
    });
});

describe("audit: live rules and DOCKER_HOST", () => {
    it("runs the live rules at the configured levels, skips disabled ones, lists the ones it cannot judge", () => {
        const config = readPackConfig({ all: "advisory", "docker-no-default-bridge": "mandatory", "docker-no-legacy-links": "disabled" }, policyNames);
        const judgement = judgeLiveState(topology, config);
        assert.ok(!judgement.judged.includes("docker-no-legacy-links"));
        assert.ok(!judgement.violations.some((v) => v.policy === "docker-no-legacy-links"));
        const bridge = judgement.violations.filter((v) => v.policy === "docker-no-default-bridge");
        assert.deepStrictEqual(bridge.map((v) => [v.name, v.resource, v.level]), [
            ["fx-web", "fx-web", "mandatory"],
            ["fx-client", "fx-client", "mandatory"],
        ]);
        assert.ok(judgement.violations.filter((v) => v.policy !== "docker-no-default-bridge").every((v) => v.level === "advisory"));
        assert.ok(judgement.notJudged.every((n) => n.description.length > 0));
    });

    it("turns a bad policy setting into a user error naming it", () => {
        const config = readPackConfig({ "docker-network-no-overlap": { reserved: ["nope"] } }, policyNames);
        assert.throws(() => judgeLiveState(topology, config), (err: unknown) => err instanceof UserError && /reserved.*"nope"/.test(err.message));
    });

    it("reads DOCKER_HOST like Docker's client", () => {
        assert.strictEqual(engineLocation({}).address, "unix:///var/run/docker.sock");
        assert.deepStrictEqual(engineLocation({ DOCKER_HOST: "unix:///tmp/d.sock" }).options.socketPath, "/tmp/d.sock");
        const tcp = engineLocation({ DOCKER_HOST: "tcp://10.0.0.5:2375" });
        assert.deepStrictEqual([tcp.address, tcp.options.host, tcp.options.port, tcp.options.protocol], ["tcp://10.0.0.5:2375", "10.0.0.5", "2375", "http"]);
        assert.strictEqual(engineLocation({ DOCKER_HOST: "tcp://docker.example:2376", DOCKER_TLS_VERIFY: "1" }).options.protocol, "https");
        assert.throws(() => engineLocation({ DOCKER_HOST: "ssh://me@host" }), UserError);
    });

    it("rejects a unix:// DOCKER_HOST without an absolute path instead of falling back to the default socket", () => {
        for (const host of ["unix://", "unix://docker.sock", "unix:// "]) {
            assert.throws(() => engineLocation({ DOCKER_HOST: host }), (err: Error) => err instanceof UserError && /names no absolute socket path/.test(err.message), host);
        }
    });

    it("shows probe progress on a terminal only", () => {
        const written: string[] = [];
        const stream = (isTTY: boolean) => ({ isTTY, columns: 60, write: (text: string) => written.push(text) }) as unknown as NodeJS.WriteStream;
        const quiet = terminalProgress("probing containers", stream(false));
        quiet.update(1, 2, "web");
        quiet.finish();
        assert.deepStrictEqual(written, []);
        const shown = terminalProgress("probing containers", stream(true));
        shown.update(1, 2, "web");
        shown.finish();
        assert.match(written[0], /^\rprobing containers 1\/2 \(web done\)/);
        assert.match(written[1], /^\r +\r$/);
    });
});
