/** A one-line progress display on stderr, shown only when stderr is a terminal. */

export interface Progress {
    /** `done` of `total` finished; `last` names the one that just did. */
    update(done: number, total: number, last?: string): void;
    /** Clears the line. */
    finish(): void;
}

/** Prints nothing: for pipes, files and tests. */
export const silentProgress: Progress = { update: () => undefined, finish: () => undefined };

/** The progress line for `label`, on `stream` when it is a TTY, else silent. */
export function terminalProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
    if (!stream.isTTY) return silentProgress;
    let shown = false;
    return {
        update(done, total, last) {
            const text = `${label} ${done}/${total}${last ? ` (${last} done)` : ""}`;
            const width = (stream.columns || 80) - 1;
            stream.write(`\r${text.slice(0, width).padEnd(Math.min(width, 80))}`);
            shown = true;
        },
        finish() {
            if (shown) stream.write(`\r${" ".repeat(Math.min((stream.columns || 80) - 1, 80))}\r`);
            shown = false;
        },
    };
}
