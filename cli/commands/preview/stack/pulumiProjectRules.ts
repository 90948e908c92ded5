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
import { editDistance } from "../../../../text/editDistance";
import { UserError } from "../../../errors";

type Mapping = Record<string, unknown>;

const CONFIG_TYPES = ["string", "integer", "boolean", "array", "object"];
const DECLARATION_ATTRIBUTES = ["default", "description", "items", "secret", "type", "value"];
const RUNTIME_ATTRIBUTES = ["name", "options"];
/** Top-level keys whose value the schema types as a string or null. */
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

/** The closest of `candidates` to `needle` within two edits, alphabetically first on ties; as the CLI suggests. */
export function closestKey(needle: string, candidates: Iterable<string>): string | undefined {
    let best: string | undefined;
    let bestDistance = 3;
    for (const candidate of [...candidates].sort()) {
        const distance = editDistance(needle.toLowerCase(), candidate.toLowerCase());
        if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
    }
    return best;
}

/** A value's JSON Schema type, as the schema validator names it in its messages. */
function jsonType(value: unknown): string {
    if (value === null || value === undefined) return "null";
    if (Array.isArray(value)) return "array";
    if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
    return typeof value;
}

/** `expected …, but got …`, naming a JSON integer a number where the schema does. */
function expected(location: string, types: string, value: unknown): string {
    const got = jsonType(value) === "integer" ? "number" : jsonType(value);
    return `${location}: expected ${types}, but got ${got}`;
}

const TYPE_ENUM = `value must be one of ${CONFIG_TYPES.map((t) => `"${t}"`).join(", ")}`;

/** The schema's decisive complaints about one config items type. */
function itemsTypeProblems(location: string, items: unknown): string[] {
    if (!isMapping(items)) return [expected(location, "object", items)];
    const problems: string[] = [];
    if (items.type === undefined) problems.push(`${location}: missing properties: 'type'`);
    else if (typeof items.type === "string" && !CONFIG_TYPES.includes(items.type)) problems.push(`${location}/type: ${TYPE_ENUM}`);
    if (items.type === "array" || items.type === undefined) {
        if (items.items === undefined) problems.push(`${location}: missing properties: 'items'`);
    }
    if (items.items !== undefined) problems.push(...itemsTypeProblems(`${location}/items`, items.items));
    return problems;
}

/** The schema's decisive complaints about one config entry (the branch for declarations, as the CLI lists last). */
function configEntryProblems(key: string, entry: unknown): string[] {
    const location = `#/config/${key}`;
    if (typeof entry === "string" || typeof entry === "boolean" || Array.isArray(entry) || Number.isInteger(entry)) return [];
    if (!isMapping(entry)) return [expected(location, "object", entry)];
    const problems = Object.keys(entry)
        .filter((attribute) => !DECLARATION_ATTRIBUTES.includes(attribute))
        .map((attribute) => `${location}: additionalProperties '${attribute}' not allowed`);
    if (entry.type !== undefined && !CONFIG_TYPES.includes(entry.type as string)) problems.push(`${location}/type: ${TYPE_ENUM}`);
    if (entry.description !== undefined && typeof entry.description !== "string") problems.push(expected(`${location}/description`, "string", entry.description));
    if (entry.secret !== undefined && typeof entry.secret !== "boolean") problems.push(expected(`${location}/secret`, "boolean", entry.secret));
    if (entry.items !== undefined) problems.push(...itemsTypeProblems(`${location}/items`, entry.items));
    return problems;
}

function runtimeProblems(runtime: unknown): string[] {
    if (typeof runtime === "string") return runtime === "" ? ["#/runtime: length must be >= 1, but got 0"] : [];
    if (!isMapping(runtime)) return [expected("#/runtime", "object", runtime)];
    const problems = Object.keys(runtime)
        .filter((attribute) => !RUNTIME_ATTRIBUTES.includes(attribute))
        .map((attribute) => `#/runtime: additionalProperties '${attribute}' not allowed`);
    if (runtime.name !== undefined && typeof runtime.name !== "string") problems.push(expected("#/runtime/name", "string", runtime.name));
    if (runtime.name === "") problems.push("#/runtime/name: length must be >= 1, but got 0");
    if (runtime.options !== undefined && !isMapping(runtime.options)) problems.push(expected("#/runtime/options", "object", runtime.options));
    return problems;
}

/**
 * What the project schema refuses, one line per complaint in the CLI's words.
 * The nested schemas of `backend`, `options`, `template`, `packages` and
 * `plugins` are not mirrored: netguard reads none of them.
 */
function schemaProblems(doc: Mapping): string[] {
    const problems: string[] = [];
    for (const key of STRING_KEYS) {
        if (doc[key] !== undefined && doc[key] !== null && typeof doc[key] !== "string") problems.push(expected(`#/${key}`, "string or null", doc[key]));
    }
    if (doc.runtime !== undefined) problems.push(...runtimeProblems(doc.runtime));
    const config = doc.config;
    if (config !== undefined && config !== null && typeof config !== "string" && !isMapping(config)) problems.push(expected("#/config", "object or string or null", config));
    if (isMapping(config)) for (const [key, entry] of Object.entries(config)) problems.push(...configEntryProblems(key, entry));
    return problems;
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
    const problems = schemaProblems(doc);
    if (problems.length > 0) refuse(problems.join("; "));
    const config = doc.config;
    if (typeof config === "string" && doc.stackConfigDir !== undefined) {
        throw new UserError(`${file}: Should not use both config and stackConfigDir to define the stack directory. Use only stackConfigDir instead.`);
    }

    // The CLI's shorthand: `key: value` is a default for the project's own keys, a value for others.
    const declarations: Record<string, ProjectConfigDeclaration> = {};
    for (const [key, entry] of Object.entries(isMapping(config) ? config : {})) {
        const own = isNamespacedByProject(name, key);
        declarations[key] = isMapping(entry) ? (entry as ProjectConfigDeclaration) : own ? { default: entry } : { value: entry };
    }
    // The CLI stops at the first of these it meets, in no set order: name them all.
    const reasons = Object.entries(declarations).flatMap(([key, declaration]) => declarationProblem(name, key, declaration) ?? []);
    if (reasons.length > 0) refuse(reasons.join("; "), "unmarshal");
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

    // In key order, as the CLI: a required key the stack lacks is missing; a default or value
    // stands in, in clear, for one it does not set (and may so satisfy a later spelling of it).
    const missing: string[] = [];
    for (const key of Object.keys(project.config).sort()) {
        const declaration = project.config[key];
        const qualified = parseStackKey(qualifiedConfigKey(project.name, key));
        const fallback = declaration.value ?? declaration.default;
        if (onStack.has(qualified)) continue;
        if (fallback != null) onStack.set(qualified, fallback);
        else if (qualified.startsWith(`${project.name}:`)) missing.push(key);
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
