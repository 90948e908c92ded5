/**
 * Resource properties as the engine's analyzer hands them to a policy
 * (`@pulumi/policy`'s `deserializeProperties(props, false)`): secrets
 * unwrapped to their values, so that policies judge what the program really
 * asks for; values unknown during a preview left as Pulumi's unknown
 * sentinel string, which `unknownCheckingProxy` turns into
 * `UnknownValueError` and the topology reader into `UNKNOWN`.
 *
 * Unlike the analyzer, it also returns the secrets' values, so that what
 * netguard prints can show `[secret]` in their place ({@link redactSecrets}).
 * Props objects are tied to their secrets ({@link recordSecrets}) both in
 * `netguard preview` and, through {@link trackAnalyzerSecrets}, under the
 * engine's analyzer, so the policy adapter hides them in every message.
 */
import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";

/** What is printed where a secret's value would appear. */
export const SECRET_PLACEHOLDER = "[secret]";

/** Pulumi's wire value for a value unknown during a preview (the analyzer's unknown string). */
export const UNKNOWN_SENTINEL: string = unknownValue;

export interface AnalyzerProps {
    readonly props: Record<string, unknown>;
    /** Every string inside a secret, to be kept out of anything printed. */
    readonly secrets: readonly string[];
}

/** True for Pulumi's wire form of a secret, `{[specialSigKey]: specialSecretSig, value}`. */
export function isSecretWrapper(value: object): value is { value: unknown } {
    return (value as Record<string, unknown>)[specialSigKey] === specialSecretSig;
}

/** Unwraps secrets in a serialized property value (`Struct.toJavaScript()` of what the program registered). */
export function analyzerProps(serialized: Record<string, unknown>): AnalyzerProps {
    const secrets = new Set<string>();
    const unwrap = (value: unknown, secret: boolean): unknown => {
        if (value === null || typeof value !== "object") {
            // Strings only: a secret `true` or `1` cannot be told apart from any other in a message.
            if (secret && typeof value === "string" && value !== UNKNOWN_SENTINEL) secrets.add(value);
            return value;
        }
        if (Array.isArray(value)) return value.map((item) => unwrap(item, secret));
        if (isSecretWrapper(value)) return unwrap(value.value, true);
        const result: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(value)) {
            // The analyzer treats properties with undefined values as absent.
            if (item !== undefined) result[key] = unwrap(item, secret);
        }
        return result;
    };
    const props = unwrap(serialized, false) as Record<string, unknown>;
    return { props, secrets: [...secrets].filter((text) => text !== "") };
}

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * `text` with every occurrence of a secret's value replaced by `[secret]`.
 * An occurrence must stand on its own (not inside a longer name, number or
 * address): a secret "10.0.0.1" is hidden in "gateway 10.0.0.1." but
 * "10.0.0.10" stays. Longer secrets are replaced first.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
    let result = text;
    for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
        const standalone = new RegExp(`(?<![\\w.:/-])${escapeRegExp(secret)}(?![\\w:/-]|\\.\\w)`, "g");
        result = result.replace(standalone, SECRET_PLACEHOLDER);
    }
    return result;
}

/** Every string inside `value` (a JSON-like document) redacted with {@link redactSecrets}. */
export function redactSecretsDeep<T>(value: T, secrets: readonly string[]): T {
    if (secrets.length === 0) return value;
    const walk = (item: unknown): unknown => {
        if (typeof item === "string") return redactSecrets(item, secrets);
        if (item === null || typeof item !== "object") return item;
        if (Array.isArray(item)) return item.map(walk);
        return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, walk(inner)]));
    };
    return walk(value) as T;
}

/** The secrets of each props object a policy is given (the object under `unknownCheckingProxy`). */
const secretsByProps = new WeakMap<object, readonly string[]>();

/** Ties a props object to the values that were secrets in it. */
export function recordSecrets(props: object, secrets: readonly string[]): void {
    if (secrets.length > 0) secretsByProps.set(props, secrets);
}

/** `unknownCheckingProxy`'s way to the object it wraps (`@pulumi/policy/proxy`'s getSpecialProxyTarget). */
const PROXY_TARGET = "__getSpecialProxyTarget";

/** The secrets recorded for props (wrapped by `unknownCheckingProxy` or not). */
export function secretsOf(props: unknown): readonly string[] {
    if (props === null || typeof props !== "object") return [];
    const target = (props as Record<string, unknown>)[PROXY_TARGET] ?? props;
    return (target instanceof Object && secretsByProps.get(target)) || [];
}

interface ProtoStruct {
    toJavaScript(): Record<string, unknown>;
}
type Deserialize = (struct: ProtoStruct, proxySecrets: boolean) => Record<string, unknown>;

/**
 * Under the engine's analyzer, `@pulumi/policy` deserializes each resource's
 * properties with secrets unwrapped and no trace of them. This wraps that
 * step (once) to record the secrets of every props object it returns.
 */
export function trackAnalyzerSecrets(): void {
    const deserialize = require("@pulumi/policy/deserialize") as { deserializeProperties: Deserialize & { tracksSecrets?: true } };
    const original = deserialize.deserializeProperties;
    if (original.tracksSecrets) return;
    const tracking: Deserialize & { tracksSecrets?: true } = (struct, proxySecrets) => {
        const props = original(struct, proxySecrets);
        recordSecrets(props, analyzerProps(struct.toJavaScript()).secrets);
        return props;
    };
    tracking.tracksSecrets = true;
    deserialize.deserializeProperties = tracking;
}
