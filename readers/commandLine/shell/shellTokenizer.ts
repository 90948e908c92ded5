/**
 * The shell's tokenizer: splits script text into words (after expansion and
 * quote removal), operators and redirections, and reads heredoc bodies. It
 * is pulled one token at a time, so that the script reader can apply a
 * command's assignments before the next command's words are expanded.
 */
import { Maybe, UNKNOWN, isKnown } from "../../../topology/model";
import { Heredoc, expandParameter, matchingBrace, matchingParen, newlines } from "./shellText";

import { KEYWORDS, NAME, ShellWord, assignmentOf } from "./shellWords";

const ASSIGNMENT_PREFIX = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;
/** Builtins whose `NAME=VALUE` arguments are assignments. */
const DECLARATIONS = new Set(["export", "readonly", "declare", "typeset", "local"]);

function isAssignment(word: ShellWord): boolean {
    return assignmentOf(word) !== undefined;
}

interface Extent {
    readonly line: number;
    readonly start: number;
    readonly end: number;
}

export type Token =
    | ({ kind: "word"; word: ShellWord } & Extent)
    | ({ kind: "operator"; op: string } & Extent)
    | ({ kind: "redirect"; op: string; heredoc?: Heredoc } & Extent);

/** What the tokenizer asks of the script reader while it expands words. */
interface TokenizerHooks {
    /** A variable's value; also `1`, `2`, … and `#` for the positional parameters. */
    lookup(name: string): Maybe<string>;
    /** `$@` and `$*`: every positional parameter, or undefined when not all are known. */
    parameters(): readonly string[] | undefined;
    assign(name: string, value: string): void;
    /** The body of a `$(…)`, backticks or `<(…)`, which starts on `line`: its commands run. */
    substitute(body: string, line: number): void;
}

/** A syntax error: the shell stops there. */
interface SyntaxProblem {
    readonly line: number;
    readonly start: number;
    readonly reason: string;
}

/**
 * Splits the script into tokens one at a time, so that the reader can apply
 * a command's assignments before the next command's words are expanded.
 */
export class Tokenizer {
    problem: SyntaxProblem | undefined;
    private readonly queue: Token[] = [];
    private readonly pendingHeredocs: Heredoc[] = [];
    /** Words of the current simple command so far, to tell assignments from arguments. */
    private commandWords: ShellWord[] = [];
    private text = "";
    private known = true;
    private mayBeSeveral = false;
    /** `"$@"` with no parameters: the word, if nothing else is added to it, is no word at all. */
    private vanishes = false;
    private inWord = false;
    private wordLine = 1;
    private wordStart = 0;
    private stepStart = 0;
    private line = 1;
    private i = 0;

    constructor(
        private readonly s: string,
        private readonly hooks: TokenizerHooks,
    ) {}

    next(): Token | undefined {
        while (this.queue.length === 0 && this.i < this.s.length && this.problem === undefined) this.step();
        if (this.queue.length === 0 && this.problem === undefined) this.endWord();
        return this.queue.shift();
    }

    private step(): void {
        const s = this.s;
        const c = s[this.i];
        this.stepStart = this.i;
        if (c === "\\") this.backslash();
        else if (c === "'") this.singleQuoted();
        else if (c === '"') this.doubleQuoted();
        else if (c === "$" || c === "`") this.expansion(false);
        else if (c === " " || c === "\t" || c === "\r") {
            this.endWord();
            this.i++;
        } else if (c === "\n") {
            this.endWord();
            const start = this.i++;
            const line = this.line++;
            this.readHeredocBodies();
            this.commandWords = [];
            this.queue.push({ kind: "operator", op: "\n", line, start, end: start + 1 });
        } else if (c === "#" && !this.inWord) {
            while (this.i < s.length && s[this.i] !== "\n") this.i++;
        } else if (c === "(" && this.inWord && ASSIGNMENT_PREFIX.test(this.text) && this.text.endsWith("=")) {
            this.arrayLiteral();
        } else if (c === ";") {
            this.operator(s.startsWith(";;&", this.i) ? ";;&" : s.startsWith(";;", this.i) ? ";;" : s.startsWith(";&", this.i) ? ";&" : ";");
        } else if (c === "|") {
            this.operator(s.startsWith("||", this.i) ? "||" : s.startsWith("|&", this.i) ? "|&" : "|");
        } else if (c === "&") {
            if (s[this.i + 1] === ">") this.redirect();
            else this.operator(s.startsWith("&&", this.i) ? "&&" : "&");
        } else if (c === "(" || c === ")") {
            this.operator(c);
        } else if (c === ">" || c === "<") {
            this.redirect();
        } else {
            this.append(c);
            this.i++;
        }
    }

    private fail(reason: string): void {
        this.problem = { line: this.line, start: this.stepStart, reason };
        this.i = this.s.length;
    }

    private operator(op: string): void {
        this.endWord();
        this.commandWords = [];
        this.queue.push({ kind: "operator", op, line: this.line, start: this.i, end: this.i + op.length });
        this.i += op.length;
    }

    private append(chars: string, known = true): void {
        if (!this.inWord) {
            this.inWord = true;
            this.wordLine = this.line;
            this.wordStart = this.stepStart;
        }
        this.text += chars;
        this.known &&= known;
    }

    private endWord(): void {
        if (this.inWord && !(this.vanishes && this.known && this.text === "")) {
            const word: ShellWord = {
                text: this.text,
                known: this.known,
                ...(this.mayBeSeveral ? { mayBeSeveral: true } : {}),
                source: this.s.slice(this.wordStart, Math.max(this.i, this.wordStart + 1)),
            };
            this.queue.push({ kind: "word", word, line: this.wordLine, start: this.wordStart, end: this.i });
            this.commandWords.push(word);
        }
        this.inWord = false;
        this.text = "";
        this.known = true;
        this.mayBeSeveral = false;
        this.vanishes = false;
    }

    /** An expansion's value: unquoted, a known value is split into words on blanks, as the shell splits it. */
    private appendValue(value: Maybe<string>, quoted: boolean): void {
        if (!isKnown(value)) {
            this.append("", false);
            if (!quoted) this.mayBeSeveral = true;
            return;
        }
        // Assignments are not split (`A=$B` keeps B's blanks).
        if (quoted || this.inAssignment()) {
            this.append(value);
            return;
        }
        value.split(/[ \t\n]+/).forEach((field, index) => {
            if (index > 0) this.endWord();
            if (field !== "") this.append(field);
        });
    }

    /** True while the current word is an assignment: `NAME=` written plainly, before the program or after `export` and its kin. */
    private inAssignment(): boolean {
        if (!this.inWord || !ASSIGNMENT_PREFIX.test(this.s.slice(this.wordStart, this.i))) return false;
        const program = this.commandWords.find((word) => !(word.known && KEYWORDS.has(word.text)) && !isAssignment(word));
        return program === undefined || (program.known && DECLARATIONS.has(program.text));
    }

    private backslash(): void {
        const next = this.s[this.i + 1];
        if (next === "\n") this.line++; // line continuation: the command goes on
        else if (next !== undefined) this.append(next);
        this.i += 2;
    }

    private singleQuoted(): void {
        const end = this.s.indexOf("'", this.i + 1);
        if (end < 0) return this.fail("a single quote (') is never closed");
        const body = this.s.slice(this.i + 1, end);
        this.append(body);
        this.line += newlines(body);
        this.i = end + 1;
    }

    private doubleQuoted(): void {
        const s = this.s;
        this.append("");
        this.i++;
        while (this.i < s.length && s[this.i] !== '"') {
            const c = s[this.i];
            if (c === "\\" && '$`"\\\n'.includes(s[this.i + 1] ?? "")) {
                if (s[this.i + 1] === "\n") this.line++;
                else this.append(s[this.i + 1]);
                this.i += 2;
            } else if (c === "$" || c === "`") {
                this.expansion(true);
                if (this.problem) return;
            } else {
                if (c === "\n") this.line++;
                this.append(c);
                this.i++;
            }
        }
        if (this.i >= s.length) return this.fail('a double quote (") is never closed');
        this.i++;
    }

    /** `$NAME`, `${…}`, `$(…)`, `$((…))`, `` `…` ``, `$'…'`, `$1`, `$?`. */
    private expansion(quoted: boolean): void {
        const s = this.s;
        if (s[this.i] === "`") {
            let end = this.i + 1;
            while (end < s.length && s[end] !== "`") end += s[end] === "\\" ? 2 : 1;
            if (end >= s.length) return this.fail("a backtick (`) substitution is never closed");
            this.substitute(s.slice(this.i + 1, end).replace(/\\([\\`$])/g, "$1"), end + 1);
            return this.appendValue(UNKNOWN, quoted);
        }
        const next = s[this.i + 1] ?? "";
        if (next === "(") {
            const close = matchingParen(s, this.i + 1);
            if (close < 0) return this.fail("a $( substitution is never closed");
            if (s[this.i + 2] === "(" && s[close - 1] === ")") {
                this.line += newlines(s.slice(this.i, close)); // $(( arithmetic ))
                this.i = close + 1;
            } else {
                this.substitute(s.slice(this.i + 2, close), close + 1);
            }
            this.appendValue(UNKNOWN, quoted);
        } else if (next === "{") {
            const close = matchingBrace(s, this.i + 2);
            if (close < 0) return this.fail("a ${ expansion is never closed");
            const body = s.slice(this.i + 2, close);
            this.line += newlines(body);
            this.i = close + 1;
            if (body === "@" || body === "*") this.appendParameters(body, quoted);
            else this.appendValue(expandParameter(body, this.hooks), quoted);
        } else if (NAME.test(next)) {
            let end = this.i + 1;
            while (end < s.length && /[A-Za-z0-9_]/.test(s[end])) end++;
            const name = s.slice(this.i + 1, end);
            this.i = end;
            this.appendValue(this.hooks.lookup(name), quoted);
        } else if (next === "@" || next === "*") {
            this.i += 2;
            this.appendParameters(next, quoted);
        } else if (/[0-9#]/.test(next)) {
            this.i += 2;
            this.appendValue(this.hooks.lookup(next), quoted);
        } else if (/[?$!-]/.test(next)) {
            this.i += 2;
            this.appendValue(UNKNOWN, quoted);
        } else if (next === "'" && !quoted) {
            this.ansiQuoted();
        } else if (next === '"' && !quoted) {
            this.i++; // $"…": a translatable string, read as "…"
        } else {
            this.append("$");
            this.i++;
        }
    }

    /** `$@`, `$*`: unquoted, every parameter split into words; `"$*"` one word; `"$@"` one word per parameter. */
    private appendParameters(which: "@" | "*", quoted: boolean): void {
        const all = this.hooks.parameters();
        if (all === undefined) {
            this.appendValue(UNKNOWN, quoted);
            if (which === "@") this.mayBeSeveral = true;
            return;
        }
        if (!quoted || which === "*") return this.appendValue(all.join(" "), quoted);
        if (all.length === 0) {
            this.append("");
            this.vanishes = this.text === "";
        }
        all.forEach((value, index) => {
            if (index > 0) this.endWord();
            this.append(value);
        });
    }

    /** Reads the commands of a substitution whose text is `body` and that ends at `end`. */
    private substitute(body: string, end: number): void {
        this.hooks.substitute(body, this.line);
        this.line += newlines(this.s.slice(this.i, end));
        this.i = end;
    }

    /** `$'…'`: C-style escapes. */
    private ansiQuoted(): void {
        const s = this.s;
        let end = this.i + 2;
        while (end < s.length && s[end] !== "'") end += s[end] === "\\" ? 2 : 1;
        if (end >= s.length) return this.fail("a $' quote is never closed");
        const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"' };
        this.append(s.slice(this.i + 2, end).replace(/\\(.)/g, (all, c: string) => escapes[c] ?? all));
        this.line += newlines(s.slice(this.i, end));
        this.i = end + 1;
    }

    /** `name=(a b c)`: an array's words are data, and its value unknown. */
    private arrayLiteral(): void {
        const close = matchingParen(this.s, this.i);
        if (close < 0) return this.fail("an array's ( is never closed");
        this.line += newlines(this.s.slice(this.i, close));
        this.i = close + 1;
        this.append("", false);
    }

    /** `>`, `>>`, `<`, `2>&1`, `&>`, `<<EOF`, `<<<`, `<(…)`: the operator (the reader drops or reads its target). */
    private redirect(): void {
        const s = this.s;
        if (this.inWord && /^\d+$/.test(this.text) && this.known) {
            this.inWord = false; // a file-descriptor number belongs to the operator
            this.text = "";
        } else {
            this.endWord();
        }
        if ((s[this.i] === "<" || s[this.i] === ">") && s[this.i + 1] === "(") {
            const close = matchingParen(s, this.i + 1);
            if (close < 0) return this.fail(`a ${s[this.i]}( substitution is never closed`);
            this.substitute(s.slice(this.i + 2, close), close + 1);
            return this.appendValue(UNKNOWN, true);
        }
        const op = ["<<<", "<<-", "&>>", "<<", "<>", "<&", ">>", ">&", ">|", "&>", "<", ">"].find((o) => s.startsWith(o, this.i))!;
        const start = this.i;
        this.i += op.length;
        const heredoc = op === "<<" || op === "<<-" ? this.heredocDelimiter(op === "<<-") : undefined;
        this.queue.push({ kind: "redirect", op, heredoc, line: this.line, start, end: this.i });
    }

    /** Reads the delimiter word after `<<`; the body follows at the next newline. */
    private heredocDelimiter(stripTabs: boolean): Heredoc {
        const s = this.s;
        while (s[this.i] === " " || s[this.i] === "\t") this.i++;
        let delimiter = "";
        let quoted = false;
        while (this.i < s.length && !/[\s;&|<>()]/.test(s[this.i])) {
            const c = s[this.i];
            if (c === "'" || c === '"') {
                const end = s.indexOf(c, this.i + 1);
                const stop = end < 0 ? s.length : end;
                delimiter += s.slice(this.i + 1, stop);
                quoted = true;
                this.i = stop + 1;
            } else if (c === "\\") {
                delimiter += s[this.i + 1] ?? "";
                quoted = true;
                this.i += 2;
            } else {
                delimiter += c;
                this.i++;
            }
        }
        const heredoc: Heredoc = { delimiter, quoted, stripTabs, body: "", bodyLine: this.line + 1 };
        this.pendingHeredocs.push(heredoc);
        return heredoc;
    }

    /** After a newline: the bodies of the heredocs opened on the line before, up to their delimiters. */
    private readHeredocBodies(): void {
        const s = this.s;
        for (const heredoc of this.pendingHeredocs.splice(0)) {
            heredoc.bodyLine = this.line;
            const lines: string[] = [];
            while (this.i < s.length) {
                const newline = s.indexOf("\n", this.i);
                const end = newline < 0 ? s.length : newline;
                const text = heredoc.stripTabs ? s.slice(this.i, end).replace(/^\t+/, "") : s.slice(this.i, end);
                this.i = end + 1;
                this.line++;
                if (text === heredoc.delimiter) break;
                lines.push(text);
            }
            heredoc.body = lines.map((line) => `${line}\n`).join("");
        }
    }
}

