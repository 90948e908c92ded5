/**
 * Shell functions: a definition (`NAME() { … }`, `function NAME { … }`) is
 * kept, not run; each call runs its body in the calling shell with the
 * call's words as positional parameters (`$1`, `$#`, `$@`, `"$@"`, …).
 */
import { Maybe, UNKNOWN, isKnown } from "../../../topology/model";
import { Token } from "./shellTokenizer";
import { ShellWord } from "./shellWords";

/** The positional parameters of a call: their values, and whether their number is known. */
export interface Positional {
    readonly values: readonly Maybe<string>[];
    /** False when an unquoted unknown word may have given several parameters, or none: later ones shift. */
    readonly complete: boolean;
}

/** The parameters a call's words give. */
export function positionalOf(args: readonly ShellWord[]): Positional {
    const values: Maybe<string>[] = [];
    for (const word of args) {
        if (word.mayBeSeveral) return { values, complete: false };
        values.push(word.known ? word.text : UNKNOWN);
    }
    return { values, complete: true };
}

/** `$N` and `$#`; outside any function (undefined) the script's own parameters are unknown. */
export function positionalValue(positional: Positional | undefined, name: string): Maybe<string> {
    if (positional === undefined) return UNKNOWN;
    if (name === "#") return positional.complete ? String(positional.values.length) : UNKNOWN;
    const index = Number(name) - 1;
    if (index < 0) return UNKNOWN; // $0: the shell's name
    if (index < positional.values.length) return positional.values[index];
    return positional.complete ? "" : UNKNOWN;
}

/** `$@` and `$*`: every parameter, or undefined when any is unknown or their number is. */
export function allPositional(positional: Positional | undefined): string[] | undefined {
    if (positional === undefined || !positional.complete || !positional.values.every(isKnown)) return undefined;
    return positional.values as string[];
}

/** `shift [N]`. */
export function shifted(positional: Positional, count: Maybe<string> | undefined): Positional {
    const n = count === undefined ? 1 : isKnown(count) && /^\d+$/.test(count) ? Number(count) : undefined;
    if (n === undefined) return { values: [], complete: false };
    return { values: positional.values.slice(n), complete: positional.complete };
}

/** A defined function: its body's text, and the line before the body's first line. */
export interface ShellFunction {
    readonly body: string;
    readonly lineBase: number;
}

const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;

type Stage = { kind: "open" | "close"; name: string } | { kind: "body"; name: string; depth: number; start: number; line: number };

/** What one token did to a definition being read. */
export interface DefinitionStep {
    /** The token belongs to a definition: it runs nothing. */
    readonly consumed: boolean;
    /** A definition ended with this token: the body's text and its first line (in the script being read). */
    readonly defined?: { readonly name: string; readonly body: string; readonly line: number };
}

/**
 * Follows `NAME ( ) {` … `}` and `function NAME {` … `}` through the token
 * stream. A body that is not a brace group (`f() ( … )`, `f() if …`) is
 * read as before: its commands count where it is written.
 */
export class FunctionDefinitionReader {
    private stage: Stage | undefined;

    constructor(private readonly script: string) {}

    /** `words`: the current command's words so far; `first`: the token's text when it is a command's first word. */
    feed(token: Token, words: readonly ShellWord[], first: string | undefined): DefinitionStep {
        const stage = this.stage;
        if (stage?.kind === "body") {
            if (first === "{") stage.depth++;
            if (first === "}" && --stage.depth === 0) {
                this.stage = undefined;
                return { consumed: true, defined: { name: stage.name, body: this.script.slice(stage.start, token.start), line: stage.line } };
            }
            return { consumed: true };
        }
        const opensBrace = token.kind === "word" && token.word.known && token.word.text === "{";
        if (stage?.kind === "open" && token.kind === "operator" && token.op === ")") {
            this.stage = { kind: "close", name: stage.name };
            return { consumed: true };
        }
        if (stage?.kind === "close" && token.kind === "operator" && token.op === "\n") return { consumed: true };
        if (stage?.kind === "close" && opensBrace) return this.openBody(stage.name, token);
        this.stage = undefined;
        if (stage !== undefined) return { consumed: false };
        const texts = words.map((word) => (word.known ? word.text : undefined));
        const keyword = texts[0] === "function";
        const name = texts.length === 1 && !keyword ? texts[0] : texts.length === 2 && keyword ? texts[1] : undefined;
        if (name === undefined || !FUNCTION_NAME.test(name)) return { consumed: false };
        if (token.kind === "operator" && token.op === "(") {
            this.stage = { kind: "open", name };
            return { consumed: true };
        }
        return keyword && opensBrace ? this.openBody(name, token) : { consumed: false };
    }

    private openBody(name: string, token: Token): DefinitionStep {
        this.stage = { kind: "body", name, depth: 1, start: token.end, line: token.line };
        return { consumed: true };
    }
}
