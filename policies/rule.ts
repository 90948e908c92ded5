/**
 * The rule core: every policy of the pack is one {@link Rule}, a pure function
 * over the normalized topology. The CrossGuard adapter (`crossguard.ts`), the
 * offline preview and the live audit all run these same functions.
 */
// Deep import on purpose: docker-netguard/policies' declarations reach this file, and
// "@pulumi/policy" itself resolves to its index.d.ts, which re-exports from a proxy.d.ts that
// does not type-check in 1.21 (TS2305) under a consumer's tsconfig without skipLibCheck.
// policy.d.ts declares the same types (index.d.ts re-exports them), so they stay identical.
import type { PolicyConfigSchema } from "@pulumi/policy/policy";
import { ContainerNode, NetworkNode, Topology } from "../topology/model";
import { excerpt } from "../text/excerpt";
import { PolicyConfigError } from "./policyConfig";
import { RuleDoc } from "./ruleDoc";

/** One violation found by a rule. */
export interface Finding {
    /** The container or network the violation is reported on. */
    readonly subject: ContainerNode | NetworkNode;
    /** What is wrong, on which resource, and how to fix it. */
    readonly message: string;
}

export type RuleScope = "resource" | "stack";

export interface Rule<Config extends object = object> {
    /** The policy name, `docker-<check>`. */
    readonly name: string;
    /** The CrossGuard description: always `doc.summary` (a test checks it). */
    readonly description: string;
    /** What the policy requires and why, with examples: its page, the README's table and the pack's description are generated from it. */
    readonly doc: RuleDoc;
    /** `resource`: judges each resource on its own; `stack`: needs the whole stack. */
    readonly scope: RuleScope;
    /** JSON schema of the policy's own settings, as CrossGuard expects it. */
    readonly configSchema?: PolicyConfigSchema;
    /** Turns the policy's raw settings (defaults applied here) into its config; throws {@link PolicyConfigError}. */
    readonly readConfig: (raw: Record<string, unknown>) => Config;
    /** The level when the pack's config names none; {@link DEFAULT_ENFORCEMENT_LEVEL} unless set. */
    readonly defaultLevel?: "mandatory" | "advisory";
    /** False when live Docker state cannot judge it (`netguard audit` says so instead of running it). */
    readonly judgesLiveState: boolean;
    // A method (not a function property) so that a Rule<SpecificConfig> is a Rule<object> in lists.
    check(topology: Topology, config: Config): Finding[];
}

/** Every policy of the pack is mandatory unless the pack's config (or the rule's own `defaultLevel`) says otherwise. */
export const DEFAULT_ENFORCEMENT_LEVEL = "mandatory" as const;

/** The level a rule has when the pack's config names none. */
export function defaultLevelOf(rule: Rule<object>): "mandatory" | "advisory" {
    return rule.defaultLevel ?? DEFAULT_ENFORCEMENT_LEVEL;
}

/** Reads an optional string-array setting, with a default. */
export function stringListSetting(policy: string, raw: Record<string, unknown>, field: string, fallback: string[]): string[] {
    const value = raw[field];
    if (value === undefined) return fallback;
    if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
        throw new PolicyConfigError(`policy ${policy}: setting "${field}" must be a list of strings, got ${excerpt(value)}`);
    }
    return value as string[];
}

/** For rules without settings. */
export function noSettings(): Record<string, never> {
    return {};
}
