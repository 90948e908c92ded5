/** Policy violations as a Markdown table, capped so that a big host still fits one comment (preview's and diff's Markdown). */
import { Violation } from "../../policies/evaluate";
import { code, escapeText, markdownTable, plural } from "./markdown";

/** Rows of a violations or networks table before "and N more": a big host still fits one comment. */
export const MAX_TABLE_ROWS = 40;

/** "…and 3 more networks (see `--json`)." after a capped table, or nothing. */
export function moreRows(total: number, shown: number, what: string, json: string): string {
    return total > shown ? `\n\n…and ${plural(total - shown, what)} (see \`${json}\`).` : "";
}

/** Violations as a table: level, policy, resource, message; capped at {@link MAX_TABLE_ROWS}, mandatory ones first as given. */
export function violationTable(violations: readonly Violation[], json = "--json"): string {
    return markdownTable(
        ["Level", "Policy", "Resource", "Message"],
        violations.slice(0, MAX_TABLE_ROWS).map((violation) => [
            violation.level === "mandatory" ? "⛔ mandatory" : "⚠️ advisory",
            code(violation.policy, "table"),
            violation.name === null ? "the stack" : code(violation.name, "table"),
            escapeText(violation.message),
        ]),
    ) + moreRows(violations.length, MAX_TABLE_ROWS, "more violation", json);
}
