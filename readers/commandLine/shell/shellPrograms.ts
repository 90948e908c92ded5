/**
 * Well-known programs that run another command given on their command line,
 * and how a shell script hands them that command:
 *
 * - wrappers (`sudo`, `env`, `timeout`, `nice`, `xargs`, …) run the words that
 *   follow their own options;
 * - shells (`sh -c SCRIPT`, `bash` reading a heredoc) run a script;
 * - `ssh HOST COMMAND…` runs the joined words through the remote shell.
 *
 * Only their option syntax lives here; the script reader decides what the
 * command they run means.
 */
import { Maybe, UNKNOWN } from "../../../topology/model";
import { ShellWord, assignmentOf, programName } from "./shellWords";

/** How a wrapper's own options look, and what stands between them and the command. */
interface WrapperSyntax {
    /** Short option letters that take a value (`sudo -u USER`). */
    readonly shortWithValue: string;
    /** Long options that take the next word as value when written without `=`. */
    readonly longWithValue: readonly string[];
    /** Operands before the command (`timeout DURATION`). */
    readonly operands: number;
    /** `NAME=VALUE` words before the command set its environment (`env`, `sudo`). */
    readonly assignments: boolean;
    /** Short option letters after which nothing runs (`command -v docker` only prints a path). */
    readonly noRun: string;
}

function wrapper(syntax: Partial<WrapperSyntax>): WrapperSyntax {
    return { shortWithValue: "", longWithValue: [], operands: 0, assignments: false, noRun: "", ...syntax };
}

const WRAPPERS: Readonly<Record<string, WrapperSyntax>> = {
    sudo: wrapper({
        shortWithValue: "ugCDhpRrTU",
        longWithValue: ["user", "group", "close-from", "chdir", "host", "prompt", "role", "type", "command-timeout", "other-user"],
        assignments: true,
        noRun: "lVv",
    }),
    doas: wrapper({ shortWithValue: "uC" }),
    env: wrapper({ shortWithValue: "uCS", longWithValue: ["unset", "chdir", "split-string"], assignments: true }),
    exec: wrapper({ shortWithValue: "a" }),
    command: wrapper({ noRun: "vV" }),
    builtin: wrapper({}),
    nohup: wrapper({}),
    setsid: wrapper({}),
    busybox: wrapper({}),
    time: wrapper({ shortWithValue: "fo", longWithValue: ["format", "output"] }),
    nice: wrapper({ shortWithValue: "n", longWithValue: ["adjustment"] }),
    ionice: wrapper({ shortWithValue: "cnPpu", longWithValue: ["class", "classdata", "pid", "pgid", "uid"] }),
    stdbuf: wrapper({ shortWithValue: "ioe", longWithValue: ["input", "output", "error"] }),
    timeout: wrapper({ shortWithValue: "sk", longWithValue: ["signal", "kill-after"], operands: 1 }),
    xargs: wrapper({
        shortWithValue: "IaLnPsdE",
        longWithValue: ["arg-file", "delimiter", "max-lines", "max-args", "max-procs", "max-chars", "process-slot-var"],
    }),
};

interface WrapperOption {
    readonly name: string;
    /** The value, when the option has one (`-I {}`, `-i{}`, `--replace=X`). */
    readonly value?: string;
}

/** The command a wrapper runs, with the environment it adds. */
export interface Unwrapped {
    /** False when the wrapper runs nothing (`command -v`, `sudo -l`). */
    readonly runs: boolean;
    readonly words: ShellWord[];
    readonly assignments: [string, Maybe<string>][];
}

/** Reads a wrapper's options; the index of the first word after them, or -1 when it runs nothing. */
function wrapperOptions(words: readonly ShellWord[], syntax: WrapperSyntax, options: WrapperOption[]): number {
    let i = 1;
    while (i < words.length) {
        const { text, known } = words[i];
        if (!known || text === "-" || !text.startsWith("-")) break;
        i++;
        if (text === "--") break;
        if (text.startsWith("--")) {
            const eq = text.indexOf("=");
            const name = text.slice(2, eq < 0 ? undefined : eq);
            if (eq >= 0) options.push({ name, value: text.slice(eq + 1) });
            else if (syntax.longWithValue.includes(name)) options.push({ name, value: words[i++]?.text });
            else options.push({ name });
            continue;
        }
        for (let j = 1; j < text.length; j++) {
            const letter = text[j];
            if (syntax.noRun.includes(letter)) return -1;
            if (!syntax.shortWithValue.includes(letter)) {
                // xargs -i[R] and -e[EOF] take an optional value glued to them.
                if (letter === "i" || letter === "e") {
                    options.push({ name: letter, value: text.slice(j + 1) || (letter === "i" ? "{}" : "") });
                    break;
                }
                options.push({ name: letter });
                continue;
            }
            const rest = text.slice(j + 1);
            options.push({ name: letter, value: rest !== "" ? rest : words[i++]?.text });
            break;
        }
    }
    return i;
}

/** xargs runs its command with words read from standard input: appended, or put where the replace string stands. */
function xargsWords(words: ShellWord[], options: readonly WrapperOption[]): ShellWord[] {
    const replace = options.find((option) => ["I", "i", "replace"].includes(option.name));
    const fromInput: ShellWord = { text: "", known: false, mayBeSeveral: true, source: "(xargs input)" };
    if (replace === undefined) return words.length === 0 ? words : [...words, fromInput];
    const marker = replace.value ?? "{}";
    return words.map((word) =>
        marker !== "" && word.text.includes(marker) ? { text: word.text.split(marker).join(""), known: false, source: word.source } : word,
    );
}

/** The command that `words` runs through a wrapper, or undefined when its program is not a wrapper. */
export function unwrap(words: readonly ShellWord[]): Unwrapped | undefined {
    const name = programName(words[0]);
    const syntax = WRAPPERS[name];
    if (!words[0].known || syntax === undefined) return undefined;
    const options: WrapperOption[] = [];
    let i = wrapperOptions(words, syntax, options);
    if (i < 0) return { runs: false, words: [], assignments: [] };
    const assignments: [string, Maybe<string>][] = [];
    while (syntax.assignments && i < words.length) {
        const assignment = assignmentOf(words[i]);
        if (!assignment) break;
        assignments.push(assignment);
        i++;
    }
    i += syntax.operands;
    let rest = words.slice(i);
    if (name === "xargs") rest = xargsWords(rest, options);
    // `sudo -s`, `sudo -i` with no command: a shell that reads standard input.
    if (name === "sudo" && rest.length === 0 && options.some((option) => option.name === "s" || option.name === "i")) {
        rest = [{ text: "sh", known: true }];
    }
    // `busybox sh`, `busybox timeout …`: an applet, not a wrapper of its own.
    return { runs: rest.length > 0 || name !== "busybox", words: rest, assignments };
}

const SHELLS = new Set(["sh", "bash", "dash", "ash", "ksh", "mksh", "zsh"]);

/** What a shell invocation runs. */
export type ShellLaunch =
    | { readonly kind: "command"; readonly script: ShellWord | undefined }
    | { readonly kind: "stdin" }
    | { readonly kind: "file"; readonly file: ShellWord };

/** `su [options] [-] [USER] [-c COMMAND]`: the user's shell runs COMMAND, or reads standard input. */
function suLaunch(words: readonly ShellWord[]): ShellLaunch {
    for (let i = 1; i < words.length; i++) {
        const { text, known } = words[i];
        if (known && (text === "-c" || text === "--command")) return { kind: "command", script: words[i + 1] };
        if (known && text.startsWith("--command=")) return { kind: "command", script: { ...words[i], text: text.slice("--command=".length) } };
        if (known && /^-[sgGw]$/.test(text)) i++;
    }
    return { kind: "stdin" };
}

/** What `words` runs when its program is a shell (`sh -c '…'`, `bash -s`, `bash script.sh`, `su -c`), or undefined. */
export function shellLaunch(words: readonly ShellWord[]): ShellLaunch | undefined {
    if (words[0].known && programName(words[0]) === "su") return suLaunch(words);
    if (!words[0].known || !SHELLS.has(programName(words[0]))) return undefined;
    let command = false;
    let stdin = false;
    let i = 1;
    while (i < words.length) {
        const { text, known } = words[i];
        if (!known) break;
        if (text === "--" || text === "-") {
            i++;
            break;
        }
        if (text.startsWith("--")) {
            i += text === "--rcfile" || text === "--init-file" ? 2 : 1;
            continue;
        }
        if (!/^[-+][A-Za-z]+$/.test(text)) break;
        i++;
        for (const letter of text.slice(1)) {
            if (letter === "c") command = true;
            else if (letter === "s") stdin = true;
            else if (letter === "o" || letter === "O") i++; // -o pipefail
        }
    }
    if (command) return { kind: "command", script: words[i] };
    if (stdin || i >= words.length) return { kind: "stdin" };
    return { kind: "file", file: words[i] };
}

const SSH_SHORT_WITH_VALUE = "BbcDEeFIiJLlmOopQRSWw";

/**
 * `ssh [options] HOST [COMMAND…]`: the host (without `user@`; unknown
 * behind an expansion) and the remote command's words (empty: the remote
 * shell reads standard input), or undefined.
 */
export function sshRemoteCommand(words: readonly ShellWord[]): { host: Maybe<string>; command: ShellWord[] } | undefined {
    if (!words[0].known || programName(words[0]) !== "ssh") return undefined;
    let i = 1;
    while (i < words.length && words[i].known && words[i].text.startsWith("-")) {
        const text = words[i++].text;
        if (text === "--") break;
        for (let j = 1; j < text.length; j++) {
            if (!SSH_SHORT_WITH_VALUE.includes(text[j])) continue;
            if (j === text.length - 1) i++;
            break;
        }
    }
    const host = words[i];
    const name = host === undefined || !host.known ? UNKNOWN : host.text.replace(/^ssh:\/\//, "").replace(/^[^@]*@/, "");
    return { host: name, command: words.slice(i + 1) };
}
