/**
 * Cross-checks the hand-written script reader's word splitting against
 * mvdan/sh's parser (the `mvdan-sh` package, the parser behind shfmt) over
 * generated command lines: quoting, escapes, variables (split when
 * unquoted), separators, redirections, comments and line continuations.
 * The oracle below only removes quotes and expands variables on mvdan's
 * syntax tree; all splitting into commands and words is the parser's.
 */
import * as assert from "assert";
import fc from "fast-check";
import sh from "mvdan-sh";
import { splitShellCommands } from "../../../../../readers/commandLine/shell/shellScript";

const { syntax } = sh;
const ENV = new Map([["A", "x"], ["B", "two  words"], ["C", ""], ["D", "-p 80:80"]]);

/** Quote removal of an unquoted literal: `\c` is c, backslash-newline is nothing. */
function unquoted(raw: string): string {
    return raw.replace(/\\([\s\S])/g, (_, c: string) => (c === "\n" ? "" : c));
}

/** Inside double quotes a backslash escapes only $ ` " \ and newline. */
function inDoubleQuotes(raw: string): string {
    return raw.replace(/\\([$`"\\\n])/g, (_, c: string) => (c === "\n" ? "" : c));
}

function parameter(node: sh.Node): string {
    const name = (node as sh.ParamExp).Param?.Value ?? "";
    const value = ENV.get(name);
    if (value === undefined) throw new Error(`generated an unset variable ${name}`);
    return value;
}

/** The fields a word expands to, as the shell would with ENV. */
function expand(word: sh.Word): string[] {
    const fields: string[] = [];
    let current = "";
    let started = false;
    for (const part of word.Parts) {
        const type = syntax.NodeType(part);
        if (type === "Lit") {
            current += unquoted((part as sh.Lit).Value);
            started ||= current !== "";
        } else if (type === "SglQuoted") {
            current += (part as sh.SglQuoted).Value;
            started = true;
        } else if (type === "DblQuoted") {
            for (const inner of (part as sh.DblQuoted).Parts) {
                current += syntax.NodeType(inner) === "Lit" ? inDoubleQuotes((inner as sh.Lit).Value) : parameter(inner);
            }
            started = true;
        } else if (type === "ParamExp") {
            parameter(part)
                .split(/[ \t\n]+/)
                .forEach((piece, index) => {
                    if (index > 0 && started) fields.push(current);
                    if (index > 0) [current, started] = ["", false];
                    current += piece;
                    started ||= piece !== "";
                });
        } else {
            throw new Error(`generated a ${type}`);
        }
    }
    if (started) fields.push(current);
    return fields;
}

/** Every simple command's arguments, by mvdan/sh. */
function oracle(script: string): string[][] {
    const commands: string[][] = [];
    syntax.Walk(syntax.NewParser().Parse(script, ""), (node) => {
        if (node && syntax.NodeType(node) === "CallExpr") {
            const args = (node as sh.CallExpr).Args.flatMap((word) => (word ? expand(word) : []));
            if (args.length > 0) commands.push(args);
        }
        return true;
    });
    return commands;
}

const chars = (set: string, min = 1, max = 6) => fc.string({ unit: fc.constantFrom(...set.split("")), minLength: min, maxLength: max });
const LITERAL = "abcXYZ019_-./:=,@%+";
const variable = fc.constantFrom("A", "B", "C", "D").map((name) => `\${${name}}`);

const wordPart = fc.oneof(
    chars(LITERAL),
    fc.constantFrom(...` ;&|<>()$\`"'\\a#`.split("")).map((c) => `\\${c}`),
    chars(`${LITERAL} ;&|<>()$\`"\\\n#`, 0).map((body) => `'${body}'`),
    fc
        .array(fc.oneof(chars(`${LITERAL} ;&|<>()'\n#`), fc.constantFrom('\\"', "\\$", "\\\\", "\\a", "\\`"), variable), { maxLength: 3 })
        .map((parts) => `"${parts.join("")}"`),
    variable,
);
const word = fc.array(wordPart, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(""));
const redirect = fc.constantFrom(">out", "2>&1", "< in", ">> log", "2> /dev/null", "&> all");
const command = fc
    .tuple(
        fc.constantFrom("docker", "echo", "prog"),
        fc.array(fc.oneof({ weight: 6, arbitrary: word }, { weight: 1, arbitrary: redirect }), { maxLength: 6 }),
        fc.constantFrom(" ", " ", " \\\n  "),
        fc.option(chars(`${LITERAL} '"`).map((text) => ` # ${text}`), { nil: "" }),
    )
    .map(([program, args, gap, comment]) => ({ program, args, gap, comment }));
const script = fc
    .array(fc.tuple(command, fc.constantFrom("; ", " && ", " || ", " | ", "\n", " &\n", "\n\n")), { minLength: 1, maxLength: 4 })
    .map((commands) =>
        commands
            .map(([c, separator], i) => {
                // A comment runs to the end of its line: only before a newline.
                const last = i === commands.length - 1;
                const comment = last || separator.includes("\n") ? c.comment : "";
                return `${[c.program, ...c.args].join(c.gap)}${comment}${last ? "" : comment ? "\n" : separator}`;
            })
            .join(""),
    );

describe("topology/shellScript against mvdan/sh", () => {
    it("splits generated command lines into the same commands and words (property)", () => {
        fc.assert(
            fc.property(script, (text) => {
                const mine = splitShellCommands(text, ENV).map((c) => c.words.map((w) => w.text));
                assert.deepStrictEqual(mine, oracle(text), text);
            }),
            { numRuns: 1000 },
        );
    });

    it("agrees on a few hand-picked lines", () => {
        for (const text of ["docker run --name=\"a b\" -e 'X=$HOME' a\\ b", "echo ${B}x\"${B}\" ${C} '' \"\"", "prog a\\\n  b # c\nprog d"]) {
            assert.deepStrictEqual(
                splitShellCommands(text, ENV).map((c) => c.words.map((w) => w.text)),
                oracle(text),
                text,
            );
        }
    });
});
