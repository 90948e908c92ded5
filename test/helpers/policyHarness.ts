/**
 * Test harness for the policy pack: builds resources the way a program
 * registers them and evaluates policies through `policies/evaluate.ts`, so
 * every spec exercises the policies with the arguments the engine builds
 * (props wrapped by `unknownCheckingProxy`, `notApplicable`, `stackTags`,
 * parents and property dependencies linked for stack policies).
 *
 *     const net = resource(NETWORK, "app-net", { name: "app", ipamConfigs: [...] });
 *     const web = resource(CONTAINER, "web", { networksAdvanced: [{ name: unknown.string }] },
 *                          { propertyDependencies: { networksAdvanced: [net] } });
 *     const violations = await runPolicy("docker-no-default-bridge", [net, web]);
 */
import * as proxy from "@pulumi/policy/proxy";
import { RegisteredResource } from "../../policies/engineArgs";
import { Violation, evaluatePolicies } from "../../policies/evaluate";
import { policies, policyNames } from "../../policies/pack";
import { readPackConfig } from "../../policies/policyConfig";
import { recordFixture } from "./fixtureRecorder";

export { Violation };

/** Type tokens of the resources the pack judges. */
export const NETWORK = "docker:index/network:Network";
export const CONTAINER = "docker:index/container:Container";
export const LOCAL_COMMAND = "command:local:Command";
export const REMOTE_COMMAND = "command:remote:Command";
export const ISOLATED_SERVICE_NET = "netguard:index:IsolatedServiceNet";
export const DUAL_HOMED_CONTAINER = "netguard:index:DualHomedContainer";
export const SERVICE = "docker:index/service:Service";
export const DUAL_HOMED_SERVICE = "netguard:index:DualHomedService";

// `@pulumi/policy/proxy` exports the sentinels at runtime but declares nothing.
const sentinels = proxy as unknown as Record<
    "unknownStringValue" | "unknownNumberValue" | "unknownBooleanValue" | "unknownArrayValue" | "unknownObjectValue",
    string
>;

/**
 * The values the engine sends for inputs that are unknown during a preview
 * (e.g. another resource's computed `id`): put them in fixture inputs.
 */
export const unknown = {
    string: sentinels.unknownStringValue,
    number: sentinels.unknownNumberValue,
    boolean: sentinels.unknownBooleanValue,
    array: sentinels.unknownArrayValue,
    object: sentinels.unknownObjectValue,
} as const;

const STACK = "test";
const PROJECT = "netguard-test";

/** Options of a fixture resource, by reference to other fixtures (or URNs). */
export interface ResourceExtras {
    /** The component (or other resource) it is parented to. */
    readonly parent?: RegisteredResource | string;
    /** Resources each input property depends on, e.g. `{ networksAdvanced: [net] }`. */
    readonly propertyDependencies?: Record<string, readonly (RegisteredResource | string)[]>;
    /** Further dependencies (`dependsOn`); those of propertyDependencies are added automatically. */
    readonly dependsOn?: readonly (RegisteredResource | string)[];
}

function urnOf(reference: RegisteredResource | string): string {
    return typeof reference === "string" ? reference : reference.urn;
}

/** The `parent$type` chain in a URN, as the engine writes it. */
function qualifiedType(urn: string): string {
    return urn.split("::")[2];
}

/** A resource as a program would register it; inputs are used as given (use {@link unknown} for unknowns). */
export function resource(type: string, name: string, inputs: Record<string, unknown> = {}, extras: ResourceExtras = {}): RegisteredResource {
    const parent = extras.parent !== undefined ? urnOf(extras.parent) : null;
    const typeChain = parent ? `${qualifiedType(parent)}$${type}` : type;
    const propertyDependencies: Record<string, string[]> = {};
    for (const [property, refs] of Object.entries(extras.propertyDependencies ?? {})) propertyDependencies[property] = refs.map(urnOf);
    const dependencies = [...new Set([...Object.values(propertyDependencies).flat(), ...(extras.dependsOn ?? []).map(urnOf)])];
    return {
        urn: `urn:pulumi:${STACK}::${PROJECT}::${typeChain}::${name}`,
        type,
        name,
        custom: !type.startsWith("netguard:"),
        parent,
        inputs,
        propertyDependencies,
        dependencies,
    };
}

/**
 * Evaluates the whole pack. `packConfig` is the JSON document of
 * `--policy-pack-config` (keys: policy names or `all`).
 */
export async function runPack(resources: readonly RegisteredResource[], packConfig: Record<string, unknown> = {}): Promise<Violation[]> {
    const violations = await evaluatePolicies(policies, resources, readPackConfig(packConfig, policyNames));
    recordFixture(resources, packConfig, violations);
    return violations;
}

/**
 * Evaluates one policy. `settings` is that policy's entry of the pack config:
 * its own settings, optionally with `enforcementLevel`.
 */
export async function runPolicy(
    policyName: string,
    resources: readonly RegisteredResource[],
    settings: Record<string, unknown> = {},
): Promise<Violation[]> {
    const policy = policies.find((candidate) => candidate.name === policyName);
    if (!policy) throw new Error(`no policy named "${policyName}" in the pack (${policyNames.join(", ")})`);
    const violations = await evaluatePolicies([policy], resources, readPackConfig({ [policyName]: settings }, policyNames));
    // The whole pack with every other policy disabled judges the same.
    recordFixture(resources, { all: "disabled", [policyName]: { enforcementLevel: policy.enforcementLevel ?? "advisory", ...settings } }, violations);
    return violations;
}

/** The logical names the violations are reported on, in report order (null for the stack). */
export function violatedNames(violations: readonly Violation[]): (string | null)[] {
    return violations.map((violation) => violation.name);
}
