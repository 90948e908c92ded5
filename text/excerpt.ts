/**
 * How messages and documents quote text that came from input: as a short,
 * one-line excerpt. Settings come with pull requests and scripts with
 * programs, so a quoted value may be megabytes long or hold terminal escapes
 * and line breaks.
 */

/** Longest excerpt, in characters, before it is cut with "...". */
export const EXCERPT_LENGTH = 60;

/** Longest excerpt of a command line ({@link ExcerptOptions.form} `line`), before it is cut with "…". */
export const LINE_EXCERPT_LENGTH = 120;

/**
 * Characters that make a terminal act rather than print, split a line, or
 * reorder text: C0 and C1 controls, DEL, line and paragraph separators,
 * and the bidirectional marks, embeddings, overrides and isolates.
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every such character written as a `\uXXXX` escape (printable text is left as it is). */
export function escapeControls(text: string): string {
    return text.replace(CONTROLS, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export interface ExcerptOptions {
    /** Longest excerpt in characters: {@link EXCERPT_LENGTH} for `json`, {@link LINE_EXCERPT_LENGTH} for `line`. */
    readonly length?: number;
    /**
     * `json` (the default): the value as JSON (strings quoted), control
     * characters escaped, cut with "..." — for values quoted in messages.
     * `line`: a command line as written (unquoted), continuations and white
     * space folded to single spaces, cut with "…" — for the lines a document
     * lists; the renderers escape it when they print it.
     */
    readonly form?: "json" | "line";
}

/** `text` cut to `length` characters, the last ones being `ellipsis`. */
function cut(text: string, length: number, ellipsis: string): string {
    return text.length > length ? `${text.slice(0, Math.max(0, length - ellipsis.length))}${ellipsis}` : text;
}

/** `value` as a one-line excerpt of about `options.length` characters (see {@link ExcerptOptions}). */
export function excerpt(value: unknown, options: ExcerptOptions = {}): string {
    if (options.form === "line") {
        const flat = String(value).replace(/\\\n/g, " ").replace(/\s+/g, " ").trim();
        return cut(flat, options.length ?? LINE_EXCERPT_LENGTH, "…");
    }
    const length = options.length ?? EXCERPT_LENGTH;
    // A string is cut inside its quotes, so the excerpt still reads as a quoted string.
    if (typeof value === "string") return escapeControls(JSON.stringify(cut(value, length, "...")));
    let text: string | undefined;
    try {
        text = JSON.stringify(value);
    } catch {
        text = undefined; // circular (YAML aliases) or not JSON at all
    }
    if (text === undefined) text = value === undefined ? "undefined" : "(a value that cannot be shown)";
    return escapeControls(cut(text, length, "..."));
}
