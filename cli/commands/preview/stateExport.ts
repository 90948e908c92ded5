/**
 * Writes what a preview registered as a Pulumi deployment, in the shape that
 * `pulumi stack export` prints (`{"version": 3, "deployment": {...}}`), so
 * that the real engine can judge it: `pulumi stack import` it into a
 * backend, then `pulumi policy analyze`. URNs are the preview's own, so the
 * engine's verdicts name the resources exactly as `netguard preview` does.
 *
 * The engine hands resource policies a resource's inputs and stack policies
 * its outputs. Under the mock runtime a resource's outputs are its inputs as
 * the provider would echo them, so both are written.
 */
import * as proxy from "@pulumi/policy/proxy";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { createHash } from "crypto";
import * as fs from "fs";
import { UNKNOWN_SENTINEL, isSecretWrapper } from "../../../policies/analyzerProps";
import { RegisteredResource } from "../../../policies/engineArgs";
import { UserError } from "../../errors";
import { newSaltState } from "./stack/pulumiPassphrase";

/** Every unknown sentinel a policy may see: state has one placeholder for them all, the wire's. */
const UNKNOWN_SENTINELS = new Set(
    ["unknownStringValue", "unknownNumberValue", "unknownBooleanValue", "unknownArrayValue", "unknownAssetValue", "unknownArchiveValue", "unknownObjectValue"].map(
        (name) => (proxy as unknown as Record<string, string>)[name],
    ),
);
const STACK_TYPE = "pulumi:pulumi:Stack";

export interface StateResource {
    urn: string;
    custom: boolean;
    id?: string;
    type: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    parent?: string;
    provider?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
}

export interface StateDocument {
    version: 3;
    deployment: {
        manifest: { time: string; magic: string; version: string };
        secrets_providers?: { type: "passphrase"; state: { salt: string } };
        resources: StateResource[];
    };
}

/**
 * The passphrase every exported deployment with secrets is sealed with: the
 * empty one, so `PULUMI_CONFIG_PASSPHRASE= pulumi stack import` takes it.
 * The secrets themselves are in plaintext (as `--show-secrets` writes them);
 * the engine refuses plaintext secrets without a secrets provider to
 * re-encrypt them on import.
 */
export const EXPORT_PASSPHRASE = "";

export interface ExportOptions {
    /** The Pulumi version the deployment claims to come from (its manifest). */
    readonly pulumiVersion: string;
    /** Version of each provider package (`docker` → `5.2.0`), for default provider names. */
    readonly providerVersions: Readonly<Record<string, string>>;
    /** Manifest time (default: now). */
    readonly time?: Date;
}

function holdsSecret(value: unknown): boolean {
    if (value === null || typeof value !== "object") return false;
    if (isSecretWrapper(value)) return true;
    return Object.values(value).some(holdsSecret);
}

/**
 * A runtime value as state holds it: unknowns as the engine's placeholder,
 * secrets as plaintext secret objects (as `pulumi stack export
 * --show-secrets` writes them; the engine encrypts them on import),
 * `undefined` dropped.
 */
export function stateValue(value: unknown): unknown {
    if (typeof value === "string") return UNKNOWN_SENTINELS.has(value) ? UNKNOWN_SENTINEL : value;
    if (Array.isArray(value)) return value.map((element) => (element === undefined ? null : stateValue(element)));
    if (value !== null && typeof value === "object") {
        if (isSecretWrapper(value)) return { [specialSigKey]: specialSecretSig, plaintext: JSON.stringify(stateValue(value.value) ?? null) };
        return stateProperties(value as Record<string, unknown>);
    }
    return value;
}

function stateProperties(properties: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(properties)) {
        if (value !== undefined) out[key] = stateValue(value);
    }
    return out;
}

/**
 * Inputs are recorded with secrets unwrapped (as the analyzer reads them),
 * their strings listed apart: state keeps them secret.
 */
function resealSecrets(value: unknown, secrets: ReadonlySet<string>): unknown {
    if (secrets.size === 0) return value;
    if (typeof value === "string") return secrets.has(value) ? { [specialSigKey]: specialSecretSig, value } : value;
    if (Array.isArray(value)) return value.map((element) => resealSecrets(element, secrets));
    if (value !== null && typeof value === "object" && !isSecretWrapper(value)) {
        return Object.fromEntries(Object.entries(value).map(([key, element]) => [key, resealSecrets(element, secrets)]));
    }
    return value;
}

/** The package a type token belongs to: `docker:index/network:Network` → `docker`. */
function packageOf(type: string): string {
    return type.split(":")[0];
}

/** A stable made-up id: state needs one for every custom resource, the mock runtime has none to give. */
function idFor(urn: string): string {
    return createHash("sha256").update(urn).digest("hex").slice(0, 16);
}

/** The stack and project a URN names: `urn:pulumi:<stack>::<project>::…`. */
function stackPrefix(urn: string): string {
    return urn.split("::").slice(0, 2).join("::");
}

/**
 * The deployment of a preview: the stack, one default provider per package
 * (as the engine creates them), components with their parents, custom
 * resources with inputs, outputs, dependencies and their provider.
 */
export function deploymentOf(resources: readonly RegisteredResource[], options: ExportOptions): StateDocument {
    const stack = resources.find((resource) => resource.type === STACK_TYPE);
    const prefix = stackPrefix((stack ?? resources[0])?.urn ?? "urn:pulumi:stack::project");
    const providers = new Map<string, StateResource>();
    const providerOf = (type: string): string => {
        const pkg = packageOf(type);
        let provider = providers.get(pkg);
        if (!provider) {
            const version = options.providerVersions[pkg];
            const name = version ? `default_${version.replace(/[.-]/g, "_")}` : "default";
            const urn = `${prefix}::pulumi:providers:${pkg}::${name}`;
            const inputs = version ? { version } : {};
            provider = { urn, custom: true, id: idFor(urn), type: `pulumi:providers:${pkg}`, inputs, outputs: inputs };
            providers.set(pkg, provider);
        }
        return `${provider.urn}::${provider.id}`;
    };

    const written: StateResource[] = [];
    for (const resource of resources) {
        const custom = resource.type !== STACK_TYPE && resource.custom !== false;
        const entry: StateResource = { urn: resource.urn, custom, type: resource.type };
        if (resource.type === STACK_TYPE) {
            // A preview's stack outputs are mostly unknown (the provider computes them): none are written.
            entry.outputs = {};
        } else {
            if (custom) {
                entry.id = idFor(resource.urn);
                entry.provider = providerOf(resource.type);
            }
            entry.inputs = stateProperties(resealSecrets(resource.inputs, new Set(resource.secrets ?? [])) as Record<string, unknown>);
            entry.outputs = stateProperties(resource.outputs ?? (custom ? resource.inputs : {}));
            if (resource.parent) entry.parent = resource.parent;
            entry.dependencies = [...resource.dependencies];
            entry.propertyDependencies = { ...resource.propertyDependencies };
        }
        written.push(entry);
    }
    // Providers go right after the stack: state lists a resource after everything it refers to.
    const stackCount = written[0]?.type === STACK_TYPE ? 1 : 0;
    const ordered = [...written.slice(0, stackCount), ...providers.values(), ...written.slice(stackCount)];
    const version = options.pulumiVersion.startsWith("v") ? options.pulumiVersion : `v${options.pulumiVersion}`;
    const manifest = {
        time: (options.time ?? new Date()).toISOString(),
        // The engine's tamper check: sha256 of the version, hex.
        magic: createHash("sha256").update(version).digest("hex"),
        version,
    };
    const secrets = ordered.some((resource) => holdsSecret(resource.inputs) || holdsSecret(resource.outputs));
    return {
        version: 3,
        deployment: {
            manifest,
            ...(secrets ? { secrets_providers: { type: "passphrase" as const, state: { salt: newSaltState(EXPORT_PASSPHRASE) } } } : {}),
            resources: ordered,
        },
    };
}

/** Writes the deployment to `file`; a path that cannot be written is the user's error, named. */
export function writeStateFile(file: string, document: StateDocument): void {
    try {
        fs.writeFileSync(file, `${JSON.stringify(document, null, 4)}\n`);
    } catch (err) {
        throw new UserError(`--export-state: cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, err);
    }
}
