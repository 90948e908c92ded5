/**
 * `netguard audit` against an engine that is not there: exit 2 within a few
 * seconds, with a message that says where it looked and no stack trace.
 * Needs no engine, and sends nothing anywhere but this machine's loopback.
 */
import * as assert from "assert";
import { netguard } from "../../helpers/netguardCli";
import { ENGINE_TAG } from "./engine";

/** Runs the CLI and measures how long it took. */
function timed(args: string[], env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string; seconds: number } {
    const started = process.hrtime.bigint();
    const result = netguard(args, { env });
    return { ...result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

describe(`${ENGINE_TAG} netguard audit without an engine`, function () {
    this.timeout(120_000);
    // Starting node and loading the CLI takes its own time on a loaded machine: measure it, and allow a few seconds more.
    let baseline: number;
    before(() => {
        baseline = timed(["audit", "--help"], {}).seconds;
    });

    for (const [host, where, reason] of [
        ["unix:///nonexistent.sock", "unix:///nonexistent.sock", /ENOENT/],
        ["tcp://127.0.0.1:1", "tcp://127.0.0.1:1", /ECONNREFUSED/],
    ] as const) {
        it(`DOCKER_HOST=${host}: exit 2 within seconds, naming where it looked`, () => {
            for (const args of [["audit"], ["audit", "--json", "--probe"]]) {
                const result = timed(args, { DOCKER_HOST: host });
                assert.strictEqual(result.status, 2, result.stderr);
                assert.strictEqual(result.stdout, "");
                assert.ok(result.stderr.includes(`no Docker engine answers at ${where} (DOCKER_HOST)`), result.stderr);
                assert.match(result.stderr, reason);
                assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
                assert.ok(result.seconds < baseline + 5, `took ${result.seconds.toFixed(1)}s (CLI start alone ${baseline.toFixed(1)}s)`);
            }
        });
    }

    it("rejects a DOCKER_HOST scheme it cannot read, a unix:// without a path, and a malformed --label, with exit 2", () => {
        const ssh = netguard(["audit"], { env: { DOCKER_HOST: "ssh://user@host" } });
        assert.strictEqual(ssh.status, 2);
        assert.match(ssh.stderr, /DOCKER_HOST="ssh:\/\/user@host" uses a scheme netguard audit does not read/);
        const empty = netguard(["audit"], { env: { DOCKER_HOST: "unix://" } });
        assert.strictEqual(empty.status, 2);
        assert.match(empty.stderr, /DOCKER_HOST="unix:\/\/" names no absolute socket path/);
        const label = netguard(["audit", "--label", "=oops"], { env: { DOCKER_HOST: "unix:///nonexistent.sock" } });
        assert.strictEqual(label.status, 2);
        assert.match(label.stderr, /--label "=oops" is not a label filter/);
    });
});
