/**
 * Safe Mermaid flowchart syntax from untrusted names: node ids made of
 * `[A-Za-z0-9_]` only, labels quoted with every other character written as
 * a Mermaid entity code (`#35;`), so no name can close a label, start a
 * comment, inject a directive or end the surrounding Markdown code fence.
 */

/** Characters that stay as they are inside a quoted label. */
const LABEL_SAFE = /[A-Za-z0-9 .,:/=+_-]/;

/** One line of a label: untrusted text with every unsafe character as an entity code. */
export function escapeLabelText(text: string): string {
    let escaped = "";
    for (const char of text.replace(/\s+/g, " ").trim()) {
        escaped += LABEL_SAFE.test(char) ? char : `#${char.codePointAt(0)};`;
    }
    return escaped;
}

/** A quoted label; each part is escaped and the parts are shown on separate lines. */
export function mermaidLabel(...lines: string[]): string {
    return `"${lines.map(escapeLabelText).join("<br/>")}"`;
}

/** Hands out unique, sanitized node ids, one per (kind, name). */
export class MermaidIds {
    private readonly byKey = new Map<string, string>();
    private readonly used = new Set<string>();
    /** The next suffix to try per base: names that sanitize alike cost one step each, not one per earlier name. */
    private readonly nextSuffix = new Map<string, number>();

    /** The id for `name` of this `kind` (e.g. "net", "ctr"): the same on every call. */
    id(kind: string, name: string): string {
        const key = `${kind}\u0000${name}`;
        const existing = this.byKey.get(key);
        if (existing !== undefined) return existing;
        const base = `${kind}_${name.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "")}`.replace(/_+$/, "");
        let candidate = base;
        let n = this.nextSuffix.get(base) ?? 2;
        while (this.used.has(candidate)) candidate = `${base}_${n++}`;
        this.nextSuffix.set(base, n);
        this.used.add(candidate);
        this.byKey.set(key, candidate);
        return candidate;
    }
}
