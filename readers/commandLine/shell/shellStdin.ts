/** What a shell command reads on its standard input and writes on its output, and the state of a known loop while it is read. */
import { Heredoc } from "./shellText";
import { ShellWord, programName } from "./shellWords";

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

