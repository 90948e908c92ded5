import * as assert from "assert";
import fc from "fast-check";
import { code, codeList, escapeText, markdownTable } from "../../../../cli/render/markdown";
import { MermaidIds, escapeLabelText, mermaidLabel } from "../../../../cli/render/mermaid";
import { decodeMermaid, tableCells } from "../../../helpers/markdownInspect";

/** The text of a code span (CommonMark: strip the fence and one space of padding on each side when both are there). */
function codeSpanText(span: string): string {
    const fence = /^`+/.exec(span)![0];
    assert.ok(span.endsWith(fence), `code span ${span} ends with its fence`);
    let inner = span.slice(fence.length, span.length - fence.length);
    assert.ok(!(inner.match(/`+/g) ?? []).some((run) => run.length === fence.length), `fence ${fence} does not occur inside ${span}`);
    if (inner.startsWith(" ") && inner.endsWith(" ") && inner.trim() !== "") inner = inner.slice(1, -1);
    return inner;
}

const NASTY = ["a|b", "x]y[z", 'say "hi"', "`tick`", "``double``", "[link](http://x)", "<img src=x>", "*bold* _it_", "~~strike~~", "#1", "&amp;", "back\\slash", "$x$", "end"];

describe("cli/render/markdown: escaping untrusted names", () => {
    it("keeps every table row at its column count, whatever the names hold", () => {
        const rows = NASTY.map((name) => [code(name, "table"), escapeText(name), code(`${name}|${name}`, "table")]);
        const table = markdownTable(["A", "B", "C"], rows).split("\n");
        assert.strictEqual(table.length, NASTY.length + 2);
        for (const line of table) assert.strictEqual(tableCells(line).length, 3, line);
    });

    it("shows a name verbatim inside a code span, backticks included", () => {
        for (const name of NASTY) assert.strictEqual(codeSpanText(code(name)), name);
        fc.assert(
            fc.property(fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() === s && !/\s/.test(s)), (name) => {
                assert.strictEqual(codeSpanText(code(name)), name);
            }),
        );
    });

    it("escapes pipes inside code spans in tables only", () => {
        assert.strictEqual(code("a|b", "table"), "`a\\|b`");
        assert.strictEqual(code("a|b"), "`a|b`");
    });

    it("escapes every character that could start a link, emphasis, HTML or code in plain text", () => {
        const escaped = escapeText("[x](y) *b* _i_ <b> `c` | ~s~ #h !img & $m$ \\");
        assert.strictEqual(escaped, "\\[x\\]\\(y\\) \\*b\\* \\_i\\_ \\<b\\> \\`c\\` \\| \\~s\\~ \\#h \\!img \\& \\$m\\$ \\\\");
        // No unescaped significant character survives.
        assert.ok(!/(^|[^\\])[[\]<>`|*_]/.test(escaped));
    });

    it("puts multi-line text on one line", () => {
        assert.strictEqual(escapeText("one\ntwo\r\n  three"), "one two three");
        assert.strictEqual(code("a\nb"), "`a b`");
    });

    it("cuts long name lists with a count", () => {
        assert.strictEqual(codeList(["a", "b", "c"], 2), "`a`, `b` and 1 more");
        assert.strictEqual(codeList(["a", "b"]), "`a`, `b`");
    });
});

describe("cli/render/mermaid: ids and labels", () => {
    it("quotes labels and writes every unsafe character as an entity code", () => {
        for (const name of [...NASTY, "%%{init: {}}%%", "a --> b", "click x call y()", "😀", "é"]) {
            const label = mermaidLabel(name);
            assert.match(label, /^"[A-Za-z0-9 .,:/=+_#;-]*"$/, label);
            assert.strictEqual(decodeMermaid(label.slice(1, -1)), name);
        }
    });

    it("joins label lines with <br/> without letting a name add one", () => {
        assert.strictEqual(mermaidLabel("a", "10.0.0.1"), '"a<br/>10.0.0.1"');
        assert.strictEqual(escapeLabelText("<br/>"), "#60;br/#62;");
    });

    it("hands out stable, unique, sanitized ids", () => {
        const ids = new MermaidIds();
        const a = ids.id("ctr", "a-b");
        const b = ids.id("ctr", "a_b");
        const c = ids.id("ctr", "a.b");
        assert.strictEqual(ids.id("ctr", "a-b"), a);
        assert.strictEqual(new Set([a, b, c]).size, 3);
        assert.notStrictEqual(ids.id("net", "a-b"), a);
        for (const id of [a, b, c, ids.id("ctr", '"]|`'), ids.id("ctr", "end")]) assert.match(id, /^[A-Za-z0-9_]+$/);
        assert.notStrictEqual(ids.id("ctr", "end"), "end");
    });
});
