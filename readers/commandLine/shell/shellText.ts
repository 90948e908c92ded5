/** Scanning raw script text: where a parenthesis or a `${` closes, how many lines a text spans. */

/** Index of the `)` that closes the `(` at `open`, skipping quoted text; -1 when there is none. */
export function matchingParen(s: string, open: number): number {
    let depth = 0;
    for (let j = open; j < s.length; j++) {
        const c = s[j];
        if (c === "\\") j++;
        else if (c === "'") {
            j = s.indexOf("'", j + 1);
            if (j < 0) return -1;
        } else if (c === '"') {
            for (j++; j < s.length && s[j] !== '"'; j++) if (s[j] === "\\") j++;
            if (j >= s.length) return -1;
        } else if (c === "(") depth++;
        else if (c === ")" && --depth === 0) return j;
    }
    return -1;
}

/** Index of the `}` that closes a `${`, counting nested `${…}`; -1 when there is none. */
export function matchingBrace(s: string, from: number): number {
    let depth = 1;
    for (let j = from; j < s.length; j++) {
        if (s[j] === "\\") j++;
        else if (s[j] === "{" && s[j - 1] === "$") depth++;
        else if (s[j] === "}" && --depth === 0) return j;
    }
    return -1;
}

export function newlines(text: string): number {
    return text.split("\n").length - 1;
}
