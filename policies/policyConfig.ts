/**
 * The pack's configuration, in the format of `pulumi preview
 * --policy-pack-config`: keys are policy names (or `all`), values an
 * enforcement level or an object with `enforcementLevel` and the policy's
 * own settings. Policy-specific keys win over `all`.
 */
import { EnforcementLevel } from "@pulumi/policy";

export interface PolicySettings {
    readonly enforcementLevel?: EnforcementLevel;
    /** The policy's own settings (everything but `enforcementLevel`). */
    readonly settings: Record<string, unknown>;
}

export type PackConfig = ReadonlyMap<string, PolicySettings>;

const LEVELS: readonly string[] = ["advisory", "mandatory", "remediate", "disabled"];

/**
 * Bad policy configuration: the pack's config (a key, an enforcement level)
 * or one policy's settings (the rule's `readConfig`). The message names the
 * policy, the setting and the value; the CLI shows it as a usage error.
 */
export class PolicyConfigError extends Error {}

function readEntry(key: string, value: unknown): PolicySettings {
    if (typeof value === "string") {
        if (!LEVELS.includes(value)) {
            throw new PolicyConfigError(`policy config "${key}": "${value}" is not an enforcement level (${LEVELS.join(", ")})`);
        }
        return { enforcementLevel: value as EnforcementLevel, settings: {} };
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new PolicyConfigError(`policy config "${key}": expected an enforcement level or an object, got ${JSON.stringify(value)}`);
    }
    const { enforcementLevel, ...settings } = value as Record<string, unknown>;
    if (enforcementLevel !== undefined && (typeof enforcementLevel !== "string" || !LEVELS.includes(enforcementLevel))) {
        throw new PolicyConfigError(
            `policy config "${key}": enforcementLevel ${JSON.stringify(enforcementLevel)} is not one of ${LEVELS.join(", ")}`,
        );
    }
    return { enforcementLevel: enforcementLevel as EnforcementLevel | undefined, settings };
}

/**
 * Parses the JSON document and checks every key names a known policy.
 * The result has one entry per policy that the document configures.
 */
export function readPackConfig(raw: unknown, policyNames: readonly string[]): PackConfig {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        throw new PolicyConfigError(`policy config must be a JSON object keyed by policy name, got ${JSON.stringify(raw)}`);
    }
    const entries = Object.entries(raw as Record<string, unknown>);
    for (const [key] of entries) {
        if (key !== "all" && !policyNames.includes(key)) {
            throw new PolicyConfigError(`policy config names "${key}", which is not a policy of this pack (${policyNames.join(", ")})`);
        }
    }
    const all = entries.find(([key]) => key === "all");
    const allSettings = all ? readEntry("all", all[1]) : undefined;
    const config = new Map<string, PolicySettings>();
    for (const name of policyNames) {
        const own = entries.find(([key]) => key === name);
        const ownSettings = own ? readEntry(name, own[1]) : undefined;
        if (!allSettings && !ownSettings) continue;
        config.set(name, {
            enforcementLevel: ownSettings?.enforcementLevel ?? allSettings?.enforcementLevel,
            settings: { ...ownSettings?.settings },
        });
    }
    return config;
}
