/**
 * Compose's variable interpolation and its `.env` file, as compose-go reads
 * them: `$VAR`, `${VAR}`, `${VAR:-default}` (unset or empty),
 * `${VAR-default}` (unset), `${VAR:?error}`, `${VAR?error}`,
 * `${VAR:+replacement}`, `${VAR+replacement}`, `$$` for a dollar, defaults
 * that interpolate in turn. A variable that is not set and has no default
 * gets {@link unknownValue}: never guessed.
 */
import { ComposeError, unknownValue } from "./composeProject";

export type Environment = Readonly<Record<string, string | undefined>>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** The closing brace of `${` opened before `from`, nested `${…}` skipped; -1 when none. */
function closingBrace(text: string, from: number): number {
    let depth = 1;
    for (let i = from; i < text.length; i++) {
        if (text[i] === "$" && text[i + 1] === "{") {
            depth++;
            i++;
        } else if (text[i] === "}" && --depth === 0) return i;
    }
    return -1;
}

/** One braced expression's value (the text between `${` and `}`). */
function braced(body: string, env: Environment, where: string): string {
    const name = NAME.exec(body)?.[0];
    if (name === undefined) throw new ComposeError(`error while interpolating ${where}: invalid template: "\${${body}}"`, undefined, where);
    const rest = body.slice(name.length);
    const value = env[name];
    if (rest === "") return value ?? unknownValue(name);
    const operator = /^(:?[-?+])/.exec(rest)?.[1];
    if (operator === undefined) throw new ComposeError(`error while interpolating ${where}: invalid template: "\${${body}}"`, undefined, where);
    const argument = () => interpolateText(rest.slice(operator.length), env, where);
    const colon = operator.startsWith(":");
    const missing = value === undefined || (colon && value === "");
    switch (operator.slice(-1)) {
        case "-":
            return missing ? argument() : value!;
        case "+":
            return missing ? "" : argument();
        default:
            if (missing) throw new ComposeError(`error while interpolating ${where}: required variable ${name} is missing a value: ${argument()}`, undefined, where);
            return value!;
    }
}

/** A text with its variables replaced. `where` names the key for errors (`services.web.image`). */
export function interpolateText(text: string, env: Environment, where: string): string {
    let out = "";
    for (let i = 0; i < text.length; i++) {
        const char = text[i];
        if (char !== "$") {
            out += char;
            continue;
        }
        const next = text[i + 1];
        if (next === "$") {
            out += "$";
            i++;
        } else if (next === "{") {
            const end = closingBrace(text, i + 2);
            if (end < 0) throw new ComposeError(`error while interpolating ${where}: invalid template: "${text}"`, undefined, where);
            out += braced(text.slice(i + 2, end), env, where);
            i = end;
        } else {
            const name = NAME.exec(text.slice(i + 1))?.[0];
            if (name === undefined) out += "$";
            else {
                out += env[name] ?? unknownValue(name);
                i += name.length;
            }
        }
    }
    return out;
}

/** Every string value of a YAML document interpolated (keys are not), `where` following the path. */
export function interpolateTree(value: unknown, env: Environment, where: string): unknown {
    if (typeof value === "string") return interpolateText(value, env, where);
    if (Array.isArray(value)) return value.map((item, index) => interpolateTree(item, env, `${where}[${index}]`));
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(value)) out[key] = interpolateTree(item, env, where ? `${where}.${key}` : key);
        return out;
    }
    return value;
}

/**
 * A `.env` file: `KEY=VALUE` lines, `export ` allowed, `#` comments,
 * single quotes literal, double quotes with `\n` escapes and interpolation,
 * unquoted values interpolated and cut at ` #`. Values refer to the
 * environment and to the lines above.
 */
export function parseDotEnv(text: string, env: Environment, file: string): Record<string, string> {
    const values: Record<string, string> = {};
    text.split(/\r?\n/).forEach((raw, index) => {
        const line = raw.trim();
        if (line === "" || line.startsWith("#")) return;
        const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:=\s*(.*))?$/.exec(line);
        if (!match) throw new ComposeError(`failed to read ${file}: line ${index + 1}: unexpected character in variable name "${line}"`, file);
        const [, key, rawValue = ""] = match;
        const lookup = { ...env, ...values };
        let value: string;
        if (rawValue.startsWith("'")) value = rawValue.slice(1, rawValue.lastIndexOf("'") > 0 ? rawValue.lastIndexOf("'") : undefined);
        else if (rawValue.startsWith('"')) {
            const body = rawValue.slice(1, rawValue.lastIndexOf('"') > 0 ? rawValue.lastIndexOf('"') : undefined);
            value = interpolateText(body.replace(/\\n/g, "\n").replace(/\\"/g, '"'), lookup, `${file}:${key}`);
        } else value = interpolateText(rawValue.replace(/\s+#.*$/, "").trim(), lookup, `${file}:${key}`);
        values[key] = value;
    });
    return values;
}
