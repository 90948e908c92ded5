/**
 * The resources the Pulumi reader reads, as CrossGuard hands them to a
 * policy or `netguard preview` records them: their types, and reading their
 * props, which may be wrapped by `unknownCheckingProxy` or hold CrossGuard's
 * unknown sentinel, as known values or {@link UNKNOWN}.
 */
import { Maybe, UNKNOWN, isKnown } from "../../topology/model";


export const NETWORK_TYPE = "docker:index/network:Network";
export const CONTAINER_TYPE = "docker:index/container:Container";
export const SERVICE_TYPE = "docker:index/service:Service";
export const DUAL_HOMED_TYPE = "netguard:index:DualHomedContainer";
export const DUAL_HOMED_SERVICE_TYPE = "netguard:index:DualHomedService";
/** `@pulumi/command` resources: their scripts are read for `docker` command lines. */
export const LOCAL_COMMAND_TYPE = "command:local:Command";
export const REMOTE_COMMAND_TYPE = "command:remote:Command";
export const COMMAND_TYPES: readonly string[] = [LOCAL_COMMAND_TYPE, REMOTE_COMMAND_TYPE];

/** The part of a CrossGuard `PolicyResource` (or a recorded resource) that the topology needs. */
export interface ResourceView {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** Resource inputs; may be wrapped by `unknownCheckingProxy`. */
    readonly props: Record<string, unknown>;
    readonly parent?: ResourceView;
    /** Resources each input property depends on (e.g. the networks behind `networksAdvanced`). */
    readonly propertyDependencies?: Record<string, ResourceView[]>;
}

/** The sentinel CrossGuard leaves in props for unknown strings when they are not proxied. */
const UNKNOWN_STRING_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * True for `@pulumi/policy`'s UnknownValueError. Recognized by shape, not
 * `instanceof`: when `pulumi preview --policy-pack` installs the pack's own
 * dependencies, its copy of `@pulumi/policy` is not the one this module sees.
 */
function isUnknownValueError(err: unknown): boolean {
    return err instanceof Error && err.constructor.name === "UnknownValueError" && "unknownTypeSentinel" in err;
}

/** Reads one field, turning CrossGuard's unknown values into {@link UNKNOWN}. */
export function readField(source: unknown, key: string): Maybe<unknown> {
    if (source === null || typeof source !== "object") return undefined;
    try {
        const value = (source as Record<string, unknown>)[key];
        return value === UNKNOWN_STRING_SENTINEL ? UNKNOWN : value;
    } catch (err) {
        if (isUnknownValueError(err)) return UNKNOWN;
        throw err;
    }
}

export function readString(source: unknown, key: string): Maybe<string> | undefined {
    const value = readField(source, key);
    if (value === UNKNOWN) return UNKNOWN;
    return typeof value === "string" && value !== "" ? value : undefined;
}

export function readBoolean(source: unknown, key: string): boolean | undefined {
    const value = readField(source, key);
    return typeof value === "boolean" ? value : value === "true" ? true : value === "false" ? false : undefined;
}

/** Reads an array field; unknown arrays and unknown elements come back as {@link UNKNOWN}. */
export function readArray(source: unknown, key: string): Maybe<unknown[]> {
    const value = readField(source, key);
    if (value === UNKNOWN) return UNKNOWN;
    if (!Array.isArray(value)) return [];
    const items: unknown[] = [];
    for (let i = 0; i < value.length; i++) items.push(readField(value, String(i)));
    return items;
}

export function readStrings(source: unknown, key: string): string[] {
    const items = readArray(source, key);
    return isKnown(items) ? items.filter((item): item is string => typeof item === "string") : [];
}

export function readStringMap(source: unknown, key: string): Record<string, Maybe<string>> {
    const value = readField(source, key);
    if (value === null || typeof value !== "object") return {};
    const result: Record<string, Maybe<string>> = {};
    for (const name of Object.keys(value)) {
        const item = readField(value, name);
        if (item === UNKNOWN || typeof item === "string") result[name] = item;
    }
    return result;
}

/** The known text, else `fallback`. */
export function stringOr(value: Maybe<string> | undefined, fallback: string): string {
    return value !== undefined && isKnown(value) ? value : fallback;
}
