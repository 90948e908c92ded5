/** Plain-text tables for the terminal. */
import { escapeControls } from "../../text/excerpt";

/**
 * Lays out rows under a header, each column as wide as its widest cell.
 * Cells are escaped first: a name may hold line breaks or terminal escapes.
 */
export function table(header: string[], rows: string[][]): string {
    const cells = rows.map((row) => header.map((_, i) => escapeControls(row[i] ?? "")));
    const widths = header.map((title) => title.length);
    // A loop, not Math.max(...column): one argument per row overflows the stack on big stacks.
    for (const row of cells) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] as number, cell.length)));
    const line = (values: string[]) => values.map((cell, i) => cell.padEnd(widths[i] as number)).join("  ").trimEnd();
    return [line(header), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}
