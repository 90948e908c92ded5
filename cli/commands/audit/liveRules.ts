/**
 * Runs the pack's rules on a live topology: each rule that live state can
 * judge, straight on the topology (no CrossGuard engine in between), with the
 * pack's config applied as `pulumi preview --policy-pack-config` would.
 */
import { Violation } from "../../../policies/evaluate";
import { judgeTopology } from "../../../policies/judgeTopology";
import { rules } from "../../../policies/pack";
import { PackConfig, PolicyConfigError } from "../../../policies/policyConfig";
import { Rule } from "../../../policies/rule";
import { Topology } from "../../../topology/model";
import { UserError } from "../../errors";
import { NotJudged } from "../../../document/auditDocument";

export interface LiveJudgement {
    readonly violations: Violation[];
    /** Names of the rules that ran (disabled ones did not). */
    readonly judged: string[];
    readonly notJudged: NotJudged[];
}

/** Judges the topology with every live-capable rule; names go out as the topology has them (Docker names). */
export function judgeLiveState(topology: Topology, config: PackConfig, pack: readonly Rule<object>[] = rules): LiveJudgement {
    try {
        const { violations, judged, skipped } = judgeTopology(topology, config, (rule) => rule.judgesLiveState, pack);
        return { violations, judged, notJudged: skipped.map((rule) => ({ policy: rule.name, description: rule.description })) };
    } catch (err) {
        if (err instanceof PolicyConfigError) throw new UserError(err.message);
        throw err;
    }
}
