/**
 * Builds validation arguments the way the Pulumi engine's analyzer does:
 * props wrapped by `unknownCheckingProxy`, `notApplicable`, `stackTags`, and
 * for stack validation the parents and property dependencies filled in with
 * the resource objects themselves. Used by `netguard preview` and the tests,
 * so both exercise the policies exactly as `pulumi preview` would.
 */
import {
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    StackValidationArgs,
    unknownCheckingProxy,
} from "@pulumi/policy";
import { recordSecrets } from "./analyzerProps";

/** A resource as a program registered it (what `netguard preview` records). */
export interface RegisteredResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** False for components (and the stack); custom resources are the ones a provider manages. */
    readonly custom?: boolean;
    readonly parent: string | null;
    readonly inputs: Record<string, unknown>;
    /** URNs each input property depends on. */
    readonly propertyDependencies: Record<string, string[]>;
    readonly dependencies: string[];
    /**
     * The strings the program gave inside secrets (already
     * unwrapped in `inputs`, as the analyzer unwraps them): what netguard
     * prints shows `[secret]` in their place.
     */
    readonly secrets?: readonly string[];
    /**
     * The resource's state as the mock runtime resolved it, in Pulumi's wire
     * form: secrets as `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value}`,
     * values unknown during the preview as the unknown sentinel string
     * (`UNKNOWN_SENTINEL`, "04da6b54-80e4-46f7-96ec-b56ff0331ba9"). Outputs the
     * provider computes (id, `networkDatas`, a Command's `stdout`, …) are
     * absent: during a preview of resources that do not exist yet, they are unknown.
     */
    readonly outputs?: Record<string, unknown>;
}

/** Thrown by `notApplicable()`; the evaluator records the policy as not applicable. */
export class NotApplicableError extends Error {}

function notApplicable(reason?: string): never {
    throw new NotApplicableError(reason ?? "not applicable");
}

type GetConfig = <T extends object>() => T;

function isTypeOf(type: string, resourceClass: { __pulumiType?: string; isInstance?: (o: unknown) => boolean }): boolean {
    // SDK-generated classes carry their type token; fall back to isInstance like the analyzer.
    const token = (resourceClass as { __pulumiType?: string }).__pulumiType;
    if (token) return token === type;
    return resourceClass.isInstance?.({ __pulumiType: type }) === true;
}

function optionsOf(resource: RegisteredResource): PolicyResourceOptions {
    return {
        protect: false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        ...(resource.parent ? { parent: resource.parent } : {}),
    };
}

/** Arguments for `validateResource`. */
export function resourceValidationArgs(
    resource: RegisteredResource,
    getConfig: GetConfig,
    stackTags: ReadonlyMap<string, string> = new Map(),
): ResourceValidationArgs {
    recordSecrets(resource.inputs, resource.secrets ?? []);
    const props = unknownCheckingProxy(resource.inputs);
    return {
        type: resource.type,
        props,
        urn: resource.urn,
        name: resource.name,
        opts: optionsOf(resource),
        stackTags,
        isType: (resourceClass) => isTypeOf(resource.type, resourceClass as never),
        asType: (resourceClass) => (isTypeOf(resource.type, resourceClass as never) ? (props as never) : undefined),
        getConfig,
        notApplicable,
    };
}

/** The resources of a stack as `validateStack` sees them, parents and dependencies linked. */
export function policyResources(resources: readonly RegisteredResource[]): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    const built = resources.map((resource) => {
        recordSecrets(resource.inputs, resource.secrets ?? []);
        const props = unknownCheckingProxy(resource.inputs);
        const policyResource: PolicyResource = {
            type: resource.type,
            props,
            urn: resource.urn,
            name: resource.name,
            opts: optionsOf(resource),
            dependencies: [],
            propertyDependencies: {},
            isType: (resourceClass) => isTypeOf(resource.type, resourceClass as never),
            asType: (resourceClass) => (isTypeOf(resource.type, resourceClass as never) ? (props as never) : undefined),
        };
        byUrn.set(resource.urn, policyResource);
        return policyResource;
    });
    const link = (urns: string[]) => urns.map((urn) => byUrn.get(urn)).filter((r): r is PolicyResource => r !== undefined);
    resources.forEach((resource, i) => {
        const target = built[i];
        const parent = resource.parent ? byUrn.get(resource.parent) : undefined;
        if (parent) target.parent = parent;
        target.dependencies = link(resource.dependencies);
        for (const [property, urns] of Object.entries(resource.propertyDependencies)) {
            target.propertyDependencies[property] = link(urns);
        }
    });
    return built;
}

/** Arguments for `validateStack`. */
export function stackValidationArgs(
    resources: PolicyResource[],
    getConfig: GetConfig,
    stackTags: ReadonlyMap<string, string> = new Map(),
): StackValidationArgs {
    return { resources, getConfig, stackTags, notApplicable };
}
