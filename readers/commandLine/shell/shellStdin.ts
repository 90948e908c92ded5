/** What a shell command reads on its standard input and writes on its output, and the state of a known loop while it is read. */
import { Maybe, UNKNOWN, isKnown } from "../../../topology/model";
import { Heredoc } from "./shellText";
import { NAME, ShellWord, programName } from "./shellWords";

/** What a command reads on standard input from a heredoc or a here-string. */
export type Stdin = { kind: "heredoc"; heredoc: Heredoc } | { kind: "string"; word: ShellWord; line: number };

/** A `for NAME in WORDS` whose words are all known: its body is read once per word. */
export interface KnownLoop {
    readonly name: string;
    readonly items: readonly string[];
}

/** The body of a known loop while the tokenizer passes over it, up to its `done`. */
export interface LoopBody {
    readonly loop: KnownLoop;
    /** `do … done` pairs open, this loop's own included. */
    depth: number;
    readonly start: number;
    readonly line: number;
}

/** What `cat` (of its standard input) or `echo` with known words writes, or undefined. */
export function outputOf(words: readonly ShellWord[], stdin: Stdin | undefined, line: number): Stdin | undefined {
    const [program, ...args] = words;
    if (!program.known) return undefined;
    if (programName(program) === "cat" && args.length === 0) return stdin;
    if (programName(program) !== "echo" || args.some((word) => !word.known)) return undefined;
    let i = 0;
    while (i < args.length && /^-[neE]+$/.test(args[i].text)) i++;
    return { kind: "string", word: { text: args.slice(i).map((word) => word.text).join(" "), known: true }, line };
}


/**
 * The text a command reads from a heredoc or a here-string. A quoted
 * heredoc's body is literal; an unquoted one's is expanded by the shell
 * first (`$NAME`, `${NAME}` from `lookup`; `\$`, `\\`, `` \` `` escaped):
 * any other expansion (`$(…)`, `${NAME:-…}`, `$1`) makes it UNKNOWN.
 */
export function stdinText(stdin: Stdin, lookup: (name: string) => Maybe<string>): Maybe<string> {
    if (stdin.kind === "string") return stdin.word.known ? `${stdin.word.text}\n` : UNKNOWN;
    const body = stdin.heredoc.body;
    if (stdin.heredoc.quoted) return body;
    let out = "";
    for (let i = 0; i < body.length; i++) {
        const c = body[i];
        if (c === "\\" && i + 1 < body.length && "$`\\\n".includes(body[i + 1])) {
            if (body[i + 1] !== "\n") out += body[i + 1];
            i++;
        } else if (c === "`") {
            return UNKNOWN;
        } else if (c === "$") {
            const braced = /^\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(body.slice(i + 1));
            const bare = /^[A-Za-z_][A-Za-z0-9_]*/.exec(body.slice(i + 1));
            const name = braced?.[1] ?? bare?.[0];
            if (name !== undefined && NAME.test(name)) {
                const value = lookup(name);
                if (!isKnown(value)) return UNKNOWN;
                out += value;
                i += braced ? braced[0].length : name.length;
            } else if (i + 1 < body.length && /[({0-9@*#?$!-]/.test(body[i + 1])) {
                return UNKNOWN;
            } else {
                out += c;
            }
        } else {
            out += c;
        }
    }
    return out;
}
