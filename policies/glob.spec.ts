import * as assert from "assert";
import fc from "fast-check";
import { GlobSyntaxError, MAX_GLOB_LENGTH, compileGlob } from "./glob";

/** The same glob as a (backtracking) regular expression: a reference for short names only. */
function referenceRegExp(glob: string): RegExp {
    const source = glob
        .replace(/\[!/g, "[^")
        .replace(/\*+/g, "\u0000")
        .replace(/\?/g, "\u0001")
        .replace(/[.+^${}()|\\-]/g, (char) => (char === "^" || char === "-" ? char : `\\${char}`))
        .replace(/\u0000/g, "[\\s\\S]*")
        .replace(/\u0001/g, "[\\s\\S]");
    return new RegExp(`^${source}$`, "u");
}

describe("policies/glob: linear-time name globs", () => {
    it("matches *, ?, sets, ranges, negated sets and escapes", () => {
        const cases: [string, string, boolean][] = [
            ["web-*", "web-frontend", true],
            ["web-*", "web-", true],
            ["web-*", "api", false],
            ["*postgres*", "orders-postgres-1", true],
            ["db-?", "db-1", true],
            ["db-?", "db-10", false],
            ["db-[0-9]", "db-7", true],
            ["db-[!0-9]", "db-7", false],
            ["db-[^0-9]", "db-x", true],
            ["[]]x", "]x", true],
            ["a\\*b", "a*b", true],
            ["a\\*b", "axb", false],
            ["**", "", true],
            ["?", "é", true],
            ["?", "😀", true],
            ["exact", "exact", true],
            ["exact", "exactly", false],
            ["Web", "web", false],
        ];
        for (const [glob, name, expected] of cases) assert.strictEqual(compileGlob(glob)(name), expected, `${glob} on ${name}`);
    });

    it("agrees with a regular-expression reference on every short glob and name", () => {
        const globPart = fc.constantFrom("a", "b", "*", "?", "[ab]", "[!a]", "[a-b]", "-", ".");
        fc.assert(
            fc.property(fc.array(globPart, { minLength: 1, maxLength: 8 }), fc.string({ unit: fc.constantFrom("a", "b", "c", "-", "."), maxLength: 10 }), (parts, name) => {
                const glob = parts.join("");
                return compileGlob(glob)(name) === referenceRegExp(glob).test(name);
            }),
            { numRuns: 500 },
        );
    });

    it("matches the globs that made the old matcher backtrack for minutes, at once", () => {
        // Regression: picomatch compiled these to backtracking regular expressions.
        const name = "a".repeat(20_000);
        const stars = compileGlob(`${"*a".repeat(100)}b`);
        assert.strictEqual(stars(name), false);
        assert.strictEqual(compileGlob(`${"*a".repeat(100)}*`)(name), true);
        assert.strictEqual(compileGlob("*".repeat(MAX_GLOB_LENGTH))(name), true);
    });

    it("refuses extglobs, braces, negation and over-long globs, saying why", () => {
        assert.throws(() => compileGlob("*(*(*(a)))b"), /glob "\*\(\*\(\*\(a\)\)\)b" has "\(" at character 2: extglob groups are not supported.*\\\(/);
        assert.throws(() => compileGlob("web-{a,b}"), /has "\{" at character 5: brace expansion is not supported/);
        assert.throws(() => compileGlob("a|b"), /alternatives are not supported/);
        assert.throws(() => compileGlob("!web"), /negated globs are not supported/);
        assert.throws(() => compileGlob("db-[0-9"), /unclosed "\["/);
        assert.throws(() => compileGlob("db-[9-0]"), /empty range "9-0"/);
        assert.throws(() => compileGlob("ab\\"), /lone "\\"/);
        assert.throws(() => compileGlob(""), /is empty/);
        assert.throws(() => compileGlob("a".repeat(MAX_GLOB_LENGTH + 1)), new RegExp(`is ${MAX_GLOB_LENGTH + 1} characters long; at most ${MAX_GLOB_LENGTH}`));
        assert.throws(() => compileGlob("x{"), GlobSyntaxError);
        assert.strictEqual(compileGlob("\\{a\\}")("{a}"), true, "escaped, they are literals");
    });

    it("quotes a hostile glob as a short one-line excerpt", () => {
        const err = (() => {
            try {
                compileGlob(`\u001b[31m\n${"(".repeat(500)}`);
            } catch (caught) {
                return caught as Error;
            }
            throw new Error("no error");
        })();
        assert.ok(!/[\u0000-\u001f]/.test(err.message), err.message);
        assert.ok(err.message.length < 300, err.message);
    });
});
