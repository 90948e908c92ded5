/**
 * A container without a shell cannot be probed from inside (exec): audit
 * says so and claims nothing for it, while the others still measure their
 * way to it. From the host's side of its namespace it is probed like any.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AuditDocument } from "../../../document/auditDocument";
import { DockerEngine } from "../../../cli/commands/audit/engine/dockerEngine";
import { auditJson, docker, testLabels } from "./dockerCli";
import { ENGINE_TAG, PROBE_IMAGE, TEST_LABEL, releaseDockerEngine, removeTestResources, useDockerEngine } from "./engine";

const SUITE = "netguard.test.suite=unprobeable";
const NO_SHELL_IMAGE = "netguard-noshell:test";
const labels = testLabels(SUITE);

/** An image holding only a static busybox, without applet links: no `sh`, no `ping` on PATH. */
function buildNoShellImage(): void {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-noshell-"));
    try {
        fs.mkdirSync(path.join(root, "bin"));
        fs.copyFileSync("/bin/busybox", path.join(root, "bin", "busybox"));
        fs.chmodSync(path.join(root, "bin", "busybox"), 0o755);
        const tar = spawnSync("tar", ["--numeric-owner", "--owner=0", "--group=0", "-C", root, "-cf", "-", "."], { maxBuffer: 64 << 20 });
        assert.strictEqual(tar.status, 0, String(tar.stderr));
        const imported = spawnSync(
            "docker",
            ["import", "--change", `LABEL ${TEST_LABEL.key}=${TEST_LABEL.value}`, "--change", 'CMD ["/bin/busybox", "sleep", "3600"]', "-", NO_SHELL_IMAGE],
            { input: tar.stdout, encoding: "utf8" },
        );
        assert.strictEqual(imported.status, 0, imported.stderr);
    } finally {
        fs.rmSync(root, { recursive: true, force: true });
    }
}

describe(`${ENGINE_TAG} containers that cannot be probed`, function () {
    let engine: DockerEngine;
    let audit: { status: number | null; doc: AuditDocument; stderr: string };
    let fromHost: { status: number | null; doc: AuditDocument; stderr: string };

    before(async function () {
        engine = await useDockerEngine(this);
        buildNoShellImage();
        docker("network", "create", ...labels, "--subnet", "10.231.9.0/24", "--gateway", "10.231.9.1", "ngu-net");
        for (const name of ["ngu-a", "ngu-b"]) docker("run", "-d", "--name", name, ...labels, "--network", "ngu-net", PROBE_IMAGE);
        docker("run", "-d", "--name", "ngu-noshell", ...labels, "--network", "ngu-net", NO_SHELL_IMAGE);
        audit = auditJson(SUITE, ["--probe", "--probe-method", "exec"]);
        fromHost = auditJson(SUITE, ["--probe"]);
    });

    after(async function () {
        this.timeout(5 * 60_000);
        if (engine) {
            await removeTestResources(engine.docker, SUITE);
            await engine.docker.getImage(NO_SHELL_IMAGE).remove({ force: true }).catch(() => undefined);
        }
        await releaseDockerEngine(SUITE);
    });

    it("probes the shell-less, ping-less container from the host (the default as root on the engine's host)", () => {
        const { probe, measured, mismatches } = fromHost.doc.reachability;
        assert.strictEqual(probe?.method, "host", fromHost.stderr);
        assert.deepStrictEqual(probe?.probed, ["@host", "ngu-a", "ngu-b", "ngu-noshell"]);
        assert.deepStrictEqual(probe?.notProbed, []);
        assert.deepStrictEqual(mismatches, []);
        assert.deepStrictEqual(
            measured?.filter((p) => p.from === "ngu-noshell"),
            ["ngu-a", "ngu-b"].map((to) => ({ from: "ngu-noshell", to, networks: ["ngu-net"], byName: true })),
        );
    });

    it("by exec, reports the shell-less container as not probed, with the reason", () => {
        assert.deepStrictEqual(audit.doc.reachability.probe?.notProbed, [{ container: "ngu-noshell", reason: "has no shell (sh) to run the probe in" }]);
        assert.deepStrictEqual(audit.doc.reachability.probe?.probed, ["ngu-a", "ngu-b"]);
    });

    it("measures nothing from it, everything to it, and finds no mismatch", () => {
        const { measured, mismatches } = audit.doc.reachability;
        assert.deepStrictEqual(mismatches, []);
        assert.ok(!measured?.some((p) => p.from === "ngu-noshell"));
        assert.deepStrictEqual(
            measured?.filter((p) => p.to === "ngu-noshell"),
            ["ngu-a", "ngu-b"].map((from) => ({ from, to: "ngu-noshell", networks: ["ngu-net"], byName: true })),
        );
        assert.strictEqual(audit.status, 0, audit.stderr);
    });
});
