/**
 * Safe GitHub-flavoured Markdown from untrusted text. Names and messages come
 * from the user's program: a pipe must not split a table cell, a backtick
 * must not open code, a bracket must not make a link, `<` must not open HTML,
 * and no name may ping a person or team (`@org/team`) or link out. Inside a
 * code span GitHub links and mentions nothing, so names go there.
 */

/** Collapses line breaks and runs of whitespace: a cell or list item is one line. */
function oneLine(text: string): string {
    return text.replace(/\s+/g, " ").trim();
}

/** Characters that start Markdown or HTML constructs inside a line. */
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]<>()#+!|~&$]/g;

/**
 * A zero-width space, as an entity: GitHub links mentions (`@team`), issue
 * references (`#12`) and URLs in rendered text, where backslash escapes are
 * already gone, so these are broken up with an invisible character instead
 * (as Dependabot and Renovate do).
 */
const BREAK = "&#8203;";

/** Mentions, issue references, URL schemes and `www.` autolinks, each broken up by {@link BREAK}. */
const LINKING = /@|#(?=\d)|:(?=\/\/)|\bwww(?=\.)/gi;

/**
 * Plain text with every Markdown-significant character escaped and nothing
 * GitHub would turn into a mention, a reference or a link.
 */
export function escapeText(text: string): string {
    return oneLine(text)
        .replace(MARKDOWN_PUNCTUATION, (char) => `\\${char}`)
        .replace(LINKING, (match) => `${match}${BREAK}`);
}

/** Where inline Markdown lands: GFM splits table rows on every `|`, even inside code spans. */
export type MarkdownContext = "inline" | "table";

/**
 * A name as an inline code span: shown verbatim, whatever it holds. The
 * fence is one backtick longer than the longest run inside, and padded when
 * the name starts or ends with a backtick (CommonMark's rule). In a table,
 * pipes are escaped (GFM removes the backslash before the code span is read).
 */
export function code(text: string, context: MarkdownContext = "inline"): string {
    let value = oneLine(text);
    if (value === "") return "` `";
    if (context === "table") value = value.replace(/\|/g, "\\|");
    let longestRun = 0; // a loop, not Math.max(...runs): a name may hold more runs than a call takes arguments
    for (const run of value.match(/`+/g) ?? []) longestRun = Math.max(longestRun, run.length);
    const fence = "`".repeat(longestRun + 1);
    const pad = value.startsWith("`") || value.endsWith("`") ? " " : "";
    return `${fence}${pad}${value}${pad}${fence}`;
}

/** A GFM table of inline Markdown cells, escaped by the caller for the "table" context. */
export function markdownTable(header: string[], rows: string[][]): string {
    const line = (cells: string[]) => `| ${cells.map((value) => value || " ").join(" | ")} |`;
    return [line(header), `|${header.map(() => "---").join("|")}|`, ...rows.map(line)].join("\n");
}

/** Names as comma-separated code spans, cut after `limit` with a count of the rest. */
export function codeList(names: readonly string[], limit = Number.POSITIVE_INFINITY, context: MarkdownContext = "inline"): string {
    const shown = names.slice(0, limit).map((name) => code(name, context));
    const rest = names.length - shown.length;
    return rest > 0 ? `${shown.join(", ")} and ${rest} more` : shown.join(", ");
}

/** "1 network", "3 networks". */
export function plural(count: number, one: string, many = `${one}s`): string {
    return `${count} ${count === 1 ? one : many}`;
}

/** What one GitHub comment holds. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/**
 * The Markdown cut to fit one comment (with room to spare for a wrapper):
 * cut at a line outside any code fence, so a table loses rows and a Mermaid
 * block is kept whole or left out, never broken; a note says where to find
 * the rest.
 */
export function fitComment(markdown: string, limit = GITHUB_COMMENT_LIMIT - 1_536, rest = "`--json`"): string {
    if (markdown.length <= limit) return markdown;
    const note = `\n\n…cut here to fit one comment: the whole result is in ${rest}.\n`;
    const lines = markdown.split("\n");
    let length = 0;
    let keep = 0;
    let inFence = false;
    for (let i = 0; i < lines.length; i++) {
        length += lines[i].length + 1;
        if (length > limit - note.length) break;
        if (/^```/.test(lines[i])) inFence = !inFence;
        if (!inFence) keep = i + 1;
    }
    return lines.slice(0, keep).join("\n").trimEnd() + note;
}
