/** The `--json` output of every command: one document, indented by two. */
export function jsonDocument(value: unknown): string {
    return JSON.stringify(value, null, 2);
}
