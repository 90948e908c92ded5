/**
 * Published ports as the engine under test binds them on the host: each
 * case of test/helpers/hostBindingCases.ts run as written, its container's
 * bindings read back, and compared with the recording for this engine and
 * with what the model predicts (topology/hostBindings.ts).
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import { HOST_BINDING_CASES, HOST_BINDING_CONTAINER, predictedBindings } from "../../helpers/hostBindingCases";
import { commandResource } from "../../../oracle/predict";
import { policyResources } from "../../../policies/engineArgs";
import { readResources } from "../../../readers/pulumi/fromPulumi";
import { autoPortCollision } from "../../../topology/hostBindings";
import { docker } from "./dockerCli";
import { DockerEngine } from "../../../cli/commands/audit/engine/dockerEngine";
import { ENGINE_TAG, ENGINE_UNDER_TEST, TEST_LABEL, releaseDockerEngine, removeTestResources, useDockerEngine } from "./engine";

const SUITE = "netguard.test.suite=host-bindings";

/** The case's script with the suite's labels on everything it creates. */
function labelled(script: string): string {
    const labels = `--label ${TEST_LABEL.key}=${TEST_LABEL.value} --label ${SUITE}`;
    return script.replace(/^docker (network create|run|create) /gm, (line) => `${line}${labels} `);
}

function measuredBindings(): string[] {
    const ports = JSON.parse(docker("inspect", "--format", "{{json .NetworkSettings.Ports}}", HOST_BINDING_CONTAINER)) as Record<string, { HostIp: string; HostPort: string }[] | null> | null;
    return Object.entries(ports ?? {})
        .flatMap(([port, hosts]) => (hosts ?? []).filter((host) => host.HostPort !== "").map((host) => `${host.HostIp}|${host.HostPort}|${port}`))
        .sort();
}

describe(`${ENGINE_TAG} published ports as the engine binds them`, function () {
    let engine: DockerEngine;

    before(async function () {
        engine = await useDockerEngine(this);
    });

    // Each case names its container and networks alike: the last one's must be gone.
    afterEach(async function () {
        this.timeout(120_000);
        await removeTestResources(engine.docker, SUITE);
    });

    after(async function () {
        this.timeout(120_000);
        await releaseDockerEngine(SUITE);
    });

    it("two bindings of one port that leave the host port to Docker, on overlapping addresses: 28+ refuses the start, 20.10 starts it; the model says which", () => {
        const variants = ["-p 80 -p 127.0.0.1::80", "-p 80 -p 80", "-p 127.0.0.1::80 -p [::1]::80", "-p 127.0.0.1::80 -p 127.0.0.2::80"];
        for (const ports of variants) {
            const script = `docker network create --subnet 10.236.20.0/24 ngb-plain\ndocker create --name ${HOST_BINDING_CONTAINER} --network ngb-plain ${ports} netguard-probe:local`;
            const created = spawnSync("sh", ["-ec", labelled(script)], { encoding: "utf8", timeout: 120_000 });
            assert.strictEqual(created.status, 0, `the script failed: ${created.stderr}`);
            const started = spawnSync("docker", ["start", HOST_BINDING_CONTAINER], { encoding: "utf8", timeout: 120_000 });
            const { topology } = readResources(policyResources([commandResource(script)]), ENGINE_UNDER_TEST);
            const container = topology.containers.find((c) => c.dockerName === HOST_BINDING_CONTAINER)!;
            assert.strictEqual(started.status === 0, autoPortCollision(container, topology) === undefined, `${ports}: ${started.stderr}`);
            spawnSync("docker", ["rm", "-f", HOST_BINDING_CONTAINER]);
            spawnSync("docker", ["network", "rm", "ngb-plain"]);
        }
    });

    for (const { title, script, measured } of HOST_BINDING_CASES) {
        it(title, () => {
            const result = spawnSync("sh", ["-ec", labelled(script)], { encoding: "utf8", timeout: 120_000 });
            assert.strictEqual(result.status, 0, `the script failed: ${result.stderr}`);
            const bound = measuredBindings();
            assert.deepStrictEqual(bound, [...measured[ENGINE_UNDER_TEST]].sort(), "the recording");
            assert.deepStrictEqual(predictedBindings(script, ENGINE_UNDER_TEST), bound, "the model");
        });
    }
});
