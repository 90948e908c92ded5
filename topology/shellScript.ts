/**
 * Reads shell text (the `create`/`update`/`delete` strings of a
 * `@pulumi/command` resource) the way a POSIX shell would, without running
 * anything, and returns the simple commands it would run with their words:
 * quotes, escapes, line continuations, comments, `;`, `&&`, `||`, `|`, `&`,
 * newlines, `if`/`while`/`for`/`case` bodies, heredocs and redirections.
 *
 * Commands a script runs through another program are read too: `$(…)` and
 * backtick substitutions, wrappers (`sudo`, `env`, `timeout`, `nice`,
 * `xargs`, … with their own options), `sh -c '…'`, a shell reading a heredoc
 * (`bash <<EOF`), `ssh HOST '…'` and `eval`. A heredoc that feeds anything
 * else is data.
 *
 * Variables assigned earlier in the script are known; the environment's are
 * known when the caller gives them (a command resource's `environment`).
 * Any other expansion makes its word unknown instead of guessed. What
 * cannot be read (a syntax error, an unknown program, an unknown script for
 * `sh -c` or `eval`, …) is reported as not judged, never dropped silently.
 */
import { Maybe, UNKNOWN, isKnown } from "./model";
import { assignmentOf, programName, shellLaunch, sshRemoteCommand, unwrap } from "./shellPrograms";

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

/** One simple command: program and arguments. */
export interface ShellCommand {
    readonly words: readonly ShellWord[];
    /** 1-based line of the script on which the command starts. */
    readonly line: number;
    /** The command as written, on one line and shortened, for messages. */
    readonly excerpt: string;
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

/** Words that start or continue a compound command; the command proper follows them. */
const KEYWORDS = new Set(["if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "fi", "done", "esac"]);
/** Shells nested deeper than this (`eval` of `eval` …) are reported, not followed. */
const MAX_DEPTH = 8;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ASSIGNMENT_PREFIX = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;
/** Builtins whose `NAME=VALUE` arguments are assignments. */
const DECLARATIONS = new Set(["export", "readonly", "declare", "typeset", "local"]);

function isAssignment(word: ShellWord): boolean {
    return assignmentOf(word) !== undefined;
}

/** One line, at most 120 characters: how a command is quoted in messages. */
export function excerptOf(text: string): string {
    const flat = text.replace(/\\\n/g, " ").replace(/\s+/g, " ").trim();
    return flat.length > 120 ? `${flat.slice(0, 119)}…` : flat;
}

/** Index of the `)` that closes the `(` at `open`, skipping quoted text; -1 when there is none. */
function matchingParen(s: string, open: number): number {
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
function matchingBrace(s: string, from: number): number {
    let depth = 1;
    for (let j = from; j < s.length; j++) {
        if (s[j] === "\\") j++;
        else if (s[j] === "{" && s[j - 1] === "$") depth++;
        else if (s[j] === "}" && --depth === 0) return j;
    }
    return -1;
}

function newlines(text: string): number {
    return text.split("\n").length - 1;
}

/** A heredoc's body, filled in when the tokenizer reaches the line after its operator. */
interface Heredoc {
    readonly delimiter: string;
    /** Any quoting in the delimiter: the body is taken literally. */
    readonly quoted: boolean;
    readonly stripTabs: boolean;
    body: string;
    /** Line of the body's first line. */
    bodyLine: number;
}

interface Extent {
    readonly line: number;
    readonly start: number;
    readonly end: number;
}

type Token =
    | ({ kind: "word"; word: ShellWord } & Extent)
    | ({ kind: "operator"; op: string } & Extent)
    | ({ kind: "redirect"; op: string; heredoc?: Heredoc } & Extent);

/** What the tokenizer asks of the script reader while it expands words. */
interface TokenizerHooks {
    lookup(name: string): Maybe<string>;
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
class Tokenizer {
    problem: SyntaxProblem | undefined;
    private readonly queue: Token[] = [];
    private readonly pendingHeredocs: Heredoc[] = [];
    /** Words of the current simple command so far, to tell assignments from arguments. */
    private commandWords: ShellWord[] = [];
    private text = "";
    private known = true;
    private mayBeSeveral = false;
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
        if (this.inWord) {
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
            this.appendValue(this.parameter(body), quoted);
        } else if (NAME.test(next)) {
            let end = this.i + 1;
            while (end < s.length && /[A-Za-z0-9_]/.test(s[end])) end++;
            const name = s.slice(this.i + 1, end);
            this.i = end;
            this.appendValue(this.hooks.lookup(name), quoted);
        } else if (/[0-9@*#?$!-]/.test(next)) {
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

    /** Reads the commands of a substitution whose text is `body` and that ends at `end`. */
    private substitute(body: string, end: number): void {
        this.hooks.substitute(body, this.line);
        this.line += newlines(this.s.slice(this.i, end));
        this.i = end;
    }

    /** `${NAME}`, `${#NAME}`, `${NAME:-word}` and its kin with a literal word; anything else is unknown. */
    private parameter(body: string): Maybe<string> {
        if (NAME.test(body)) return this.hooks.lookup(body);
        const length = /^#([A-Za-z_][A-Za-z0-9_]*)$/.exec(body);
        if (length) {
            const value = this.hooks.lookup(length[1]);
            return isKnown(value) ? String(value.length) : UNKNOWN;
        }
        const operation = /^([A-Za-z_][A-Za-z0-9_]*)(:?)([-=+?])([\s\S]*)$/.exec(body);
        if (!operation) return UNKNOWN;
        const [, name, colon, op, word] = operation;
        const value = this.hooks.lookup(name);
        const literal: Maybe<string> = /[$`"'\\]/.test(word) ? UNKNOWN : word;
        if (!isKnown(value)) return UNKNOWN;
        const set = colon === "" || value !== "";
        if (op === "+") return set ? literal : "";
        if (op === "?") return set ? value : UNKNOWN;
        if (!set && op === "=" && isKnown(literal)) this.hooks.assign(name, literal);
        return set ? value : literal;
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

/** Variables of one shell: their values (absent: from the environment, unknown) and which are exported. */
interface Scope {
    readonly vars: Map<string, Maybe<string>>;
    readonly exported: Set<string>;
}

/** What a command reads on standard input from a heredoc or a here-string. */
type Stdin = { kind: "heredoc"; heredoc: Heredoc } | { kind: "string"; word: ShellWord; line: number };

interface PendingCommand {
    tokens: (Token & { kind: "word" })[];
    stdin?: Stdin;
    start?: number;
    end?: number;
}

/** Reads one script (or a nested one: `sh -c`, a heredoc fed to a shell, `eval`, `$(…)`) into the shared output. */
class ScriptReader {
    constructor(
        private readonly script: string,
        private readonly scope: Scope,
        private readonly out: ShellScriptReading,
        /** Lines of the outermost script before this one's first line. */
        private readonly lineBase: number,
        private readonly depth: number,
    ) {}

    read(): void {
        if (this.depth > MAX_DEPTH) {
            this.notJudged(1, this.script, `shells nested more than ${MAX_DEPTH} deep are not followed`);
            return;
        }
        const tokenizer = new Tokenizer(this.script, {
            lookup: (name) => (this.scope.vars.has(name) ? this.scope.vars.get(name)! : UNKNOWN),
            assign: (name, value) => this.scope.vars.set(name, value),
            substitute: (body, line) => this.nested(body, this.subshellScope(), line - 1),
        });
        let command: PendingCommand = { tokens: [] };
        let redirectOp: string | undefined;
        const cases = { open: 0, inPattern: false };
        for (let token = tokenizer.next(); token !== undefined; token = tokenizer.next()) {
            if (cases.inPattern) {
                // `pattern)` of a case item: data, up to the `)`.
                if (token.kind === "operator" && token.op === ")") cases.inPattern = false;
                if (token.kind === "word" && token.word.text === "esac") {
                    cases.open--;
                    cases.inPattern = false;
                }
                continue;
            }
            if (token.kind !== "operator") {
                command.start ??= token.start;
                command.end = token.end;
            }
            if (token.kind === "word") {
                if (redirectOp === "<<<") command.stdin = { kind: "string", word: token.word, line: token.line };
                if (redirectOp !== undefined) {
                    redirectOp = undefined; // a redirection's target is not an argument
                    continue;
                }
                command.tokens.push(token);
                if (isCaseHeader(command.tokens.map((t) => t.word))) {
                    cases.open++;
                    cases.inPattern = true;
                    command = { tokens: [] };
                }
            } else if (token.kind === "redirect") {
                if (token.heredoc) command.stdin = { kind: "heredoc", heredoc: token.heredoc };
                else redirectOp = token.op;
            } else {
                redirectOp = undefined;
                const output = this.finish(command);
                // `cat <<EOF | sh`, `echo '…' | bash`: the next command of the pipeline reads the output.
                command = token.op === "|" && output ? { tokens: [], stdin: output } : { tokens: [] };
                if (cases.open > 0 && [";;", ";&", ";;&"].includes(token.op)) cases.inPattern = true;
            }
        }
        const problem = tokenizer.problem;
        if (problem) this.notJudged(problem.line, this.script.slice(command.start ?? problem.start), `${problem.reason}: the shell stops here with a syntax error`);
        else this.finish(command);
    }

    private notJudged(line: number, text: string, reason: string): void {
        this.out.notJudged.push({ line: this.lineBase + line, excerpt: excerptOf(text), reason });
    }

    private nested(script: string, scope: Scope, lineBase: number): void {
        new ScriptReader(script, scope, this.out, this.lineBase + lineBase, this.depth + 1).read();
    }

    /** `$(…)` and `( … )` run in a copy of the shell: they see every variable, and their assignments stay inside. */
    private subshellScope(): Scope {
        return { vars: new Map(this.scope.vars), exported: new Set(this.scope.exported) };
    }

    /** A new shell (`sh -c`, `bash <<'EOF'`) sees only exported variables, and what the command line adds. */
    private childShellScope(assignments: readonly [string, Maybe<string>][]): Scope {
        const vars = new Map([...this.scope.vars].filter(([name]) => this.scope.exported.has(name)));
        for (const [name, value] of assignments) vars.set(name, value);
        return { vars, exported: new Set(vars.keys()) };
    }

    /** Reads one simple command; returns what it writes on its standard output when that is known text. */
    private finish(command: PendingCommand): Stdin | undefined {
        const tokens = [...command.tokens];
        while (tokens.length > 0 && tokens[0].word.known && KEYWORDS.has(tokens[0].word.text)) tokens.shift();
        if (tokens.length === 0 || (tokens[0].word.known && tokens[0].word.text === "function")) return undefined;
        const line = tokens[0].line;
        const excerpt = this.script.slice(command.start, command.end);
        let words = tokens.map((token) => token.word);
        const assignments: [string, Maybe<string>][] = [];
        for (let assignment = assignmentOf(words[0]); assignment; assignment = words[0] && assignmentOf(words[0])) {
            assignments.push(assignment);
            words = words.slice(1);
        }
        if (words.length === 0) {
            for (const [name, value] of assignments) this.scope.vars.set(name, value);
            return undefined;
        }
        this.run(words, assignments, command.stdin, line, excerpt);
        return outputOf(words, command.stdin, line);
    }

    private run(words: ShellWord[], assignments: [string, Maybe<string>][], stdin: Stdin | undefined, line: number, excerpt: string): void {
        for (;;) {
            const program = words[0];
            if (!program.known) {
                this.notJudged(line, excerpt, `the program it runs is unknown (${program.source ?? "an expansion"})`);
                return;
            }
            const unwrapped = unwrap(words);
            if (!unwrapped) break;
            if (!unwrapped.runs || unwrapped.words.length === 0) return;
            words = unwrapped.words;
            assignments.push(...unwrapped.assignments);
        }
        const name = programName(words[0]);
        const args = words.slice(1);
        if (this.builtin(name, args, line, excerpt)) return;

        const launch = shellLaunch(words);
        if (launch?.kind === "command") {
            const script = launch.script;
            if (script === undefined) return;
            if (!script.known) this.notJudged(line, excerpt, `the script that ${name} -c runs is unknown (${script.source ?? "an expansion"})`);
            else this.nested(script.text, this.childShellScope(assignments), line - 1);
            return;
        }
        if (launch?.kind === "stdin") return this.fromStdin(name, stdin, this.childShellScope(assignments), line, excerpt);
        if (launch?.kind === "file") {
            this.notJudged(line, excerpt, `${name} runs the script file ${launch.file.source ?? launch.file.text}, which is not read`);
            return;
        }
        const remote = sshRemoteCommand(words);
        if (remote !== undefined) {
            // The remote shell sees none of this script's variables.
            const empty: Scope = { vars: new Map(), exported: new Set() };
            if (remote.length === 0) return this.fromStdin("ssh", stdin, empty, line, excerpt);
            const unknown = remote.find((word) => !word.known);
            if (unknown) this.notJudged(line, excerpt, `the command that ssh runs remotely is unknown (${unknown.source ?? "an expansion"})`);
            else this.nested(remote.map((word) => word.text).join(" "), empty, line - 1);
            return;
        }
        this.out.commands.push({ words, line: this.lineBase + line, excerpt: excerptOf(excerpt) });
    }

    /** A shell reading its script on standard input: from a heredoc or here-string, or from a pipe it cannot see. */
    private fromStdin(name: string, stdin: Stdin | undefined, scope: Scope, line: number, excerpt: string): void {
        if (stdin?.kind === "heredoc") {
            // An unquoted heredoc is expanded by this shell first: it sees all of this shell's variables.
            const bodyScope = stdin.heredoc.quoted ? scope : this.subshellScope();
            this.nested(stdin.heredoc.body, bodyScope, stdin.heredoc.bodyLine - 1);
        } else if (stdin?.kind === "string" && stdin.word.known) {
            this.nested(stdin.word.text, scope, stdin.line - 1);
        } else {
            this.notJudged(line, excerpt, `the script that ${name} reads on its standard input is not in the command`);
        }
    }

    /** Builtins that change variables or run text as a script; true when `name` was one. */
    private builtin(name: string, args: ShellWord[], line: number, excerpt: string): boolean {
        const operands = args.filter((word) => !(word.known && /^[-+]/.test(word.text)));
        switch (name) {
            case "export":
            case "readonly":
            case "declare":
            case "typeset":
            case "local":
                for (const word of operands) {
                    const assignment = assignmentOf(word);
                    const variable = assignment?.[0] ?? word.text;
                    if (assignment) this.scope.vars.set(...assignment);
                    if (name === "export" || args.some((a) => a.known && /^-[a-z]*x/.test(a.text))) this.scope.exported.add(variable);
                }
                return true;
            case "unset":
                for (const word of operands) this.scope.vars.set(word.text, "");
                return true;
            case "read":
            case "mapfile":
            case "readarray":
                for (const word of operands) if (NAME.test(word.text)) this.scope.vars.set(word.text, UNKNOWN);
                return true;
            case "for":
            case "select":
                if (args[0]?.known && NAME.test(args[0].text)) this.scope.vars.set(args[0].text, UNKNOWN);
                return true;
            case ".":
            case "source":
                this.notJudged(line, excerpt, `${name} runs the script file ${args[0]?.source ?? "(none)"} in this shell, which is not read`);
                return true;
            case "eval": {
                const unknown = args.find((word) => !word.known);
                if (unknown) this.notJudged(line, excerpt, `eval runs a string that is unknown (${unknown.source ?? "an expansion"})`);
                else new ScriptReader(args.map((word) => word.text).join(" "), this.scope, this.out, this.lineBase + line - 1, this.depth + 1).read();
                return true;
            }
            default:
                return false;
        }
    }
}

/** What `cat` (of its standard input) or `echo` with known words writes, or undefined. */
function outputOf(words: readonly ShellWord[], stdin: Stdin | undefined, line: number): Stdin | undefined {
    const [program, ...args] = words;
    if (!program.known) return undefined;
    if (programName(program) === "cat" && args.length === 0) return stdin;
    if (programName(program) !== "echo" || args.some((word) => !word.known)) return undefined;
    let i = 0;
    while (i < args.length && /^-[neE]+$/.test(args[i].text)) i++;
    return { kind: "string", word: { text: args.slice(i).map((word) => word.text).join(" "), known: true }, line };
}

function isCaseHeader(words: readonly ShellWord[]): boolean {
    let i = 0;
    while (i < words.length && words[i].known && KEYWORDS.has(words[i].text)) i++;
    return words.length - i === 3 && words[i].text === "case" && words[i + 2].text === "in";
}

/**
 * Reads a script: the simple commands it runs, in order, and what could not
 * be read. `env` supplies the values of variables from the environment (e.g.
 * a command resource's `environment`); any other variable not assigned by
 * the script is unknown.
 */
export function readShellScript(script: string, env?: ReadonlyMap<string, string>): ShellScriptReading {
    const out: ShellScriptReading = { commands: [], notJudged: [] };
    const scope: Scope = { vars: new Map(env ?? []), exported: new Set(env?.keys() ?? []) };
    new ScriptReader(script.replace(/\r\n/g, "\n"), scope, out, 0, 0).read();
    return out;
}

/** The simple commands of a script, in order (see {@link readShellScript}). */
export function splitShellCommands(script: string, env?: ReadonlyMap<string, string>): ShellCommand[] {
    return readShellScript(script, env).commands;
}
