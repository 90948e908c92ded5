/** Plain-text tables for the terminal. */

/** Lays out rows under a header, each column as wide as its widest cell. */
export function table(header: string[], rows: string[][]): string {
    const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)));
    const line = (cells: string[]) => cells.map((cell, i) => (cell ?? "").padEnd(widths[i])).join("  ").trimEnd();
    return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
