/**
 * How `audit --probe` grows with the number of containers: 4, 8 and 16
 * containers over two networks (half on each, one dual-homed between them),
 * probed by the CLI as a user would. Prints the times; fails when the probe
 * of 16 stops being parallel (a serial probe would take minutes) or when the
 * measurement and the prediction disagree.
 */
import * as assert from "assert";
import { auditJson, docker, testLabels } from "./dockerCli";
import { ENGINE_TAG, PROBE_IMAGE, releaseDockerEngine, useDockerEngine } from "./engine";

const SUITE = "netguard.test.suite=probe-scaling";
const labels = testLabels(SUITE);
const SIZES = [4, 8, 16];
/** Generous: containers are probed 8 at a time, each with all its pings in parallel (1s timeout). */
const MAX_PROBE_SECONDS_FOR_16 = 60;

describe(`${ENGINE_TAG} probe time by container count`, function () {
    const timings: { containers: number; pairs: number; probeSeconds: number; auditSeconds: number }[] = [];

    before(async function () {
        await useDockerEngine(this);
        docker("network", "create", ...labels, "--subnet", "10.231.16.0/24", "--gateway", "10.231.16.1", "ngs-left");
        docker("network", "create", ...labels, "--subnet", "10.231.17.0/24", "--gateway", "10.231.17.1", "ngs-right");
    });

    after(async function () {
        this.timeout(5 * 60_000);
        if (timings.length > 0) {
            process.stdout.write(
                `\n      probe time by container count (audit --probe, wall clock of the CLI in brackets):\n` +
                    timings.map((t) => `        ${String(t.containers).padStart(2)} containers, ${String(t.pairs).padStart(3)} pairs: ${t.probeSeconds.toFixed(1)}s (${t.auditSeconds.toFixed(1)}s)`).join("\n") +
                    "\n",
            );
        }
        await releaseDockerEngine(SUITE);
    });

    let created = 0;
    for (const size of SIZES) {
        it(`${size} containers: measured = predicted`, function () {
            this.timeout(10 * 60_000);
            for (; created < size; created++) {
                const name = `ngs-${String(created).padStart(2, "0")}`;
                docker("run", "-d", "--name", name, ...labels, "--network", created % 2 === 0 ? "ngs-left" : "ngs-right", PROBE_IMAGE);
                if (created === 0) docker("network", "connect", "ngs-right", name);
            }
            const started = process.hrtime.bigint();
            const audit = auditJson(SUITE, ["--probe"]);
            const auditSeconds = Number(process.hrtime.bigint() - started) / 1e9;
            const { predicted, measured, mismatches, probe } = audit.doc.reachability;
            assert.ok(measured && probe, audit.stderr);
            assert.deepStrictEqual(mismatches, []);
            assert.deepStrictEqual(measured, predicted);
            assert.deepStrictEqual(probe.probed.filter((name) => name !== "@host").length, size, "every container, and the host itself when probing from it");
            timings.push({ containers: size, pairs: measured.length, probeSeconds: probe.durationMs / 1000, auditSeconds });
            if (size === 16) assert.ok(probe.durationMs / 1000 < MAX_PROBE_SECONDS_FOR_16, `16 containers took ${probe.durationMs / 1000}s`);
        });
    }
});
