/** Small readers of generated Markdown, so tests check structure rather than exact text. */

/** Splits a GFM table row on the pipes GFM treats as cell delimiters (those not escaped by a backslash). */
export function tableCells(row: string): string[] {
    const cells: string[] = [];
    let current = "";
    for (let i = 0; i < row.length; i++) {
        if (row[i] === "\\" && i + 1 < row.length) {
            current += row[i] + row[i + 1];
            i++;
        } else if (row[i] === "|") {
            cells.push(current);
            current = "";
        } else {
            current += row[i];
        }
    }
    cells.push(current);
    return cells.slice(1, -1); // outside the leading and trailing pipes
}

/** Every table in the text, as its rows (header, delimiter and body lines). */
export function tables(markdown: string): string[][] {
    const found: string[][] = [];
    let current: string[] = [];
    for (const line of markdown.split("\n")) {
        if (line.startsWith("|")) current.push(line);
        else if (current.length > 0) {
            found.push(current);
            current = [];
        }
    }
    if (current.length > 0) found.push(current);
    return found;
}

/** The bodies of the ```mermaid blocks. */
export function mermaidBlocks(markdown: string): string[] {
    return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((match) => match[1]);
}

/** Mermaid's entity codes (`#34;`), decoded. */
export function decodeMermaid(text: string): string {
    return text.replace(/#(\d+);/g, (_, digits: string) => String.fromCodePoint(Number(digits)));
}

/** The `##`/`###` headings, in order. */
export function headings(markdown: string): string[] {
    return markdown.split("\n").filter((line) => /^#{2,3} /.test(line));
}
