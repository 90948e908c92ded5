/**
 * One invocation's state: where it writes, whether `--debug` is on, the exit
 * code its command returned. `runCli` makes a fresh one per command line and
 * hands it to every command; nothing of it lives at module level.
 */
import { escapeControls } from "../text/excerpt";

/** Where the CLI writes: the process's streams, or a test's buffers. */
export interface CliOutput {
    stdout(text: string): void;
    stderr(text: string): void;
}

export const processOutput: CliOutput = { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) };

/** Longest error message printed; a longer one is cut (`--debug` prints it whole). */
export const MAX_ERROR_LENGTH = 1000;

export interface CliContext {
    readonly output: CliOutput;
    /** `--debug`: set by the program's pre-action hook, before the command runs. */
    debug: boolean;
    /** The exit code of the command that ran (set once its action finishes). */
    exitCode: number;
}

export function cliContext(output: CliOutput = processOutput): CliContext {
    return { output, debug: false, exitCode: 0 };
}

/**
 * Output with every control character but the line feed escaped: names and
 * messages come from a pull request and must not drive the reader's
 * terminal. JSON stays equivalent (`\u0085` in a string is U+0085).
 */
export function terminalSafe(text: string): string {
    return text.includes("\n") ? text.split("\n").map(escapeControls).join("\n") : escapeControls(text);
}

/** Writes one document to stdout, terminal-safe, ending in one line feed. */
export function print(context: CliContext, text: string): void {
    context.output.stdout(terminalSafe(text.endsWith("\n") ? text.slice(0, -1) : text) + "\n");
}

/** An error message as one escaped line of bounded length (whole with `--debug`). */
export function errorLine(message: string, debug: boolean): string {
    const line = escapeControls(message.replace(/\s*[\r\n]+\s*/g, " ").trim());
    return !debug && line.length > MAX_ERROR_LENGTH ? `${line.slice(0, MAX_ERROR_LENGTH)}... (cut; --debug prints the whole message)` : line;
}
