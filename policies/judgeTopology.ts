/**
 * Runs the pack's rules straight on a topology (no CrossGuard engine in
 * between), with the pack's config applied as `pulumi preview
 * --policy-pack-config` would: for sources that are no Pulumi program (a live
 * engine, a Compose project). Throws {@link PolicyConfigError} for bad settings.
 */
import { Violation, effectiveLevel } from "./evaluate";
import { rules } from "./pack";
import { PackConfig } from "./policyConfig";
import { readDockerVersionSetting, readRuleSettings } from "./policySettings";
import { Rule, defaultLevelOf } from "./rule";
import { EngineSemantics } from "../topology/engineSemantics";
import { Topology } from "../topology/model";

export interface TopologyJudgement {
    readonly violations: Violation[];
    /** Names of the rules that ran (disabled ones did not). */
    readonly judged: string[];
    /** The rules `applies` left out. */
    readonly skipped: Rule<object>[];
}

/**
 * `topology`: one topology for every rule, or (as the CrossGuard adapter
 * reads a stack) the topology as each rule's `dockerVersion` setting asks.
 */
export function judgeTopology(
    topology: Topology | ((semantics: EngineSemantics | undefined) => Topology),
    config: PackConfig,
    applies: (rule: Rule<object>) => boolean = () => true,
    pack: readonly Rule<object>[] = rules,
): TopologyJudgement {
    const violations: Violation[] = [];
    const judged: string[] = [];
    const skipped: Rule<object>[] = [];
    for (const rule of pack) {
        if (!applies(rule)) {
            skipped.push(rule);
            continue;
        }
        const level = effectiveLevel(config.get(rule.name)?.enforcementLevel, defaultLevelOf(rule));
        if (level === "disabled") continue;
        const raw = { ...config.get(rule.name)?.settings };
        const ruleConfig = readRuleSettings(rule, raw);
        judged.push(rule.name);
        const judgedTopology = typeof topology === "function" ? topology(readDockerVersionSetting(rule, raw)) : topology;
        for (const finding of rule.check(judgedTopology, ruleConfig)) {
            violations.push({ policy: rule.name, level, resource: finding.subject.resource ?? null, name: finding.subject.name, message: finding.message });
        }
    }
    return { violations, judged, skipped };
}
