/**
 * Runs CrossGuard policies over a stack's resources in-process, as the
 * engine's analyzer would: each resource policy once per resource, each stack
 * policy once, with the pack's config applied. `netguard preview` and the
 * tests use this; `pulumi preview --policy-pack` uses the real analyzer.
 */
import { EnforcementLevel, Policies, UnknownValueError } from "@pulumi/policy";
import { NotApplicableError, RegisteredResource, policyResources, resourceValidationArgs, stackValidationArgs } from "./engineArgs";
import { PackConfig } from "./policyConfig";

/** One reported violation: an entry of the `violations` list of every JSON document (see the README). */
export interface Violation {
    readonly policy: string;
    readonly level: "advisory" | "mandatory";
    /** URN of the resource it is reported on, or null for the stack as a whole. */
    readonly resource: string | null;
    /** The resource's logical name, or null. */
    readonly name: string | null;
    readonly message: string;
}

/** The level a violation is reported at: config wins, then the policy's own; remediate reports as mandatory. */
export function effectiveLevel(configured: EnforcementLevel | undefined, own: EnforcementLevel | undefined): Violation["level"] | "disabled" {
    const level = configured ?? own ?? "advisory";
    return level === "remediate" ? "mandatory" : level;
}

/** Evaluates every policy; violations in resource order, then stack policies' in report order. */
export async function evaluatePolicies(
    policies: Policies,
    resources: readonly RegisteredResource[],
    config: PackConfig = new Map(),
): Promise<Violation[]> {
    const violations: Violation[] = [];
    const nameOf = new Map(resources.map((resource) => [resource.urn, resource.name]));
    const stackResources = policyResources(resources);
    // One props object per resource, shared by every resource policy (each gets its own getConfig),
    // so that the CrossGuard adapter builds a resource's topology once, not once per policy.
    const noConfig = <T extends object>() => ({}) as T;
    const sharedArgs = resources.map((resource) => resourceValidationArgs(resource, noConfig));

    for (const policy of policies) {
        const settings = config.get(policy.name);
        const level = effectiveLevel(settings?.enforcementLevel, policy.enforcementLevel);
        if (level === "disabled") continue;
        const getConfig = <T extends object>() => ({ ...settings?.settings }) as T;
        const report = (urn: string | null) => (message: string, reportedUrn?: string) => {
            const resource = reportedUrn ?? urn;
            violations.push({ policy: policy.name, level, resource, name: resource ? nameOf.get(resource) ?? null : null, message });
        };
        const guarded = async (urn: string | null, run: () => unknown) => {
            try {
                await run();
            } catch (err) {
                if (err instanceof NotApplicableError) return;
                if (err instanceof UnknownValueError) {
                    violations.push({
                        policy: policy.name,
                        level: "advisory",
                        resource: urn,
                        name: urn ? nameOf.get(urn) ?? null : null,
                        message: `can't run policy '${policy.name}' during preview: ${(err as Error).message}`,
                    });
                    return;
                }
                throw err;
            }
        };

        if ("validateResource" in policy && policy.validateResource) {
            const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
            for (const [i, resource] of resources.entries()) {
                const args = { ...sharedArgs[i], getConfig };
                for (const validate of validations) await guarded(resource.urn, () => validate(args, report(resource.urn)));
            }
        }
        if ("validateStack" in policy && policy.validateStack) {
            const validateStack = policy.validateStack;
            await guarded(null, () => validateStack(stackValidationArgs(stackResources, getConfig), report(null)));
        }
    }
    return violations;
}
