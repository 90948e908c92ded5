/**
 * The pack's configuration checked as strictly as enforcement levels: every
 * setting must be one the policy declares (the `properties` of its
 * `configSchema`), and every policy's settings must read (globs compile,
 * CIDRs parse, lists are lists). `netguard preview` and `audit` call this
 * before running anything, so a typo is exit 2, never silently ignored.
 */
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { editDistance } from "../text/editDistance";
import { excerpt } from "../text/excerpt";
import { EngineSemantics, parseSemantics } from "../topology/engineSemantics";
import { PackConfig, PolicyConfigError, readPackConfig } from "./policyConfig";
import { Rule } from "./rule";

/** The setting names a rule declares. */
export function settingNames(rule: Rule<object>): string[] {
    return Object.keys(rule.configSchema?.properties ?? {});
}

/**
 * The one setting every policy takes besides its own: the Docker whose
 * semantics judge the stack, `"20"` (20.10) or `"29"` (28 and 29, the
 * default). `netguard preview --docker-version` sets it for every policy.
 */
export const DOCKER_VERSION_SETTING = "dockerVersion";

/** The JSON Schema of {@link DOCKER_VERSION_SETTING}, added to every policy's `configSchema`. */
export const DOCKER_VERSION_SCHEMA: PolicyConfigJSONSchema = {
    type: "string",
    enum: ["20", "29"],
    description: "the Docker whose semantics judge: 20 (20.10) or 29 (28 and 29; the default)",
};

/** The semantics a policy's raw settings ask for, if any; throws {@link PolicyConfigError} for another value. */
export function readDockerVersionSetting(rule: Rule<object>, raw: Record<string, unknown>): EngineSemantics | undefined {
    const value = raw[DOCKER_VERSION_SETTING];
    if (value === undefined) return undefined;
    const semantics = typeof value === "string" ? parseSemantics(value) : undefined;
    if (semantics === undefined) {
        throw new PolicyConfigError(`policy ${rule.name}: setting "${DOCKER_VERSION_SETTING}" = ${excerpt(value, { length: 40 })} is not a Docker netguard knows: use "20" (20.10) or "29" (28 and 29)`);
    }
    return semantics;
}

/**
 * The pack's config with `semantics` (the preview's `--docker-version`, the
 * stack's setting or the default) as every named policy's `dockerVersion`,
 * unless the config names one for it: what a preview judges a program or a
 * Compose project with.
 */
export function withDockerVersion(config: PackConfig, semantics: EngineSemantics, names: readonly string[]): PackConfig {
    return new Map(
        names.map((name) => {
            const entry = config.get(name);
            return [name, { ...entry, settings: { [DOCKER_VERSION_SETTING]: semantics, ...entry?.settings } }];
        }),
    );
}

/** Throws {@link PolicyConfigError} for a setting the rule does not declare. */
function checkNames(rule: Rule<object>, settings: Record<string, unknown>): void {
    const known = settingNames(rule);
    for (const [name, value] of Object.entries(settings)) {
        if (known.includes(name) || name === "enforcementLevel" || name === DOCKER_VERSION_SETTING) continue;
        const setting = `policy ${rule.name}: setting ${excerpt(name)} = ${excerpt(value, { length: 80 })}`;
        if (known.length === 0) {
            throw new PolicyConfigError(`${setting}: this policy takes no settings (only "enforcementLevel")`);
        }
        const near = known.find((candidate) => editDistance(candidate, name) <= Math.max(1, Math.floor(candidate.length / 3)));
        throw new PolicyConfigError(
            `${setting} is not a setting of this policy${near ? `; did you mean "${near}"?` : ""} (its settings: ${known.map((k) => `"${k}"`).join(", ")}, and "enforcementLevel")`,
        );
    }
}

/**
 * A rule's config from its raw settings, refusing settings it does not
 * declare: what every adapter (CrossGuard, preview, audit) reads settings
 * through. Throws {@link PolicyConfigError}.
 */
export function readRuleSettings<Config extends object>(rule: Rule<Config>, raw: Record<string, unknown>): Config {
    checkNames(rule as Rule<object>, raw);
    readDockerVersionSetting(rule as Rule<object>, raw);
    const { enforcementLevel: _level, [DOCKER_VERSION_SETTING]: _docker, ...settings } = raw;
    return rule.readConfig(settings);
}

/**
 * A setting that made the rule's reader fail in a way it did not foresee
 * (say, a glob its compiler rejects): found by reading one setting at a
 * time, so that the message can still name it and its value.
 */
function unreadableSetting(rule: Rule<object>, settings: Record<string, unknown>, err: unknown): PolicyConfigError {
    const reason = err instanceof Error ? err.message : String(err);
    const culprit = Object.entries(settings).find(([name, value]) => {
        try {
            rule.readConfig({ [name]: value });
            return false;
        } catch {
            return true;
        }
    });
    const what = culprit ? `setting ${excerpt(culprit[0])} = ${excerpt(culprit[1], { length: 80 })}` : `settings ${excerpt(settings, { length: 80 })}`;
    return new PolicyConfigError(`policy ${rule.name}: ${what} cannot be read: ${reason}`);
}

/**
 * Reads the JSON of `--policy-config` / `--policy-pack-config` and checks
 * every setting of every policy; throws {@link PolicyConfigError} naming the
 * policy, the setting and the value.
 */
export function readCheckedPackConfig(raw: unknown, rules: readonly Rule<object>[]): PackConfig {
    const config = readPackConfig(raw, rules.map((rule) => rule.name));
    if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) {
        const all = (raw as Record<string, unknown>).all;
        if (all !== null && typeof all === "object" && !Array.isArray(all)) {
            const extra = Object.keys(all).find((key) => key !== "enforcementLevel");
            if (extra !== undefined) {
                throw new PolicyConfigError(
                    `policy config "all": setting ${excerpt(extra)} = ${excerpt((all as Record<string, unknown>)[extra], { length: 80 })}: "all" takes only "enforcementLevel"; put settings under the policy they belong to`,
                );
            }
        }
    }
    for (const rule of rules) {
        const settings = config.get(rule.name)?.settings ?? {};
        try {
            readRuleSettings(rule, { ...settings });
        } catch (err) {
            if (err instanceof PolicyConfigError) throw err;
            throw unreadableSetting(rule, settings, err);
        }
    }
    return config;
}
