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
import { excerpt } from "../../../text/excerpt";
import { Maybe, UNKNOWN, isKnown } from "../../../topology/model";
import { FunctionDefinitionReader, allPositional, positionalOf, positionalValue } from "./shellFunctions";
import { Scope, freshScope, variableBuiltin } from "./shellScope";
import { shellLaunch, sshRemoteCommand, unwrap } from "./shellPrograms";
import { OutputFile, ShellCommand, ShellScriptReading } from "./shellCommand";
import { KnownLoop, LoopBody, Stdin, outputOf, stdinText } from "./shellStdin";
import { Token, Tokenizer } from "./shellTokenizer";
import { KEYWORDS, NAME, ShellWord, assignmentOf, isCaseHeader, programName } from "./shellWords";

export { OutputFile, ShellCommand, ShellScriptReading, UnreadCommand } from "./shellCommand";

/** Shells nested deeper than this (`eval` of `eval` …) are reported, not followed. */
const MAX_DEPTH = 8;

/** A command as messages and the preview document quote it: one line, white space folded, unquoted. */
function lineExcerpt(text: string): string {
    return excerpt(text, { form: "line" });
}

interface PendingCommand {
    tokens: (Token & { kind: "word" })[];
    stdin?: Stdin;
    writes?: OutputFile[];
    start?: number;
    end?: number;
}

/** Loops over more words than this are not unrolled: their variable is unknown. */
const MAX_LOOP_ITEMS = 64;

/** Reads one script (or a nested one: `sh -c`, a heredoc fed to a shell, `eval`, `$(…)`) into the shared output. */
class ScriptReader {
    /** Set by a `for` header with known words, until its `do`. */
    private knownLoop: KnownLoop | undefined;
    /** Set while passing over a known loop's body, which is read later, once per word. */
    private loopBody: LoopBody | undefined;
    /** The operator before the command being finished (`&&`, `||`, …). */
    private connector: string | undefined;
    /** Between `if`/`while`/`until` and `then`/`do`, or after `!`: a failure there does not end a `set -e` script. */
    private condition = false;

    constructor(
        private readonly script: string,
        private readonly scope: Scope,
        private readonly out: ShellScriptReading,
        /** Lines of the outermost script before this one's first line. */
        private readonly lineBase: number,
        private readonly depth: number,
        /** A function's body: a plain `return` ends it. */
        private readonly inFunction = false,
        /** `&&` or `||` before the call whose body this is: its first command carries it. */
        private readonly firstConnector?: string,
    ) {}

    read(): void {
        if (this.depth > MAX_DEPTH) {
            this.notJudged(1, this.script, `shells nested more than ${MAX_DEPTH} deep are not followed`);
            return;
        }
        const tokenizer = new Tokenizer(this.script, {
            lookup: (name) => (/^(\d+|#)$/.test(name) ? positionalValue(this.scope.positional, name) : this.scope.vars.has(name) ? this.scope.vars.get(name)! : UNKNOWN),
            parameters: () => allPositional(this.scope.positional),
            assign: (name, value) => {
                if (!this.loopBody) this.scope.vars.set(name, value);
            },
            substitute: (body, line) => {
                if (!this.loopBody) this.nested(body, this.subshellScope(), line - 1);
            },
        });
        let command: PendingCommand = { tokens: [] };
        let redirectOp: string | undefined;
        const cases = { open: 0, inPattern: false };
        let atCommandStart = true;
        // Compound commands open around this point (if, loops, braces, subshells): an `exit` inside may not run.
        let nesting = 0;
        let previousOp: string | undefined = this.firstConnector;
        const definitions = new FunctionDefinitionReader(this.script);
        for (let token = tokenizer.next(); token !== undefined; token = tokenizer.next()) {
            // The first word of a command (after keywords), where `do` and `done` are keywords.
            const first: string | undefined = atCommandStart && token.kind === "word" && token.word.known ? token.word.text : undefined;
            atCommandStart = token.kind === "operator" || (first !== undefined && KEYWORDS.has(first));
            if (this.loopBody) {
                if (first === "do") this.loopBody.depth++;
                if (first === "done" && --this.loopBody.depth === 0) {
                    nesting--;
                    this.unroll(token.start);
                }
                continue;
            }
            const definition = definitions.feed(token, command.tokens.map((t) => t.word), first);
            if (definition.consumed) {
                const defined = definition.defined;
                if (defined) this.scope.functions.set(defined.name, { body: defined.body, lineBase: this.lineBase + defined.line - 1 });
                command = { tokens: [] };
                continue;
            }
            if (first !== undefined && ["if", "elif", "while", "until", "!"].includes(first)) this.condition = true;
            if (first !== undefined && ["then", "do", "else"].includes(first)) this.condition = false;
            if (first !== undefined && ["if", "while", "until", "for", "select", "{"].includes(first)) nesting++;
            if (first !== undefined && ["fi", "done", "}"].includes(first)) nesting--;
            if (token.kind === "operator" && token.op === "(") nesting++;
            if (token.kind === "operator" && token.op === ")" && !cases.inPattern) nesting--;
            if (this.knownLoop && first !== undefined && command.tokens.length === 0) {
                if (first === "do") {
                    this.loopBody = { loop: this.knownLoop, depth: 1, start: token.end, line: token.line };
                    this.knownLoop = undefined;
                    continue;
                }
                if (!KEYWORDS.has(first)) this.knownLoop = undefined;
            }
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
                if (redirectOp !== undefined && /^(>|>>|>\||&>|&>>)$/.test(redirectOp)) (command.writes ??= []).push({ file: token.word, append: redirectOp.endsWith(">>") });
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
                // A plain `exit` of the outermost script: nothing after it runs.
                const leaving = this.depth === 0 ? "exit" : this.inFunction ? "return" : undefined;
                const exits = command.tokens[0]?.word.known && command.tokens[0].word.text === leaving && command.tokens.length <= 2;
                if (exits && nesting === 0 && cases.open === 0 && !["&&", "||", "|"].includes(previousOp ?? "") && token.op !== "|") return;
                this.connector = previousOp;
                previousOp = command.tokens.length > 0 ? token.op : previousOp;
                const output = this.finish(command);
                // `cat <<EOF | sh`, `echo '…' | bash`: the next command of the pipeline reads the output.
                command = token.op === "|" && output ? { tokens: [], stdin: output } : { tokens: [] };
                if (cases.open > 0 && [";;", ";&", ";;&"].includes(token.op)) cases.inPattern = true;
            }
        }
        const problem = tokenizer.problem;
        if (this.loopBody && !problem) {
            this.notJudged(this.loopBody.line, this.script.slice(this.loopBody.start), "a for loop's do is never closed by done: the shell stops here with a syntax error");
            return;
        }
        this.connector = previousOp;
        if (problem) this.notJudged(problem.line, this.script.slice(command.start ?? problem.start), `${problem.reason}: the shell stops here with a syntax error`);
        else this.finish(command);
    }

    /** Reads the body of the known loop that ends at `end` once per word, the loop variable set to it, as the shell runs it. */
    private unroll(end: number): void {
        const body = this.loopBody!;
        this.loopBody = undefined;
        const text = this.script.slice(body.start, end);
        for (const item of body.loop.items) {
            this.scope.vars.set(body.loop.name, item);
            new ScriptReader(text, this.scope, this.out, this.lineBase + body.line - 1, this.depth + 1).read();
        }
    }

    private notJudged(line: number, text: string, reason: string): void {
        this.out.notJudged.push({ line: this.lineBase + line, excerpt: lineExcerpt(text), reason });
    }

    private nested(script: string, scope: Scope, lineBase: number): void {
        new ScriptReader(script, scope, this.out, this.lineBase + lineBase, this.depth + 1).read();
    }

    /** `$(…)` and `( … )` run in a copy of the shell: they see every variable, and their assignments stay inside. */
    private subshellScope(): Scope {
        const { vars, exported, aliases, functions, positional, errexit, remote, remoteHost } = this.scope;
        return { vars: new Map(vars), exported: new Set(exported), aliases: new Map(aliases), functions: new Map(functions), positional, errexit, ...(remote ? { remote, remoteHost } : {}) };
    }

    /** A new shell (`sh -c`, `bash <<'EOF'`) sees only exported variables, and what the command line adds. */
    private childShellScope(assignments: readonly [string, Maybe<string>][]): Scope {
        const vars = new Map([...this.scope.vars].filter(([name]) => this.scope.exported.has(name)));
        for (const [name, value] of assignments) vars.set(name, value);
        return { ...freshScope(vars), ...(this.scope.remote ? { remote: true as const, remoteHost: this.scope.remoteHost } : {}) };
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
        this.run(words, assignments, command.stdin, line, excerpt, command.writes);
        return outputOf(words, command.stdin, line);
    }

    private run(words: ShellWord[], assignments: [string, Maybe<string>][], stdin: Stdin | undefined, line: number, excerpt: string, writes?: OutputFile[]): void {
        const expanded = this.expandAlias(words, line, excerpt);
        if (expanded === undefined) return;
        words = expanded;
        const called = words[0].known ? this.scope.functions.get(words[0].text) : undefined;
        if (called) {
            // The body runs in this shell, with the call's words as its parameters.
            const scope: Scope = { ...this.scope, positional: positionalOf(words.slice(1)) };
            new ScriptReader(called.body, scope, this.out, called.lineBase, this.depth + 1, true, this.connector).read();
            return;
        }
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
        const ssh = sshRemoteCommand(words);
        if (ssh !== undefined) {
            const remote = ssh.command;
            // The remote shell sees none of this script's variables.
            const empty: Scope = { ...freshScope(new Map()), remote: true, remoteHost: ssh.host };
            if (remote.length === 0) return this.fromStdin("ssh", stdin, empty, line, excerpt);
            const unknown = remote.find((word) => !word.known);
            if (unknown) this.notJudged(line, excerpt, `the command that ssh runs remotely is unknown (${unknown.source ?? "an expansion"})`);
            else this.nested(remote.map((word) => word.text).join(" "), empty, line - 1);
            return;
        }
        const after: Pick<ShellCommand, "after"> = this.connector === "&&" || this.connector === "||" ? { after: this.connector } : {};
        const errexit: Pick<ShellCommand, "errexit"> = this.scope.errexit && !this.condition ? { errexit: true } : {};
        const lookup = (name: string) => (this.scope.vars.has(name) ? this.scope.vars.get(name)! : UNKNOWN);
        const env = new Map([...this.scope.vars].filter(([name]) => this.scope.exported.has(name)));
        for (const [name, value] of assignments) env.set(name, value);
        const output = outputOf(words, stdin, line);
        this.out.commands.push({
            words,
            line: this.lineBase + line,
            excerpt: lineExcerpt(excerpt),
            ...after,
            ...errexit,
            ...(stdin ? { input: stdinText(stdin, lookup) } : {}),
            ...(output ? { output: stdinText(output, lookup) } : {}),
            ...(writes ? { writes } : {}),
            env,
            ...(this.scope.remote ? { remote: true as const, remoteHost: this.scope.remoteHost } : {}),
        });
    }

    /** The words with an alias as first word replaced by its text; undefined (and listed) when that text cannot be read. */
    private expandAlias(words: ShellWord[], line: number, excerpt: string): ShellWord[] | undefined {
        const name = words[0].known ? words[0].text : undefined;
        if (name === undefined || !this.scope.aliases.has(name)) return words;
        const text = this.scope.aliases.get(name)!;
        const inner: ShellScriptReading = { commands: [], notJudged: [] };
        if (isKnown(text)) new ScriptReader(text, { ...this.subshellScope(), aliases: new Map() }, inner, 0, this.depth + 1).read();
        if (!isKnown(text) || inner.commands.length !== 1 || inner.notJudged.length > 0) {
            this.notJudged(line, excerpt, `the alias ${name} is not one simple command netguard can read`);
            return undefined;
        }
        return [...inner.commands[0].words, ...words.slice(1)];
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
        if (variableBuiltin(this.scope, name, args)) return true;
        switch (name) {
            case "for":
            case "select": {
                if (!args[0]?.known || !NAME.test(args[0].text)) return true;
                this.scope.vars.set(args[0].text, UNKNOWN);
                // `for NAME in WORDS`: with every word known, the body runs once per word.
                const items = args.slice(2);
                // A word with a glob character stands for file names: not known.
                const known = items.every((word) => word.known && !/[*?[]/.test(word.text));
                if (name === "for" && args[1]?.known && args[1].text === "in" && known && items.length <= MAX_LOOP_ITEMS) {
                    this.knownLoop = { name: args[0].text, items: items.map((word) => word.text) };
                }
                return true;
            }
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

/**
 * Reads a script: the simple commands it runs, in order, and what could not
 * be read. `env` supplies the values of variables from the environment (e.g.
 * a command resource's `environment`); any other variable not assigned by
 * the script is unknown.
 */
export function readShellScript(script: string, env?: ReadonlyMap<string, string>): ShellScriptReading {
    const out: ShellScriptReading = { commands: [], notJudged: [] };
    const scope = freshScope(new Map(env ?? []));
    new ScriptReader(script.replace(/\r\n/g, "\n"), scope, out, 0, 0).read();
    return out;
}

/** The simple commands of a script, in order (see {@link readShellScript}). */
export function splitShellCommands(script: string, env?: ReadonlyMap<string, string>): ShellCommand[] {
    return readShellScript(script, env).commands;
}
