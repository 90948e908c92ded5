/**
 * The example stack on a real engine, for the conformance specs of each of
 * its stacks: `preview` collects its networks and workloads, the test deploy
 * harness creates them (see oracle/deployProgram.ts), and `audit --probe` reads
 * them back. Call inside a `describe`: it registers the hooks that deploy
 * before the suite and clean up after it.
 */
import * as assert from "assert";
import { AuditDocument } from "../../../document/auditDocument";
import { PreviewDocument } from "../../../document/previewDocument";
import { ReachablePair } from "../../../topology/reachability";
import { HOST_NODE_NAME } from "../../../topology/hostNode";
import { netguardJson } from "../../helpers/netguardCli";
import { deployPreview } from "../../../oracle/deployProgram";
import { auditJson } from "./dockerCli";
import { PROBE_IMAGE, TEST_LABEL, releaseDockerEngine, useDockerEngine, useSwarmManager } from "./engine";

export interface DeployedExample {
    /** `netguard preview --json` of the stack. */
    readonly preview: PreviewDocument;
    /** `netguard audit --json --probe` of what was deployed, scoped to the suite's label. */
    readonly audit: { status: number | null; doc: AuditDocument; stderr: string };
    /** Preview's logical name for a Docker name. */
    logical(dockerName: string): string;
    /** Audited pairs (Docker names) in preview's logical names. */
    inLogicalNames(pairs: ReachablePair[]): ReachablePair[];
}

/** Deploys the example's `stack` before the suite (on a swarm manager when `swarm`); the result is filled in by then. */
export function deployExampleStack(stack: string, options: { swarm: boolean }): DeployedExample {
    const suite = `netguard.test.suite=example-${stack}`;
    const state: { preview?: PreviewDocument; audit?: DeployedExample["audit"] } = {};
    const example: DeployedExample = {
        get preview() {
            assert.ok(state.preview, "the example was not deployed");
            return state.preview;
        },
        get audit() {
            assert.ok(state.audit, "the example was not audited");
            return state.audit;
        },
        logical(dockerName) {
            if (dockerName === HOST_NODE_NAME) return dockerName; // the Docker host has one name in both documents
            const entry = [...example.preview.containers, ...example.preview.networks].find((e) => e.dockerName === dockerName);
            assert.ok(entry, `no preview entry has Docker name ${dockerName}`);
            return entry.name;
        },
        inLogicalNames: (pairs) =>
            pairs.map((p) => ({ from: example.logical(p.from), to: example.logical(p.to), networks: p.networks.map(example.logical), byName: p.byName })),
    };

    before(async function () {
        const engine = await useDockerEngine(this);
        if (options.swarm) await useSwarmManager(engine);
        const previewed = netguardJson<PreviewDocument>(["preview", "index.ts", "--stack", stack]);
        assert.strictEqual(previewed.status, 0, previewed.stderr);
        state.preview = previewed.doc;
        const [key, value] = suite.split("=");
        await deployPreview(engine.docker, previewed.doc, { image: PROBE_IMAGE, labels: { [TEST_LABEL.key]: TEST_LABEL.value, [key]: value } });
        state.audit = auditJson(suite, ["--probe"]);
    });

    after(async function () {
        this.timeout(5 * 60_000);
        await releaseDockerEngine(suite);
    });
    return example;
}
