/**
 * How messages quote a value that came from input: as a short, escaped,
 * one-line excerpt. Settings come with pull requests, so a quoted value may
 * be megabytes long or hold terminal escapes and line breaks.
 */

/** Longest excerpt, in characters, before it is cut with "...". */
export const EXCERPT_LENGTH = 60;

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

/** `value` as JSON (strings quoted), cut to about {@link EXCERPT_LENGTH} characters, on one line. */
export function excerpt(value: unknown, length = EXCERPT_LENGTH): string {
    // A string is cut inside its quotes, so the excerpt still reads as a quoted string.
    if (typeof value === "string") return escapeControls(JSON.stringify(value.length > length ? `${value.slice(0, length - 3)}...` : value));
    let text: string | undefined;
    try {
        text = JSON.stringify(value);
    } catch {
        text = undefined; // circular (YAML aliases) or not JSON at all
    }
    if (text === undefined) text = value === undefined ? "undefined" : "(a value that cannot be shown)";
    const cut = text.length > length ? `${text.slice(0, Math.max(0, length - 3))}...` : text;
    return escapeControls(cut);
}
