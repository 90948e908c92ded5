/**
 * The example stack on a swarm (`index.ts` with `Pulumi.swarm.yaml`: every
 * net an overlay, every member a service, `api` a DualHomedService) on a
 * real single-node swarm: the overlay networks and services `preview
 * --stack swarm` collects, created the way the Docker provider would (see
 * oracle/deployProgram.ts), then audited with probes from every task. Live state
 * must pass every rule, and the measured reachability — by service name
 * and by `tasks.<name>` — must be the one `preview` predicted.
 */
import * as assert from "assert";
import { cidrContainsIp, parseCidr, parseIp } from "../../../addressing/cidr";
import { deployExampleStack } from "./deployedExample";
import { ENGINE_TAG } from "./engine";

describe(`${ENGINE_TAG} the example stack deployed on a swarm`, function () {
    const example = deployExampleStack("swarm", { swarm: true });
    const { logical, inLogicalNames } = example;

    it("previews overlay networks and services", () => {
        assert.ok(example.preview.networks.length > 0 && example.preview.networks.every((n) => n.scope === "swarm" && n.driver === "overlay"), JSON.stringify(example.preview.networks));
        assert.ok(example.preview.containers.length > 0 && example.preview.containers.every((c) => c.kind === "service"), JSON.stringify(example.preview.containers.map((c) => [c.name, c.kind])));
        assert.ok(example.preview.containers.some((c) => c.dualHomed), "the api is a DualHomedService");
    });

    it("passes every rule live state can judge: no violation, exit 0", () => {
        assert.deepStrictEqual(example.audit.doc.violations, []);
        assert.strictEqual(example.audit.status, 0, example.audit.stderr);
        assert.deepStrictEqual(example.audit.doc.warnings, []);
    });

    it("has exactly the previewed overlay networks and services, tasks running inside the subnets", () => {
        const networks = example.audit.doc.networks.map((n) => ({ ...n, name: logical(n.name) }));
        assert.deepStrictEqual(
            networks.sort((a, b) => a.name.localeCompare(b.name)),
            [...example.preview.networks].sort((a, b) => a.name.localeCompare(b.name)),
        );
        for (const expected of example.preview.containers) {
            const live = example.audit.doc.containers.find((c) => c.name === expected.dockerName);
            assert.ok(live?.running, `${expected.dockerName} runs`);
            assert.deepStrictEqual([live.kind, live.replicas, live.dualHomed], [expected.kind, expected.replicas, expected.dualHomed], expected.name);
            const byNetwork = (a: { network: string }, b: { network: string }) => a.network.localeCompare(b.network);
            assert.deepStrictEqual(
                live.attachments.map((a) => ({ network: logical(a.network), aliases: [...a.aliases].sort() })).sort(byNetwork),
                expected.attachments.map((a) => ({ network: a.network, aliases: [...a.aliases].sort() })).sort(byNetwork),
                expected.name,
            );
            const tasks = live.tasks ?? [];
            assert.strictEqual(tasks.filter((t) => t.state === "running").length, expected.replicas ?? 1, `${expected.name}: every replica runs`);
            for (const task of tasks) {
                for (const attachment of task.attachments) {
                    const subnet = example.preview.networks.find((n) => n.name === logical(attachment.network))?.subnet;
                    assert.ok(subnet && attachment.ipv4Address && cidrContainsIp(parseCidr(subnet), parseIp(attachment.ipv4Address)), `${task.name}: ${attachment.ipv4Address} in ${subnet}`);
                }
            }
        }
        assert.strictEqual(example.audit.doc.containers.length, example.preview.containers.length);
    });

    it("probes every task and measures what preview predicted: by service name and tasks.<name>", () => {
        const { measured, mismatches, probe, predicted } = example.audit.doc.reachability;
        assert.ok(measured && mismatches && probe);
        assert.deepStrictEqual(probe.notProbed, []);
        assert.deepStrictEqual(mismatches, []);
        // Overlays have no route from the host: no `@host` pair, predicted or measured.
        assert.deepStrictEqual(predicted.filter((pair) => pair.from === "@host"), []);
        assert.ok(example.preview.reachability.length > 0 && example.preview.reachability.every((pair) => pair.byName), "overlay members reach each other by name");
        assert.deepStrictEqual(inLogicalNames(predicted), example.preview.reachability, "the live prediction equals preview's");
        assert.deepStrictEqual(inLogicalNames(measured), example.preview.reachability, "the measurement equals preview's prediction");
    });
});
