/**
 * What the Pulumi CLI refuses in `Pulumi.yaml` and `Pulumi.<stack>.yaml`, so
 * that `netguard preview` refuses the same files for the same reason instead
 * of previewing a project that `pulumi preview` would not load.
 *
 * Mirrors, for the Pulumi CLI this package is built against (3.248), the
 * project file's schema (only `name` is required; unknown top-level keys are
 * allowed, unknown attributes of a config declaration are not), the project's
 * config rules (keys of other namespaces carry a `value` and nothing typed),
 * and the stack's config rules (parsable keys, required values present,
 * values of the declared type). Messages are the CLI's own words.
 */
import { UserError } from "../errors";

type Mapping = Record<string, unknown>;

const CONFIG_TYPES = ["string", "integer", "boolean", "array", "object"] as const;
const DECLARATION_ATTRIBUTES = ["default", "description", "items", "secret", "type", "value"];
const RUNTIME_ATTRIBUTES = ["name", "options"];
/** Top-level keys whose value the schema types as a string. */
const STRING_KEYS = ["description", "author", "website", "license", "main", "stackConfigDir"];

/** A declared config type (`type` plus `items` for arrays), as the project states it. */
export interface ConfigItemsType {
    readonly type: string;
    readonly items?: ConfigItemsType;
}

/** One entry of the project's `config:` after the CLI's shorthand rewrite. */
export interface ProjectConfigDeclaration extends Partial<ConfigItemsType> {
    readonly default?: unknown;
    readonly value?: unknown;
    readonly secret?: boolean;
}

export interface ProjectRules {
    readonly name: string;
    /** Config declarations by key as written (`key` or `namespace:key`). */
    readonly config: Record<string, ProjectConfigDeclaration>;
}

function isMapping(value: unknown): value is Mapping {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Case-insensitive edit distance, the CLI's measure for "did you mean". */
function editDistance(a: string, b: string): number {
    const [x, y] = [a.toLowerCase(), b.toLowerCase()];
    let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
    for (let i = 1; i <= x.length; i++) {
        const row = [i];
        for (let j = 1; j <= y.length; j++) {
            row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
        }
        previous = row;
    }
    return previous[y.length];
}

/** The closest of `candidates` to `needle` within two edits, alphabetically first on ties; as the CLI suggests. */
export function closestKey(needle: string, candidates: Iterable<string>): string | undefined {
    let best: string | undefined;
    let bestDistance = 3;
    for (const candidate of [...candidates].sort()) {
        const distance = editDistance(needle, candidate);
        if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
    }
    return best;
}

function notAllowed(location: string, attribute: string, allowed: readonly string[]): string {
    const near = closestKey(attribute, allowed);
    const hint = near ? `; did you mean '${near}'?` : `; the allowed attributes are ${allowed.slice(0, -1).map((a) => `'${a}'`).join(", ")} and '${allowed[allowed.length - 1]}'`;
    return `${location}: additional property '${attribute}' not allowed${hint}`;
}

function checkItemsType(location: string, items: unknown): string | undefined {
    if (!isMapping(items)) return `${location}: expected object`;
    if (items.type === undefined) return `${location}: missing property 'type'`;
    if (isMapping(items.type)) return checkItemsType(`${location}/type`, items.type);
    if (!CONFIG_TYPES.includes(items.type as (typeof CONFIG_TYPES)[number])) return `${location}/type: value must be one of ${CONFIG_TYPES.map((t) => `'${t}'`).join(", ")}`;
    if (items.type === "array" && items.items === undefined) return `${location}: missing property 'items'`;
    return items.items === undefined ? undefined : checkItemsType(`${location}/items`, items.items);
}

/** A config entry that the schema refuses, with where and why; undefined when it is valid. */
function schemaProblem(key: string, entry: unknown): string | undefined {
    const location = `#/config/${key}`;
    if (typeof entry === "string" || typeof entry === "boolean" || Array.isArray(entry)) return undefined;
    if (typeof entry === "number") return Number.isInteger(entry) ? undefined : `${location}: a value must be a string, an integer, a boolean, a list or a declaration (got ${entry})`;
    if (!isMapping(entry)) return `${location}: a value must be a string, an integer, a boolean, a list or a declaration (got null)`;
    for (const attribute of Object.keys(entry)) {
        if (!DECLARATION_ATTRIBUTES.includes(attribute)) return notAllowed(location, attribute, DECLARATION_ATTRIBUTES);
    }
    if (entry.type !== undefined && !CONFIG_TYPES.includes(entry.type as (typeof CONFIG_TYPES)[number])) {
        return `${location}/type: value must be one of ${CONFIG_TYPES.map((t) => `'${t}'`).join(", ")}`;
    }
    if (entry.description !== undefined && typeof entry.description !== "string") return `${location}/description: expected string`;
    if (entry.secret !== undefined && typeof entry.secret !== "boolean") return `${location}/secret: expected boolean`;
    return entry.items === undefined ? undefined : checkItemsType(`${location}/items`, entry.items);
}

function isNamespacedByProject(projectName: string, key: string): boolean {
    return !key.includes(":") || key.startsWith(`${projectName}:`);
}

/** Whether `value` (as YAML gave it, or a stack's string) is of the declared type; the CLI's test. */
export function matchesConfigType(type: string, items: ConfigItemsType | undefined, value: unknown): boolean {
    switch (type) {
        case "string":
            return typeof value === "string";
        case "integer":
            return Number.isInteger(value) || (typeof value === "string" && /^[+-]?\d+$/.test(value));
        case "boolean":
            return typeof value === "boolean" || value === "true" || value === "false";
        case "object":
            return isMapping(value);
        default:
            return Array.isArray(value) && items !== undefined && value.every((item) => matchesConfigType(items.type, items.items, item));
    }
}

export function typeName(type: string, items: ConfigItemsType | undefined): string {
    return items ? `array<${typeName(items.type, items.items)}>` : type;
}

/**
 * Checks a parsed `Pulumi.yaml` as the CLI loads it and returns its name and
 * config declarations; throws a {@link UserError} with the CLI's reason.
 */
export function checkProjectFile(doc: Mapping, file: string): ProjectRules {
    const refuse = (reason: string, stage = "validate"): never => {
        throw new UserError(`could not ${stage} '${file}': ${reason}`);
    };
    if (!("name" in doc)) {
        const near = closestKey("name", Object.keys(doc));
        refuse(`project is missing a 'name' attribute${near ? `; found '${near}' instead` : ""}`);
    }
    if (typeof doc.name !== "string" || doc.name === "") refuse("project is missing a non-empty string 'name' attribute");
    const name = doc.name as string;

    const problems: string[] = [];
    for (const key of STRING_KEYS) {
        if (doc[key] !== undefined && typeof doc[key] !== "string") problems.push(`#/${key}: expected string`);
    }
    const runtime = doc.runtime;
    if (runtime !== undefined) {
        if (isMapping(runtime)) {
            for (const attribute of Object.keys(runtime)) {
                if (!RUNTIME_ATTRIBUTES.includes(attribute)) problems.push(notAllowed("#/runtime", attribute, RUNTIME_ATTRIBUTES));
            }
            if (runtime.name !== undefined && (typeof runtime.name !== "string" || runtime.name === "")) problems.push("#/runtime/name: expected a non-empty string");
            if (runtime.options !== undefined && !isMapping(runtime.options)) problems.push("#/runtime/options: expected object");
        } else if (typeof runtime !== "string" || runtime === "") {
            problems.push("#/runtime: expected a non-empty string or an object with 'name' and 'options'");
        }
    }
    const config = doc.config;
    if (config !== undefined && config !== null && typeof config !== "string" && !isMapping(config)) problems.push("#/config: expected object, string or null");
    if (isMapping(config)) {
        for (const [key, entry] of Object.entries(config)) {
            const problem = schemaProblem(key, entry);
            if (problem) problems.push(problem);
        }
    }
    if (problems.length > 0) refuse(problems.join("; "));
    if (typeof config === "string" && doc.stackConfigDir !== undefined) {
        throw new UserError(`${file}: Should not use both config and stackConfigDir to define the stack directory. Use only stackConfigDir instead.`);
    }

    // The CLI's shorthand: `key: value` is a default for the project's own keys, a value for others.
    const declarations: Record<string, ProjectConfigDeclaration> = {};
    for (const [key, entry] of Object.entries(isMapping(config) ? config : {})) {
        const own = isNamespacedByProject(name, key);
        declarations[key] = isMapping(entry) ? (entry as ProjectConfigDeclaration) : own ? { default: entry } : { value: entry };
    }
    for (const [key, declaration] of Object.entries(declarations)) {
        const reason = declarationProblem(name, key, declaration);
        if (reason) refuse(reason, "unmarshal");
    }
    return { name, config: declarations };
}

function declarationProblem(projectName: string, key: string, declaration: ProjectConfigDeclaration): string | undefined {
    const { default: fallback, value, type, items } = declaration;
    if (fallback != null && value != null) return `project config '${key}' cannot have both a 'default' and 'value' attribute`;
    if (!isNamespacedByProject(projectName, key)) {
        if (type !== undefined) return `Configuration key '${key}' is not namespaced by the project and should not define a type`;
        if (fallback != null) return `Configuration key '${key}' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?`;
        if (value == null) return `Configuration key '${key}' is namespaced and must provide an attribute 'value'`;
        return undefined;
    }
    if (type === "array" && items === undefined) return `The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`;
    if (type !== undefined && fallback != null && !matchesConfigType(type, items, fallback)) {
        return `The default value specified for configuration key '${key}' is not of the expected type '${typeName(type, items)}'`;
    }
    return undefined;
}

/** `key` as the stack file's config names it, namespaced by the project when it has no namespace. */
export function qualifiedConfigKey(projectName: string, key: string): string {
    return key.includes(":") ? key : `${projectName}:${key}`;
}

function parseStackKey(key: string): string {
    const colons = key.split(":").length - 1;
    if (colons === 1) return key;
    const [namespace, module, name] = key.split(":");
    if (colons === 2 && module === "config" && namespace !== "" && name !== "") return `${namespace}:${name}`;
    throw new UserError(`could not parse ${key} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)`);
}

/** A stack value as the CLI keeps it: scalars as their text, lists and maps as structures. */
function storedValue(value: unknown): unknown {
    if (value === null || value === undefined) return "";
    return typeof value === "object" ? value : String(value);
}

/**
 * Checks a stack's config against the project as `pulumi preview` does
 * before it runs the program: keys parse, every required project key has a
 * value, secret keys are secure, values are of the declared type.
 * `stackConfig` maps keys as written in the stack file to their values
 * (`{secure: …}` for secrets; decrypted values in `plain` when known).
 */
export function checkStackConfig(
    project: ProjectRules,
    stack: string,
    stackConfig: Mapping,
    plain: (key: string) => string | undefined,
): void {
    const onStack = new Map<string, unknown>();
    for (const [key, value] of Object.entries(stackConfig)) onStack.set(parseStackKey(qualifiedConfigKey(project.name, key)), value);

    const missing: string[] = [];
    for (const key of Object.keys(project.config).sort()) {
        const declaration = project.config[key];
        const qualified = parseStackKey(qualifiedConfigKey(project.name, key));
        const found = onStack.has(qualified);
        if (!found && declaration.default == null && declaration.value == null && qualified.startsWith(`${project.name}:`)) missing.push(key);
    }
    if (missing.length === 1) throw new UserError(`Stack '${stack}' is missing configuration value '${missing[0]}'`);
    if (missing.length > 1) {
        const quoted = missing.map((key) => `'${key}'`);
        throw new UserError(`Stack '${stack}' is missing configuration values ${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`);
    }

    for (const key of Object.keys(project.config).sort()) {
        const { type, items, secret } = project.config[key];
        const qualified = parseStackKey(qualifiedConfigKey(project.name, key));
        if (type === undefined || !onStack.has(qualified)) continue;
        const raw = onStack.get(qualified);
        const secure = isMapping(raw) && "secure" in raw;
        if (secret && !secure) throw new UserError(`Stack '${stack}' with configuration key '${key}' must be encrypted as it's secret`);
        const value = secure ? plain(qualified) : storedValue(raw);
        if (value === undefined) continue; // a secret that cannot be decrypted offline: unknown, not judged
        if (!matchesConfigType(type, items, value)) throw new UserError(`Stack '${stack}' with configuration key '${key}' must be of type '${typeName(type, items)}'`);
    }
}
