/**
 * Project settings and stack config, read from `Pulumi.yaml` and
 * `Pulumi.<stack>.yaml` the way the Pulumi CLI would, for an offline run.
 */
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { UNKNOWN_SENTINEL } from "../../policies/analyzerProps";
import { UserError } from "../errors";
import { passphraseDecrypter } from "./stackSecrets";

export interface StackSettings {
    readonly project: string;
    readonly stack: string;
    /** Config as `namespace:key` → value (strings, or JSON text for structured values). */
    readonly config: Record<string, string>;
    /** Keys whose values are secrets (`secure:` in the stack file). */
    readonly secretKeys: string[];
    /** Decrypted values of secrets: judged by policies, never printed. */
    readonly secretValues?: readonly string[];
    /** Secret keys that cannot be decrypted offline: the program sees them as unknown. */
    readonly undecryptable?: readonly string[];
    /** The program entry point named by `Pulumi.yaml`'s `main`, if any. */
    readonly main?: string;
}

function readYaml(file: string): Record<string, unknown> | undefined {
    if (!fs.existsSync(file)) return undefined;
    try {
        const doc = yaml.load(fs.readFileSync(file, "utf8"));
        if (doc === null || doc === undefined) return {};
        if (typeof doc !== "object" || Array.isArray(doc)) throw new Error("the document is not a mapping");
        return doc as Record<string, unknown>;
    } catch (err) {
        throw new UserError(`cannot read ${file}: ${(err as Error).message}`);
    }
}

function configText(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** Reads settings from `dir`; the project name falls back to the folder's name. */
export function readStackSettings(dir: string, stack: string): StackSettings {
    const projectFile = path.join(dir, "Pulumi.yaml");
    const project = readYaml(projectFile) ?? {};
    const projectName = typeof project.name === "string" ? project.name : path.basename(path.resolve(dir));
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const qualify = (key: string) => (key.includes(":") ? key : `${projectName}:${key}`);

    // Project-level defaults: `config: { key: { default: value } }` or `key: value`.
    const declared = project.config;
    if (declared && typeof declared === "object") {
        for (const [key, spec] of Object.entries(declared as Record<string, unknown>)) {
            const value = spec && typeof spec === "object" && !Array.isArray(spec) ? (spec as Record<string, unknown>).default ?? (spec as Record<string, unknown>).value : spec;
            if (value !== undefined) config[qualify(key)] = configText(value);
        }
    }

    const stackFile = path.join(dir, `Pulumi.${stack}.yaml`);
    const stackDoc = readYaml(stackFile);
    const values = stackDoc?.config;
    if (values !== undefined && (values === null || typeof values !== "object" || Array.isArray(values))) {
        throw new UserError(`${stackFile}: "config" must be a mapping of keys to values`);
    }
    const decrypt = passphraseDecrypter(stackFile, stackDoc?.encryptionsalt);
    const secretValues: string[] = [];
    const undecryptable: string[] = [];
    for (const [key, value] of Object.entries((values ?? {}) as Record<string, unknown>)) {
        if (value && typeof value === "object" && "secure" in (value as object)) {
            const ciphertext = String((value as { secure: unknown }).secure);
            secretKeys.push(qualify(key));
            if (decrypt) {
                const plain = decrypt(ciphertext, qualify(key));
                config[qualify(key)] = plain;
                secretValues.push(plain);
            } else {
                // Not decryptable offline: unknown, as a value the engine would not know, never a guess.
                config[qualify(key)] = UNKNOWN_SENTINEL;
                undecryptable.push(qualify(key));
            }
        } else {
            config[qualify(key)] = configText(value);
        }
    }
    const main = typeof project.main === "string" ? project.main : undefined;
    return { project: projectName, stack, config, secretKeys, secretValues, undecryptable, main };
}
