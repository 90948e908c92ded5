/**
 * Splits shell text (the `create`/`update`/`delete` strings of a
 * `@pulumi/command` resource) into simple commands and their words, the way
 * a POSIX shell would before running them: quotes, escapes, line
 * continuations, comments, `;`, `&&`, `||`, `|`, `&` and newlines.
 *
 * It does not run anything. Expansions it cannot know (`$VAR` missing from
 * the given environment, `$(...)`, backticks, arithmetic) make the word
 * unknown instead of guessing its value; redirections are dropped; leading
 * variable assignments, `sudo`/`env`/`exec`/… prefixes and control keywords
 * (`if`, `then`, `do`, `!`, …) are stripped so that the program comes first.
 */

/** One word of a command after quote removal. */
export interface ShellWord {
    /**
     * The word's text after quote removal. For an unknown word, the known
     * parts only (`--network=$NET` gives `--network=`), so an option's name
     * can still be read when its value cannot.
     */
    readonly text: string;
    /** False when the word contains an expansion whose value cannot be known from the script. */
    readonly known: boolean;
}

/** One simple command: program and arguments. */
export interface ShellCommand {
    readonly words: readonly ShellWord[];
    /** 1-based line of the script on which the command starts. */
    readonly line: number;
}

type Token = { kind: "word"; word: ShellWord; line: number } | { kind: "separator" } | { kind: "redirect" };

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** Words that start or continue a compound command; the command proper follows them. */
const KEYWORDS = new Set(["if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "fi", "done", "time"]);

/** Index just past the parenthesis that closes the one before `start` (for `$(...)`), ignoring quoting subtleties. */
function skipParens(text: string, start: number): number {
    let depth = 1;
    let i = start;
    while (i < text.length && depth > 0) {
        const c = text[i];
        if (c === "\\") i++;
        else if (c === "(") depth++;
        else if (c === ")") depth--;
        i++;
    }
    return i;
}

class Tokenizer {
    private readonly tokens: Token[] = [];
    private text = "";
    private known = true;
    private inWord = false;
    private wordLine = 1;
    private line = 1;
    private i = 0;

    constructor(
        private readonly script: string,
        private readonly env: ReadonlyMap<string, string> | undefined,
    ) {}

    run(): Token[] {
        const s = this.script;
        while (this.i < s.length) {
            const c = s[this.i];
            if (c === "\\") {
                this.backslash();
            } else if (c === "'") {
                this.singleQuoted();
            } else if (c === '"') {
                this.doubleQuoted();
            } else if (c === "$" || c === "`") {
                this.expansion();
            } else if (c === " " || c === "\t" || c === "\r") {
                this.endWord();
                this.i++;
            } else if (c === "\n") {
                this.endWord();
                this.tokens.push({ kind: "separator" });
                this.line++;
                this.i++;
            } else if (c === "#" && !this.inWord) {
                while (this.i < s.length && s[this.i] !== "\n") this.i++;
            } else if (c === ";" || c === "|" || c === "(" || c === ")") {
                this.endWord();
                this.tokens.push({ kind: "separator" });
                this.i += s[this.i + 1] === c || (c === "|" && s[this.i + 1] === "&") ? 2 : 1;
            } else if (c === "&") {
                this.endWord();
                if (s[this.i + 1] === ">") {
                    this.i += s[this.i + 2] === ">" ? 3 : 2;
                    this.tokens.push({ kind: "redirect" });
                } else {
                    this.tokens.push({ kind: "separator" });
                    this.i += s[this.i + 1] === "&" ? 2 : 1;
                }
            } else if (c === ">" || c === "<") {
                this.redirect();
            } else {
                this.append(c);
                this.i++;
            }
        }
        this.endWord();
        return this.tokens;
    }

    private append(chars: string, known = true): void {
        if (!this.inWord) {
            this.inWord = true;
            this.wordLine = this.line;
        }
        this.text += chars;
        this.known &&= known;
    }

    private endWord(): void {
        if (this.inWord) this.tokens.push({ kind: "word", word: { text: this.text, known: this.known }, line: this.wordLine });
        this.inWord = false;
        this.text = "";
        this.known = true;
    }

    private backslash(): void {
        const next = this.script[this.i + 1];
        if (next === "\n") {
            this.line++; // line continuation: the command goes on
        } else if (next !== undefined) {
            this.append(next);
        }
        this.i += 2;
    }

    private singleQuoted(): void {
        const end = this.script.indexOf("'", this.i + 1);
        const stop = end < 0 ? this.script.length : end;
        const body = this.script.slice(this.i + 1, stop);
        this.append(body);
        this.line += body.split("\n").length - 1;
        this.i = stop + 1;
    }

    private doubleQuoted(): void {
        const s = this.script;
        this.append("");
        this.i++;
        while (this.i < s.length && s[this.i] !== '"') {
            const c = s[this.i];
            if (c === "\\" && '$`"\\\n'.includes(s[this.i + 1] ?? "")) {
                if (s[this.i + 1] === "\n") this.line++;
                else this.append(s[this.i + 1]);
                this.i += 2;
            } else if (c === "$" || c === "`") {
                this.expansion();
            } else {
                if (c === "\n") this.line++;
                this.append(c);
                this.i++;
            }
        }
        this.i++;
    }

    /** `$NAME`, `${NAME…}`, `$(…)`, `$((…))`, `` `…` ``, `$1`, `$?`: known only for variables the environment gives. */
    private expansion(): void {
        const s = this.script;
        if (s[this.i] === "`") {
            const end = s.indexOf("`", this.i + 1);
            this.i = end < 0 ? s.length : end + 1;
            this.append("", false);
            return;
        }
        const next = s[this.i + 1] ?? "";
        if (next === "(") {
            this.i = skipParens(s, this.i + 2);
            this.append("", false);
        } else if (next === "{") {
            const end = s.indexOf("}", this.i + 2);
            const body = s.slice(this.i + 2, end < 0 ? s.length : end);
            this.i = end < 0 ? s.length : end + 1;
            this.variable(/^[A-Za-z_][A-Za-z0-9_]*$/.test(body) ? body : undefined);
        } else if (NAME_START.test(next)) {
            let end = this.i + 1;
            while (end < s.length && NAME_CHAR.test(s[end])) end++;
            const name = s.slice(this.i + 1, end);
            this.i = end;
            this.variable(name);
        } else if (/[0-9@*#?$!-]/.test(next)) {
            this.i += 2;
            this.append("", false);
        } else {
            this.append("$");
            this.i++;
        }
    }

    private variable(name: string | undefined): void {
        const value = name !== undefined ? this.env?.get(name) : undefined;
        if (value !== undefined) this.append(value);
        else this.append("", false);
    }

    /** `>`, `>>`, `<`, `2>&1`, `>|`, …: the operator and its target are dropped. */
    private redirect(): void {
        const s = this.script;
        if (this.inWord && /^\d+$/.test(this.text)) {
            this.inWord = false; // a file-descriptor number belongs to the operator
            this.text = "";
            this.known = true;
        } else {
            this.endWord();
        }
        this.i++;
        while (this.i < s.length && /[<>&|]/.test(s[this.i])) this.i++;
        this.tokens.push({ kind: "redirect" });
    }
}

function isAssignment(word: ShellWord): boolean {
    return /^[A-Za-z_][A-Za-z0-9_]*=/.test(word.text);
}

/** Removes what runs the command rather than being it: assignments, keywords, `sudo`, `env`, `exec`, `command`, `nohup`. */
function stripPrefixes(words: ShellWord[]): ShellWord[] {
    let i = 0;
    while (i < words.length) {
        const word = words[i];
        if (!word.known) break;
        if (KEYWORDS.has(word.text) || isAssignment(word) || ["exec", "command", "nohup"].includes(word.text)) {
            i++;
        } else if (word.text === "sudo" || word.text === "env") {
            i++;
            // Their own options; `sudo -u USER` and `env -u NAME` take a value.
            while (i < words.length && words[i].known && words[i].text.startsWith("-")) {
                i += /^-[ugCDhpRrT]$/.test(words[i].text) ? 2 : 1;
            }
        } else {
            break;
        }
    }
    return words.slice(i);
}

/**
 * The simple commands of a script, in order. `env` supplies the values of
 * variables (e.g. a command resource's `environment`); any other expansion
 * leaves its word unknown.
 */
export function splitShellCommands(script: string, env?: ReadonlyMap<string, string>): ShellCommand[] {
    const tokens = new Tokenizer(script.replace(/\r\n/g, "\n"), env).run();
    const commands: ShellCommand[] = [];
    let words: ShellWord[] = [];
    let line = 1;
    let dropNext = false;
    const flush = () => {
        const stripped = stripPrefixes(words);
        if (stripped.length > 0) commands.push({ words: stripped, line });
        words = [];
    };
    for (const token of tokens) {
        if (token.kind === "separator") {
            flush();
            dropNext = false;
        } else if (token.kind === "redirect") {
            dropNext = true;
        } else if (dropNext) {
            dropNext = false;
        } else {
            if (words.length === 0) line = token.line;
            words.push(token.word);
        }
    }
    flush();
    return commands;
}
