/**
 * Name globs for policy settings (`deny` of docker-forbidden-flows, `allow`
 * of docker-no-shared-network-namespace). Policy configs come with pull
 * requests, so a glob is untrusted input: it is compiled to a state-set
 * matcher (no backtracking), which takes O(name length × glob length) time
 * whatever the glob, and globs are at most {@link MAX_GLOB_LENGTH}
 * characters long.
 *
 * Syntax: `*` any run of characters (none included), `?` one character,
 * `[abc]`, `[a-z]`, `[!a-z]` (or `[^a-z]`) one character of (or not of) a
 * set, `\c` the character c itself. Everything else is literal, except the
 * characters of brace expansion and extglobs (`{ } ( ) |`) and a leading
 * `!`, which are refused rather than silently read as literals.
 */
import { excerpt } from "../text/excerpt";

/** Longest glob accepted, in characters. */
export const MAX_GLOB_LENGTH = 256;

/** A glob outside the supported syntax; the message says what and where. */
export class GlobSyntaxError extends Error {
    constructor(readonly glob: string, readonly reason: string) {
        super(`glob ${excerpt(glob)} ${reason}`);
        this.name = "GlobSyntaxError";
    }
}

/** Whether a name matches the glob it was compiled from. */
export type NameMatcher = (name: string) => boolean;


/** One position of a compiled glob: `*`, or a test for exactly one character. */
type Atom = { readonly kind: "star" } | { readonly kind: "one"; readonly test: (char: number) => boolean };

const STAR: Atom = { kind: "star" };
const ANY: Atom = { kind: "one", test: () => true };

const UNSUPPORTED: Record<string, string> = {
    "{": "brace expansion is not supported: write one glob per alternative",
    "}": "brace expansion is not supported: write one glob per alternative",
    "(": "extglob groups are not supported: write one glob per alternative",
    ")": "extglob groups are not supported: write one glob per alternative",
    "|": "alternatives are not supported: write one glob per alternative",
};

/** Parses `[...]` starting at `start` (the `[`); returns the atom and the index after `]`. */
function parseClass(glob: string[], start: number, source: string): { atom: Atom; next: number } {
    let i = start + 1;
    const negated = glob[i] === "!" || glob[i] === "^";
    if (negated) i++;
    const ranges: [number, number][] = [];
    let first = true;
    const literal = (): number => {
        if (glob[i] === "\\") i++;
        if (i >= glob.length) throw new GlobSyntaxError(source, `has an unclosed "[" at character ${start + 1}: close the set with "]", or write \\[ for a literal bracket`);
        return (glob[i++] as string).codePointAt(0) as number;
    };
    while (i < glob.length && (glob[i] !== "]" || first)) {
        first = false;
        const low = literal();
        if (glob[i] === "-" && i + 1 < glob.length && glob[i + 1] !== "]") {
            i++;
            const high = literal();
            if (high < low) throw new GlobSyntaxError(source, `has the empty range "${String.fromCodePoint(low)}-${String.fromCodePoint(high)}" at character ${start + 1}`);
            ranges.push([low, high]);
        } else {
            ranges.push([low, low]);
        }
    }
    if (i >= glob.length) throw new GlobSyntaxError(source, `has an unclosed "[" at character ${start + 1}: close the set with "]", or write \\[ for a literal bracket`);
    const inSet = (char: number) => ranges.some(([low, high]) => char >= low && char <= high);
    return { atom: { kind: "one", test: negated ? (char) => !inSet(char) : inSet }, next: i + 1 };
}

function parse(source: string): Atom[] {
    const glob = Array.from(source);
    if (glob.length === 0) throw new GlobSyntaxError(source, "is empty");
    if (glob.length > MAX_GLOB_LENGTH) throw new GlobSyntaxError(source, `is ${glob.length} characters long; at most ${MAX_GLOB_LENGTH} are allowed`);
    if (glob[0] === "!") throw new GlobSyntaxError(source, 'starts with "!": negated globs are not supported (write \\! for a literal "!")');
    const atoms: Atom[] = [];
    for (let i = 0; i < glob.length; ) {
        const char = glob[i] as string;
        if (char === "*") {
            if (atoms[atoms.length - 1] !== STAR) atoms.push(STAR); // `**` is `*`: names have no path segments
            i++;
        } else if (char === "?") {
            atoms.push(ANY);
            i++;
        } else if (char === "[") {
            const { atom, next } = parseClass(glob, i, source);
            atoms.push(atom);
            i = next;
        } else if (Object.hasOwn(UNSUPPORTED, char)) {
            throw new GlobSyntaxError(source, `has "${char}" at character ${i + 1}: ${UNSUPPORTED[char]} (write \\${char} for a literal "${char}")`);
        } else {
            if (char === "\\" && i + 1 >= glob.length) throw new GlobSyntaxError(source, 'ends with a lone "\\": write \\\\ for a literal backslash');
            const literal = (char === "\\" ? glob[++i] : char) as string;
            const code = literal.codePointAt(0) as number;
            atoms.push({ kind: "one", test: (other) => other === code });
            i++;
        }
    }
    return atoms;
}

/**
 * Compiles `glob` to a matcher over whole names; throws a
 * {@link GlobSyntaxError} saying what is wrong when the glob is outside
 * the syntax of this module's comment.
 */
export function compileGlob(glob: string): NameMatcher {
    const atoms = parse(glob);
    const states = atoms.length + 1; // state i: the first i atoms have matched
    // Adds the states reachable without reading a character: a `*` may match nothing.
    const close = (set: Uint8Array) => {
        for (let i = 0; i < atoms.length; i++) if (set[i] && atoms[i] === STAR) set[i + 1] = 1;
    };
    return (name) => {
        let current = new Uint8Array(states);
        let next = new Uint8Array(states);
        current[0] = 1;
        close(current);
        for (const char of name) {
            const code = char.codePointAt(0) as number;
            next.fill(0);
            let alive = false;
            for (let i = 0; i < atoms.length; i++) {
                if (!current[i]) continue;
                const atom = atoms[i] as Atom;
                if (atom.kind === "star") next[i] = 1;
                else if (atom.test(code)) next[i + 1] = 1;
                else continue;
                alive = true;
            }
            if (!alive) return false;
            close(next);
            [current, next] = [next, current];
        }
        return current[atoms.length] === 1;
    };
}
