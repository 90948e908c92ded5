/**
 * Docker's command-line option parsing, as the docker CLI (cobra/pflag and
 * its `opts` package) does it: options and positionals of one subcommand,
 * boolean flags, clusters of short options, and the CSV "long syntax" of
 * `--network` and `--publish`. Words are the shell's (`ShellWord`): a value
 * hidden behind an unknown expansion stays unknown.
 */
import { parseGoBool } from "../../topology/driverOptions";
import { Maybe, UNKNOWN } from "../../topology/model";
import { ShellWord } from "./shell/shellWords";

/** A docker subcommand's options: which take no value, and the long names of short letters. */
export interface CliSyntax {
    readonly flags: ReadonlySet<string>;
    readonly short: Readonly<Record<string, string>>;
    /**
     * The options that take a value, when the subcommand's list is complete:
     * any other option is one the CLI does not know (it refuses the command,
     * or it is newer than this reader). Absent: options are not checked.
     */
    readonly withValue?: ReadonlySet<string>;
}

export interface ParsedOption {
    readonly name: string;
    readonly value: ShellWord;
}

export interface ParsedArgs {
    readonly options: ParsedOption[];
    readonly positionals: ShellWord[];
    /** Unknown words that stood among the options (e.g. `$OPTS`): any option may hide in them. */
    readonly hidden: ShellWord[];
}

const TRUE: ShellWord = { text: "true", known: true };
export const UNKNOWN_WORD: ShellWord = { text: "", known: false };

/**
 * Reads options and positionals. With `stopAtPositional`, the first
 * positional ends the options (`docker run IMAGE ARGS…`: the container's own
 * arguments are not docker's).
 */
export function parseArgs(args: readonly ShellWord[], syntax: CliSyntax, stopAtPositional: boolean): ParsedArgs {
    const options: ParsedOption[] = [];
    const positionals: ShellWord[] = [];
    const hidden: ShellWord[] = [];
    let i = 0;
    const nextValue = () => args[++i] ?? UNKNOWN_WORD;
    for (; i < args.length; i++) {
        const word = args[i];
        if (!word.known) {
            const named = /^--([A-Za-z0-9-]+)=/.exec(word.text);
            if (named) {
                options.push({ name: named[1], value: { ...UNKNOWN_WORD, source: word.source } });
                continue;
            }
            // Before an option it is one or more options. Unquoted, it may be several words: where the
            // first positional ends the options (`docker run`), options may hide in it unless it is the
            // last word (where `docker run -d $IMAGE` wants its image).
            const next = args[i + 1];
            if ((stopAtPositional && word.mayBeSeveral && next !== undefined) || (next?.known && next.text.startsWith("-"))) {
                hidden.push(word);
                continue;
            }
        } else if (word.text === "--") {
            positionals.push(...args.slice(i + 1));
            break;
        } else if (word.text.startsWith("--")) {
            const eq = word.text.indexOf("=");
            const name = word.text.slice(2, eq < 0 ? undefined : eq);
            const value = eq >= 0 ? { text: word.text.slice(eq + 1), known: true } : syntax.flags.has(name) ? TRUE : nextValue();
            options.push({ name, value });
            continue;
        } else if (word.text.startsWith("-") && word.text.length > 1) {
            // A cluster of short options, e.g. `-dit` or `-p8080:80`: the first one that takes a value ends it.
            for (let j = 1; j < word.text.length; j++) {
                const name = syntax.short[word.text[j]] ?? word.text[j];
                if (syntax.flags.has(name) || syntax.short[word.text[j]] === undefined) {
                    options.push({ name, value: TRUE });
                    continue;
                }
                const rest = word.text.slice(j + 1).replace(/^=/, "");
                options.push({ name, value: rest !== "" ? { text: rest, known: true } : nextValue() });
                break;
            }
            continue;
        }
        positionals.push(word);
        if (stopAtPositional) {
            positionals.push(...args.slice(i + 1));
            break;
        }
    }
    return { options, positionals, hidden };
}

/** Options the subcommand does not have (only for syntaxes whose list of options is complete), as written. */
export function unknownOptions(parsed: ParsedArgs, syntax: CliSyntax): string[] {
    const known = syntax.withValue;
    if (known === undefined) return [];
    const names = parsed.options.map((option) => option.name).filter((name) => !syntax.flags.has(name) && !known.has(name));
    return [...new Set(names)].map((name) => (name.length === 1 ? `-${name}` : `--${name}`));
}

export function values(parsed: ParsedArgs, ...names: string[]): ShellWord[] {
    return parsed.options.filter((option) => names.includes(option.name)).map((option) => option.value);
}

export function lastValue(parsed: ParsedArgs, ...names: string[]): ShellWord | undefined {
    return values(parsed, ...names).pop();
}

export function maybeText(word: ShellWord | undefined): Maybe<string> | undefined {
    if (word === undefined) return undefined;
    return word.known ? word.text : UNKNOWN;
}

export function knownTexts(words: readonly ShellWord[]): string[] {
    return words.filter((word) => word.known).map((word) => word.text);
}

/** A boolean flag's value, parsed as Docker's CLI does (Go's `strconv.ParseBool`). */
export function isTrue(word: ShellWord | undefined): boolean {
    return word !== undefined && word.known && parseGoBool(word.text) === true;
}

/** True for a flag given a known false value (`--ipv4=false`); a bare flag is true. */
export function isFalse(word: ShellWord | undefined): boolean {
    return word !== undefined && word.known && parseGoBool(word.text) === false;
}

/**
 * Why the judged values of a docker command are not all known: options
 * hidden in unknown words, unknown values of `options`, unknown or missing
 * `positionals` (index and what it is). Empty when everything is known.
 */
export function unknownValues(parsed: ParsedArgs, options: readonly string[], positionals: readonly [number, string][] = []): string[] {
    const parts = parsed.hidden.map((word) => `options may hide in ${word.source ?? "an unknown word"}`);
    for (const option of parsed.options) {
        if (options.includes(option.name) && !option.value.known) parts.push(`--${option.name} is unknown (${option.value.source ?? "no value"})`);
    }
    for (const [index, what] of positionals) {
        const word = parsed.positionals[index];
        if (word === undefined) parts.push(`the ${what} is missing`);
        else if (!word.known) parts.push(`the ${what} is unknown (${word.source ?? "an expansion"})`);
    }
    return parts;
}

// ---------------------------------------------------------------------------
// The long syntax (`--network name=a,alias=b`, `--publish target=80,published=8080`)

/** The docker CLI reads a value as the long syntax when this matches anywhere in it (`opts.NetworkOpt`, `opts.PortOpt`). */
const LONG_SYNTAX = /\w+=\w+(,\w+=\w+)*/;

export function isLongSyntax(text: string): boolean {
    return LONG_SYNTAX.test(text);
}

/** A value Docker's CLI refuses, and its reason (the CLI's own words where it has them). */
export interface Refused {
    readonly refused: string;
}

export function isRefused<T>(value: T | Refused): value is Refused {
    return typeof value === "object" && value !== null && "refused" in value;
}

/**
 * One record of Go's `encoding/csv` (comma-separated, `"…"` quoting with
 * `""` for a quote), as the CLI reads the long syntax; refused where Go
 * returns an error (a bare quote in an unquoted field, text after a closing
 * quote, an unclosed quote).
 */
export function csvRecord(text: string): string[] | Refused {
    const fields: string[] = [];
    let i = 0;
    for (;;) {
        let field = "";
        if (text[i] === '"') {
            i++;
            for (;;) {
                if (i >= text.length) return { refused: `unclosed quote in ${JSON.stringify(text)}` };
                if (text[i] === '"') {
                    if (text[i + 1] === '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                field += text[i++];
            }
            if (i < text.length && text[i] !== ",") return { refused: `extraneous text after a quoted field in ${JSON.stringify(text)}` };
        } else {
            const end = text.indexOf(",", i);
            field = text.slice(i, end < 0 ? undefined : end);
            if (field.includes('"')) return { refused: `bare " in non-quoted field in ${JSON.stringify(text)}` };
            i += field.length;
        }
        fields.push(field);
        if (i >= text.length) return fields;
        i++; // the comma
    }
}

/** One `--network` value of `docker run` or `docker service create` (`opts.NetworkOpt`). */
export interface NetworkFlag {
    readonly reference: Maybe<string>;
    readonly aliases: string[];
    /** `ip=` of the long syntax (containers only: services get their addresses from the swarm). */
    readonly ip?: string;
    readonly ip6?: string;
    readonly driverOptions: Readonly<Record<string, string>>;
}

/** Keys of the long syntax that the docker CLI 28 accepts. */
const NETWORK_FLAG_KEYS = new Set(["name", "alias", "ip", "ip6", "driver-opt", "link-local-ip", "mac-address", "gw-priority"]);

/**
 * Reads a `--network` value as the docker CLI does: a network name or id,
 * or the long syntax `name=NET,alias=A,alias=B,ip=X,driver-opt=K=V` (CSV;
 * keys and values trimmed). Refused where the CLI refuses it.
 */
export function parseNetworkFlag(word: ShellWord): NetworkFlag | Refused {
    if (!word.known) return { reference: UNKNOWN, aliases: [], driverOptions: {} };
    if (!isLongSyntax(word.text)) return { reference: word.text, aliases: [], driverOptions: {} };
    const fields = csvRecord(word.text);
    if (isRefused(fields)) return fields;
    let reference = "";
    let ip: string | undefined;
    let ip6: string | undefined;
    const aliases: string[] = [];
    const driverOptions: Record<string, string> = {};
    for (const field of fields) {
        const eq = field.indexOf("=");
        const key = field.slice(0, Math.max(eq, 0)).trim();
        const value = field.slice(eq + 1).trim();
        if (eq <= 0 || key === "") return { refused: `invalid field ${field}` };
        if (!NETWORK_FLAG_KEYS.has(key)) return { refused: `invalid field key ${key}` };
        if (key === "name") reference = value;
        else if (key === "alias") aliases.push(value);
        else if (key === "ip") ip = value;
        else if (key === "ip6") ip6 = value;
        else if (key === "driver-opt") {
            const optEq = value.indexOf("=");
            if (optEq <= 0) return { refused: "invalid key value pair format in driver options" };
            driverOptions[value.slice(0, optEq).trim()] = value.slice(optEq + 1).trim();
        }
    }
    if (reference === "") return { refused: "network name/id is not specified" };
    return { reference, aliases, ...(ip === undefined ? {} : { ip }), ...(ip6 === undefined ? {} : { ip6 }), driverOptions };
}
