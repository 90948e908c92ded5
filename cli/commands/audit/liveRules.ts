/**
 * Runs the pack's rules on a live topology: each rule that live state can
 * judge, straight on the topology (no CrossGuard engine in between), with the
 * pack's config applied as `pulumi preview --policy-pack-config` would.
 */
import { Violation, effectiveLevel } from "../../../policies/evaluate";
import { rules } from "../../../policies/pack";
import { PackConfig, PolicyConfigError } from "../../../policies/policyConfig";
import { readRuleSettings } from "../../../policies/policySettings";
import { Rule, defaultLevelOf } from "../../../policies/rule";
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
    const violations: Violation[] = [];
    const judged: string[] = [];
    const notJudged: NotJudged[] = [];
    for (const rule of pack) {
        if (!rule.judgesLiveState) {
            notJudged.push({ policy: rule.name, description: rule.description });
            continue;
        }
        const level = effectiveLevel(config.get(rule.name)?.enforcementLevel, defaultLevelOf(rule));
        if (level === "disabled") continue;
        let ruleConfig: object;
        try {
            ruleConfig = readRuleSettings(rule, { ...config.get(rule.name)?.settings });
        } catch (err) {
            if (err instanceof PolicyConfigError) throw new UserError(err.message);
            throw err;
        }
        judged.push(rule.name);
        for (const finding of rule.check(topology, ruleConfig)) {
            violations.push({ policy: rule.name, level, resource: finding.subject.resource ?? null, name: finding.subject.name, message: finding.message });
        }
    }
    return { violations, judged, notJudged };
}
