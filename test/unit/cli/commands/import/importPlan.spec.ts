/**
 * The translation of `netguard import` (plan) and its TypeScript writer, on
 * topologies read from inline Compose projects (the built-in reader's
 * resolved shape) and on a recorded engine: links, the default bridge,
 * dual-homed services, no IPAM, pinned IPAM, host mode, internal nets.
 * Every written program must type-check against the components.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { composeSource } from "../../../../../cli/commands/import/composeSource";
import { engineSource } from "../../../../../cli/commands/import/engineSource";
import { ImportPlan, dnsName, planImport } from "../../../../../cli/commands/import/importPlan";
import { ImportSource } from "../../../../../cli/commands/import/importSource";
import { writeProgram } from "../../../../../cli/commands/import/writeProgram";
import { parseCidr, cidrContainsCidr, cidrsOverlap } from "../../../../../addressing/cidr";
import { ComposeProject, topologyFromCompose } from "../../../../../readers/compose";
import { DockerEngineState } from "../../../../../readers/docker/engineState";
import { previewProgram, programPairs, sourcePairs } from "../../../../helpers/importRoundTrip";
import { programTypeErrors } from "../../../../helpers/typeCheck";

/** A resolved project (as `docker compose config` prints it) as an import source. */
function source(project: ComposeProject): ImportSource {
    return composeSource({ ...topologyFromCompose(project), project, resolvedBy: "built-in" }, ["compose.yaml"]);
}

/** The plan of `project`, after checking that its program type-checks. */
function plan(project: ComposeProject): { plan: ImportPlan; program: string } {
    const planned = planImport(source(project));
    const program = writeProgram(planned);
    assert.deepStrictEqual(programTypeErrors(program), [], program);
    return { plan: planned, program };
}

const net = (name: string, rest: Record<string, unknown> = {}) => ({ name, ...rest });

describe("netguard import: the plan and the program", function () {
    this.timeout(120_000);

    it("makes a link an alias of its target on the net they share, and says so", () => {
        const { plan: planned, program } = plan({
            name: "p",
            services: { web: { image: "nginx", networks: { default: null }, links: ["api:backend"] }, api: { image: "node", networks: { default: null } } },
            networks: { default: net("p_default") },
        });
        const [only] = planned.nets;
        assert.deepStrictEqual(only.members.map((member) => [member.key, member.aliases]), [["api", ["backend"]], ["web", []]]);
        const note = planned.notes.find((entry) => entry.subject === "service web");
        assert.strictEqual(note?.kind, "changed");
        assert.match(note!.text, /link api:backend \(docker-no-legacy-links\) is the alias backend of api on default/);
        assert.match(program, /\/\/ - service web: link api:backend/);
    });

    it("takes services off the default bridge onto a net of their own, naming the change", () => {
        const { plan: planned } = plan({
            name: "p",
            services: { a: { image: "busybox", network_mode: "bridge", links: ["b"] }, b: { image: "busybox", network_mode: "bridge" } },
        });
        assert.deepStrictEqual(planned.nets.map((entry) => [entry.name, entry.members.map((member) => member.key)]), [["bridge", ["a", "b"]]]);
        assert.deepStrictEqual([...planned.containers], [["a", "bridge-a"], ["b", "bridge-b"]]);
        const moved = planned.notes.find((entry) => entry.subject === "net bridge");
        assert.match(moved!.text, /a, b left Docker's default bridge \(docker-no-default-bridge\)/);
        assert.deepStrictEqual(planned.omitted, []);
    });

    it("declares a service on two nets as a DualHomedContainer named after the service", () => {
        const { plan: planned, program } = plan({
            name: "p",
            services: { api: { image: "node", networks: { front: { aliases: ["gateway"] }, back: null } }, db: { image: "pg", networks: { back: null } } },
            networks: { front: net("p_front"), back: net("p_back", { internal: true }) },
        });
        assert.deepStrictEqual(planned.dualHomed.map((entry) => [entry.name, entry.attachments.map((attachment) => [attachment.net, attachment.aliases])]), [
            ["api", [["back", []], ["front", ["gateway"]]]],
        ]);
        assert.deepStrictEqual([...planned.containers], [["api", "api"], ["db", "back-db"]]);
        assert.deepStrictEqual(planned.nets.map((entry) => [entry.name, entry.internal]), [["front", false], ["back", true]]);
        assert.match(program, /import \{ DualHomedContainer, IsolatedServiceNet \} from "docker-netguard";/);
        assert.match(program, /const backNet = new IsolatedServiceNet\("back"/);
    });

    it("allocates a private subnet for a net without IPAM, clear of the pinned ones and of docker0, the same on every import", () => {
        const project: ComposeProject = {
            name: "p",
            services: { a: { image: "x", networks: { pinned: null } }, b: { image: "x", networks: { loose: null } } },
            networks: { pinned: net("p_pinned", { ipam: { config: [{ subnet: "10.128.0.0/9" }] } }), loose: net("p_loose") },
        };
        // The pinned subnet fills the allocator's whole pool: the loose net must still get a subnet that overlaps it not.
        const planned = plan({ ...project, networks: { ...project.networks, pinned: net("p_pinned", { ipam: { config: [{ subnet: "10.200.0.0/16" }] } }) } }).plan;
        const loose = planned.nets.find((entry) => entry.name === "loose")!;
        assert.ok(cidrContainsCidr(parseCidr("10.128.0.0/9"), parseCidr(loose.subnet)), loose.subnet);
        assert.ok(!cidrsOverlap(parseCidr(loose.subnet), parseCidr("10.200.0.0/16")), loose.subnet);
        assert.strictEqual(planImport(source({ ...project, networks: { ...project.networks, pinned: net("p_pinned", { ipam: { config: [{ subnet: "10.200.0.0/16" }] } }) } })).nets[1].subnet, loose.subnet);
        // A pinned subnet over the allocator's whole pool: the next private range, clear of docker0.
        const full = planImport(source(project)).nets.find((entry) => entry.name === "loose")!;
        assert.ok(cidrContainsCidr(parseCidr("172.16.0.0/12"), parseCidr(full.subnet)) && !cidrsOverlap(parseCidr(full.subnet), parseCidr("172.17.0.0/16")), full.subnet);
    });

    it("keeps pinned IPAM and static addresses, and drops those the rules refuse, saying why", () => {
        const { plan: planned, program } = plan({
            name: "p",
            services: {
                a: { image: "x", networks: { data: { ipv4_address: "10.30.1.10" } } },
                b: { image: "x", networks: { data: { ipv4_address: "10.30.1.200" } } },
                c: { image: "x", networks: { data: { ipv4_address: "10.30.1.254" } } },
                d: { image: "x", networks: { wide: { ipv4_address: "8.8.8.9" } } },
            },
            networks: {
                data: net("p_data", { ipam: { config: [{ subnet: "10.30.1.0/24", gateway: "10.30.1.254", ip_range: "10.30.1.128/25", aux_addresses: { r: "10.30.1.5" } }] } }),
                wide: net("p_wide", { ipam: { config: [{ subnet: "8.8.8.0/24" }] } }),
            },
        });
        const data = planned.nets.find((entry) => entry.name === "data")!;
        assert.deepStrictEqual([data.subnet, data.gateway, data.ipRange], ["10.30.1.0/24", "10.30.1.254", "10.30.1.128/25"]);
        assert.deepStrictEqual(data.members.map((member) => [member.key, member.ipv4Address]), [["a", "10.30.1.10"], ["b", undefined], ["c", undefined]]);
        const texts = planned.notes.map((entry) => `${entry.kind} ${entry.subject}: ${entry.text}`);
        assert.ok(texts.some((text) => /^changed service b: static address 10\.30\.1\.200 on data is dropped \(it is inside the dynamic ip range/.test(text)), texts.join("\n"));
        assert.ok(texts.some((text) => /^changed service c: static address 10\.30\.1\.254 on data is dropped \(it is the gateway\)/.test(text)), texts.join("\n"));
        assert.ok(texts.some((text) => /^not-carried net data: 1 aux address/.test(text)), texts.join("\n"));
        assert.ok(texts.some((text) => /^changed net wide: its subnet 8\.8\.8\.0\/24 is not kept: it is not private address space/.test(text)), texts.join("\n"));
        assert.match(program, /gateway: "10\.30\.1\.254"/);
    });

    it("leaves out host, none and shared-namespace services, each named with the reason", () => {
        const { plan: planned, program } = plan({
            name: "p",
            services: {
                app: { image: "x", networks: { default: null } },
                gateway: { image: "x", network_mode: "host" },
                offline: { image: "x", network_mode: "none" },
                sidecar: { image: "x", network_mode: "service:app" },
            },
            networks: { default: net("p_default") },
        });
        assert.deepStrictEqual([...planned.omitted].sort(), ["gateway", "offline", "sidecar"]);
        assert.deepStrictEqual([...planned.containers.keys()], ["app"]);
        assert.match(program, /\/\/ - service gateway: it shares the host's network stack \(network_mode host\)/);
        assert.match(program, /\/\/ - service offline: it has no network \(network_mode none\)/);
        assert.match(program, /\/\/ - service sidecar: it shares the network namespace of app/);
    });

    it("carries internal, ICC off, ports, command and environment", () => {
        const { plan: planned, program } = plan({
            name: "p",
            services: {
                w: { image: "x", command: ["run", "--fast"], environment: { A: "1", B: null, Q: 'a "b"\nc' }, ports: [{ target: 80, published: "8080", host_ip: "127.0.0.1", protocol: "tcp" }, { target: 53, protocol: "udp" }], networks: { quiet: null } },
            },
            networks: { quiet: net("p_quiet", { internal: true, driver_opts: { "com.docker.network.bridge.enable_icc": "false" } }) },
        });
        const [quiet] = planned.nets;
        assert.deepStrictEqual([quiet.internal, quiet.interContainer], [true, false]);
        assert.deepStrictEqual(quiet.members[0].envs, ["A=1", 'Q=a "b"\nc']);
        assert.match(program, /interContainer: false/);
        assert.match(program, /ports: \[\{ internal: 80, external: 8080, ip: "127\.0\.0\.1" \}, \{ internal: 53, protocol: "udp" \}\]/);
        assert.match(program, /command: \["run", "--fast"\]/);
        assert.match(program, /envs: \["A=1", "Q=a \\"b\\"\\nc"\]/);
    });

    it("writes names the components refuse as DNS names, and keeps every comment on its line", () => {
        assert.strictEqual(dnsName("web_1"), "web_1");
        assert.strictEqual(dnsName("/weird name!"), "weird-name");
        const { program } = plan({
            name: "p",
            services: { "Web.App": { image: "x", networks: { default: { aliases: ["ok", "not ok"] } } } },
            networks: { default: net("p_default") },
        });
        assert.match(program, /\/\/ - service Web\.App: alias\(es\) not ok on default: not DNS names the components accept/);
        for (const line of program.split("\n").filter((text) => text.startsWith("//"))) assert.doesNotMatch(line, /[\r\u2028]/);
    });
});

describe("netguard import --from-engine on recorded inspect data", function () {
    this.timeout(120_000);
    const state = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "..", "fixtures", "docker-engine-20.10.json"), "utf8")) as DockerEngineState;
    const recorded = engineSource({ state, labels: [], warnings: [] }, "the recorded engine");
    const planned = planImport(recorded);

    it("carries the engine's nets and containers, off the default bridge, links as aliases", () => {
        assert.deepStrictEqual([...planned.omitted].sort(), ["fx-host", "fx-none", "fx-sidecar"]);
        assert.deepStrictEqual(planned.nets.map((entry) => entry.name), ["fx-app", "fx-internal", "fx-quiet", "bridge"]);
        const app = planned.nets[0];
        assert.deepStrictEqual([app.subnet, app.gateway, app.ipRange], ["10.238.1.0/24", "10.238.1.1", "10.238.1.128/25"]);
        assert.strictEqual(planned.nets[1].internal, true);
        assert.deepStrictEqual(planned.dualHomed.map((entry) => [entry.name, entry.attachments.map((attachment) => attachment.net)]).sort(), [
            ["fx-gateway", ["fx-app", "fx-internal"]],
            ["fx-web", ["bridge", "fx-app"]],
        ]);
        const web = planned.dualHomed.find((entry) => entry.name === "fx-web")!;
        assert.deepStrictEqual(web.attachments.find((attachment) => attachment.net === "bridge")!.aliases, ["web"]);
        assert.ok(planned.notes.some((note) => note.subject === "service fx-client" && /link fx-web:web \(docker-no-legacy-links\) is the alias web of fx-web on bridge/.test(note.text)));
    });

    it("writes a program that type-checks and previews with the engine's reachability between containers", async () => {
        const program = writeProgram(planned);
        assert.deepStrictEqual(programTypeErrors(program), [], program);
        const { status, document } = await previewProgram(program);
        assert.deepStrictEqual(document.violations.filter((violation) => violation.level === "mandatory"), [], program);
        assert.strictEqual(status, 0);
        const expected = sourcePairs(recorded, planned);
        assert.ok(expected.includes("fx-client -> fx-web"), expected.join("\n"));
        assert.deepStrictEqual(programPairs(document, planned), expected);
    });
});
