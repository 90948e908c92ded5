/**
 * Records every policy fixture a spec evaluates, with the pack config and our
 * verdicts, when NETGUARD_RECORD_FIXTURES names a folder. The engine
 * conformance tier replays them through the real Pulumi CLI's analyzer.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { RegisteredResource } from "../../policies/engineArgs";
import { Violation } from "../../policies/evaluate";

export const RECORD_FIXTURES_VARIABLE = "NETGUARD_RECORD_FIXTURES";

export interface RecordedFixture {
    /** The spec test that evaluated it. */
    readonly test: string;
    readonly resources: readonly RegisteredResource[];
    readonly packConfig: Record<string, unknown>;
    readonly violations: readonly Violation[];
}

let currentTest = "";
/** Set by the root hook below, so each fixture names the test it came from. */
export const mochaHooks = {
    beforeEach(this: { currentTest?: { fullTitle(): string } }) {
        currentTest = this.currentTest?.fullTitle() ?? "";
    },
};

export function recordFixture(resources: readonly RegisteredResource[], packConfig: Record<string, unknown>, violations: readonly Violation[]): void {
    const folder = process.env[RECORD_FIXTURES_VARIABLE];
    if (!folder) return;
    const fixture: RecordedFixture = { test: currentTest, resources, packConfig, violations };
    const text = JSON.stringify(fixture);
    // Named by content (less the test's title), so a fixture evaluated twice is recorded once.
    const key = createHash("sha256").update(JSON.stringify([resources, packConfig])).digest("hex").slice(0, 20);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `${key}.json`), text);
}
