/**
 * The example stack (index.ts) on a real engine: the networks and containers
 * `preview` collects, created the way the Docker provider would (see
 * oracle/deployProgram.ts), then audited. Live state must pass every rule, and the
 * measured reachability must be the one `preview` predicted for the program.
 */
import * as assert from "assert";
import { cidrContainsIp, parseCidr, parseIp } from "../../../addressing/cidr";
import { deployExampleStack } from "./deployedExample";
import { ENGINE_TAG } from "./engine";

describe(`${ENGINE_TAG} the example stack deployed`, function () {
    const example = deployExampleStack("dev", { swarm: false });
    const { logical, inLogicalNames } = example;

    it("passes every rule live state can judge: no violation, exit 0", () => {
        assert.deepStrictEqual(example.audit.doc.violations, []);
        assert.strictEqual(example.audit.status, 0, example.audit.stderr);
    });

    it("has exactly the previewed networks and containers, addresses and aliases included", () => {
        const networks = example.audit.doc.networks.map((n) => ({ ...n, name: logical(n.name) }));
        assert.deepStrictEqual(
            networks.sort((a, b) => a.name.localeCompare(b.name)),
            [...example.preview.networks].sort((a, b) => a.name.localeCompare(b.name)),
        );
        for (const expected of example.preview.containers) {
            const live = example.audit.doc.containers.find((c) => c.name === expected.dockerName);
            assert.ok(live?.running, `${expected.dockerName} runs`);
            assert.strictEqual(live.dualHomed, expected.dualHomed, expected.name);
            // Docker lists a container's networks by name, the program in its own order.
            const byNetwork = (a: { network: string }, b: { network: string }) => a.network.localeCompare(b.network);
            const liveAttachments = live.attachments.map((a) => ({ ...a, network: logical(a.network) })).sort(byNetwork);
            const expectedAttachments = [...expected.attachments].sort(byNetwork);
            assert.deepStrictEqual(
                liveAttachments.map((a) => ({ network: a.network, aliases: a.aliases })),
                expectedAttachments.map((a) => ({ network: a.network, aliases: a.aliases })),
                expected.name,
            );
            // Static addresses are the ones asked for; the others are Docker's to give.
            expectedAttachments.forEach((a, i) => {
                const address = liveAttachments[i].ipv4Address;
                if (a.ipv4Address) assert.strictEqual(address, a.ipv4Address, expected.name);
                const ipRange = example.preview.networks.find((n) => n.name === a.network)?.ipRange;
                if (!a.ipv4Address && ipRange) assert.ok(address && cidrContainsIp(parseCidr(ipRange), parseIp(address)), `${expected.name}: ${address} in ${ipRange}`);
            });
        }
        assert.strictEqual(example.audit.doc.containers.length, example.preview.containers.length);
    });

    it("probes every container and measures what preview predicted for the program", () => {
        const { measured, mismatches, probe, predicted } = example.audit.doc.reachability;
        assert.ok(measured && mismatches && probe);
        assert.deepStrictEqual(probe.notProbed, []);
        assert.deepStrictEqual(mismatches, []);
        // The Docker host (`@host`) included: the preview predicts its pairs too.
        assert.ok(predicted.some((pair) => pair.from === "@host"));
        assert.deepStrictEqual(inLogicalNames(predicted), example.preview.reachability, "the live prediction equals preview's");
        assert.deepStrictEqual(inLogicalNames(measured), example.preview.reachability, "the measurement equals preview's prediction");
        assert.deepStrictEqual(measured, predicted, "from the host's side, @host measured too");
    });
});
