/**
 * Project settings and stack config, read from `Pulumi.yaml` and
 * `Pulumi.<stack>.yaml` the way the Pulumi CLI would, for an offline run.
 */
import * as fs from "fs";
import * as path from "path";
import { UNKNOWN_SENTINEL } from "../../../../policies/analyzerProps";
import { UserError } from "../../../errors";
import { InputLimits, inputLimits, readInputFile } from "../../../inputFile";
import { loadBoundedYaml } from "./boundedYaml";
import { ProjectRules, checkProjectFile, checkStackConfig, closestKey, qualifiedConfigKey } from "./pulumiProjectRules";
import { validateStackName } from "./stackName";
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

/** The mapping in `file`, or undefined when there is no such file. */
function readYaml(file: string, limits: InputLimits): Record<string, unknown> | undefined {
    try {
        fs.lstatSync(file);
    } catch {
        return undefined; // absent; a dangling link or a link loop is read below and fails by name
    }
    const doc = loadBoundedYaml(readInputFile(file, file, limits), file, limits);
    if (doc === null || doc === undefined) return {};
    if (typeof doc !== "object" || Array.isArray(doc)) throw new UserError(`cannot read ${file}: the document is not a mapping`);
    return doc as Record<string, unknown>;
}

function configText(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** The stack `netguard preview` sees when none is named; its config file may be missing. */
export const DEFAULT_STACK = "dev";

/**
 * Reads settings from `dir`; the project name falls back to the folder's name.
 * A stack named explicitly must have its `Pulumi.<stack>.yaml` (Pulumi too
 * refuses a stack it does not know); the default stack may have none.
 */
export function readStackSettings(
    dir: string,
    stack: string,
    options: { stackNamed?: boolean; limits?: InputLimits } = {},
): StackSettings {
    validateStackName(stack);
    const limits = options.limits ?? inputLimits();
    const projectFile = path.join(dir, "Pulumi.yaml");
    const projectDoc = readYaml(projectFile, limits);
    // Without a Pulumi.yaml (a bare program), the folder names the project; with one, the CLI's rules apply.
    const project: ProjectRules = projectDoc ? checkProjectFile(projectDoc, projectFile) : { name: path.basename(path.resolve(dir)), config: {} };
    const projectName = project.name;
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const qualify = (key: string) => qualifiedConfigKey(projectName, key);

    // Project-level defaults and values (the CLI's shorthand is already expanded).
    for (const [key, declaration] of Object.entries(project.config)) {
        const value = declaration.default ?? declaration.value;
        if (value !== undefined && value !== null) config[qualify(key)] = configText(value);
    }

    const stackFile = path.join(dir, `Pulumi.${stack}.yaml`);
    if (options.stackNamed && !fs.existsSync(stackFile)) {
        const stacks = fs.readdirSync(dir).flatMap((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1] ?? []);
        const near = closestKey(stack, stacks);
        const hint = near ? `did you mean --stack ${near}? ` : stacks.length > 0 ? `the stacks here: ${stacks.join(", ")}; ` : "";
        throw new UserError(`stack "${stack}" has no config file ${stackFile}: ${hint}create it (e.g. \`pulumi stack init ${stack}\` and \`pulumi config set\`, or a file with "config: {}"), or name a stack that has one`);
    }
    const stackDoc = readYaml(stackFile, limits);
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
    checkStackConfig(project, stack, (values ?? {}) as Record<string, unknown>, (key) => (undecryptable.includes(key) ? undefined : config[key]));
    const main = typeof projectDoc?.main === "string" ? projectDoc.main : undefined;
    return { project: projectName, stack, config, secretKeys, secretValues, undecryptable, main };
}
