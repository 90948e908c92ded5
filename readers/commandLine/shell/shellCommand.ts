/** A simple command as the script reader hands it on: its words, where it is, and what it reads, writes and sees. */
import { Maybe } from "../../../topology/model";
import { ShellWord } from "./shellWords";

/** One simple command: program and arguments. */
export interface ShellCommand {
    readonly words: readonly ShellWord[];
    /** 1-based line of the script on which the command starts. */
    readonly line: number;
    /** The command as written, on one line and shortened, for messages. */
    readonly excerpt: string;
    /** `&&` or `||` before it: it runs only if the command before it succeeded (or failed). */
    readonly after?: "&&" | "||";
    /** `set -e` is on and the command is not a condition (`if`, `while`, `!`): its failure ends the script. */
    readonly errexit?: true;
    /** What it reads on standard input from a heredoc, a here-string or a known pipe (UNKNOWN where an expansion cannot be read). */
    readonly input?: Maybe<string>;
    /** What it writes on standard output when that is known text (`cat` of its input, `echo`). */
    readonly output?: Maybe<string>;
    /** Files its output is redirected to (`> FILE`, `>> FILE`). */
    readonly writes?: readonly OutputFile[];
    /** Its environment as far as the script sets it: exported variables and its own `NAME=value` prefixes. */
    readonly env: ReadonlyMap<string, Maybe<string>>;
    /** Run by a remote shell (`ssh HOST …`): on another machine, whose files and engine are not this one's. */
    readonly remote?: true;
    /** The machine ssh runs it on (`HOST` without `user@`), unknown behind an expansion; set with `remote`. */
    readonly remoteHost?: Maybe<string>;
}

/** A `> FILE` or `>> FILE` redirection of a command's output. */
export interface OutputFile {
    readonly file: ShellWord;
    readonly append: boolean;
}

/** A part of a script that could not be read as a shell would run it. */
export interface UnreadCommand {
    readonly line: number;
    readonly excerpt: string;
    readonly reason: string;
}

export interface ShellScriptReading {
    readonly commands: ShellCommand[];
    readonly notJudged: UnreadCommand[];
}
