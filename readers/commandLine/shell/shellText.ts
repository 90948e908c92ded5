/** Scanning raw script text: where a parenthesis or a `${` closes, how many lines a text spans; heredocs; `${…}`. */
import { Maybe, UNKNOWN, isKnown } from "../../../topology/model";
import { NAME } from "./shellWords";

/** A heredoc's body, filled in when the tokenizer reaches the line after its operator. */
export interface Heredoc {
    readonly delimiter: string;
    /** Any quoting in the delimiter: the body is taken literally. */
    readonly quoted: boolean;
    readonly stripTabs: boolean;
    body: string;
    /** Line of the body's first line. */
    bodyLine: number;
}


/** Index of the `)` that closes the `(` at `open`, skipping quoted text; -1 when there is none. */
export function matchingParen(s: string, open: number): number {
    let depth = 0;
    for (let j = open; j < s.length; j++) {
        const c = s[j];
        if (c === "\\") j++;
        else if (c === "'") {
            j = s.indexOf("'", j + 1);
            if (j < 0) return -1;
        } else if (c === '"') {
            for (j++; j < s.length && s[j] !== '"'; j++) if (s[j] === "\\") j++;
            if (j >= s.length) return -1;
        } else if (c === "(") depth++;
        else if (c === ")" && --depth === 0) return j;
    }
    return -1;
}

/** Index of the `}` that closes a `${`, counting nested `${…}`; -1 when there is none. */
export function matchingBrace(s: string, from: number): number {
    let depth = 1;
    for (let j = from; j < s.length; j++) {
        if (s[j] === "\\") j++;
        else if (s[j] === "{" && s[j - 1] === "$") depth++;
        else if (s[j] === "}" && --depth === 0) return j;
    }
    return -1;
}

export function newlines(text: string): number {
    return text.split("\n").length - 1;
}

/** `${NAME}`, `${#NAME}`, `${NAME:-word}` and its kin with a literal word; anything else is unknown. */
export function expandParameter(body: string, hooks: { lookup(name: string): Maybe<string>; assign(name: string, value: string): void }): Maybe<string> {
    if (NAME.test(body) || /^(\d+|#)$/.test(body)) return hooks.lookup(body);
    const length = /^#([A-Za-z_][A-Za-z0-9_]*)$/.exec(body);
    if (length) {
        const value = hooks.lookup(length[1]);
        return isKnown(value) ? String(value.length) : UNKNOWN;
    }
    const operation = /^([A-Za-z_][A-Za-z0-9_]*|\d+)(:?)([-=+?])([\s\S]*)$/.exec(body);
    if (!operation) return UNKNOWN;
    const [, name, colon, op, word] = operation;
    const value = hooks.lookup(name);
    const literal: Maybe<string> = /[$`"'\\]/.test(word) ? UNKNOWN : word;
    if (!isKnown(value)) return UNKNOWN;
    const set = colon === "" || value !== "";
    if (op === "+") return set ? literal : "";
    if (op === "?") return set ? value : UNKNOWN;
    if (!set && op === "=" && isKnown(literal) && NAME.test(name)) hooks.assign(name, literal);
    return set ? value : literal;
}
