/**
 * The words of a shell command as the tokenizer hands them on, and what the
 * tokenizer, the script reader and the program table all ask of one: is it
 * an assignment, which program does it name.
 */
import { Maybe, UNKNOWN } from "../../../topology/model";

/** One word of a command after expansion and quote removal. */
export interface ShellWord {
    /**
     * The word's text after quote removal. For an unknown word, the known
     * parts only (`--network=$NET` gives `--network=`), so an option's name
     * can still be read when its value cannot.
     */
    readonly text: string;
    /** False when the word contains an expansion whose value cannot be known from the script. */
    readonly known: boolean;
    /** An unquoted unknown expansion: the shell may split it into several words, or none. */
    readonly mayBeSeveral?: boolean;
    /** The word as written in the script, for messages. */
    readonly source?: string;
}

/** Words that start or continue a compound command; the command proper follows them. */
export const KEYWORDS = new Set(["if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "fi", "done", "esac"]);
export const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;

/** `NAME=VALUE` as name and value (unknown when the word is), or undefined for other words (`"A"=1` is one). */
export function assignmentOf(word: ShellWord): [string, Maybe<string>] | undefined {
    const match = ASSIGNMENT.exec(word.text);
    if (!match || (word.source !== undefined && !word.source.startsWith(match[0]))) return undefined;
    return [match[1], word.known ? word.text.slice(match[0].length) : UNKNOWN];
}

export function programName(word: ShellWord): string {
    return word.text.slice(word.text.lastIndexOf("/") + 1);
}

/** `case WORD in`, after any keywords. */
export function isCaseHeader(words: readonly ShellWord[]): boolean {
    let i = 0;
    while (i < words.length && words[i].known && KEYWORDS.has(words[i].text)) i++;
    return words.length - i === 3 && words[i].text === "case" && words[i + 2].text === "in";
}
