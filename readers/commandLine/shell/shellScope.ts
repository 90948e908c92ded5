/** What one shell knows while a script runs in it, and the builtins that change only that. */
import { Maybe, UNKNOWN } from "../../../topology/model";
import { Positional, ShellFunction, positionalOf, shifted } from "./shellFunctions";
import { NAME, ShellWord, assignmentOf } from "./shellWords";

/** Variables of one shell: their values (absent: from the environment, unknown) and which are exported. */
export interface Scope {
    readonly vars: Map<string, Maybe<string>>;
    readonly exported: Set<string>;
    /** `alias NAME=TEXT` (sh expands aliases in scripts; a new shell starts without them). */
    readonly aliases: Map<string, Maybe<string>>;
    /** Functions defined so far (a new shell starts without them). */
    readonly functions: Map<string, ShellFunction>;
    /** Inside a function call: its arguments (`set --` and `shift` change them). */
    positional?: Positional;
    /** `set -e`: a failing command ends the script. */
    errexit?: boolean;
    /** A remote shell's (`ssh`): its commands run on another machine. */
    readonly remote?: true;
    /** The machine it runs on (ssh's `HOST`), unknown behind an expansion. */
    readonly remoteHost?: Maybe<string>;
}

/** The scope of a new shell: only the variables given, all exported to its children. */
export function freshScope(vars: Map<string, Maybe<string>>): Scope {
    return { vars, exported: new Set(vars.keys()), aliases: new Map(), functions: new Map() };
}

/** Builtins that change variables, aliases or parameters; true when `name` was one. */
export function variableBuiltin(scope: Scope, name: string, args: readonly ShellWord[]): boolean {
    const operands = args.filter((word) => !(word.known && /^[-+]/.test(word.text)));
    switch (name) {
        case "export":
        case "readonly":
        case "declare":
        case "typeset":
        case "local":
            for (const word of operands) {
                const assignment = assignmentOf(word);
                const variable = assignment?.[0] ?? word.text;
                if (assignment) scope.vars.set(...assignment);
                if (name === "export" || args.some((a) => a.known && /^-[a-z]*x/.test(a.text))) scope.exported.add(variable);
            }
            return true;
        case "alias":
            for (const word of operands) {
                const assignment = assignmentOf(word);
                if (assignment) scope.aliases.set(...assignment);
            }
            return true;
        case "unalias":
            for (const word of operands) scope.aliases.delete(word.text);
            return true;
        case "shift":
            if (scope.positional) scope.positional = shifted(scope.positional, args[0]?.known === false ? UNKNOWN : args[0]?.text);
            return true;
        case "set": {
            // `set -e`, `set -euo pipefail`, `set -o errexit`; `set +e` turns it off. The command itself is still listed.
            args.forEach((word, i) => {
                if (!word.known) return;
                const errexit = /^[-+][a-z]*e[a-z]*$/.test(word.text) || (/^[-+]o$/.test(word.text) && args[i + 1]?.text === "errexit");
                if (errexit) scope.errexit = word.text.startsWith("-");
            });
            // `set -- WORDS` (or `set WORDS`): new positional parameters; `set -e` and its kin are commands as before.
            const dashes = args.findIndex((word) => word.known && word.text === "--");
            if (dashes < 0 && !(args[0]?.known && !/^[-+]/.test(args[0].text))) return false;
            scope.positional = positionalOf(args.slice(dashes + 1));
            return true;
        }
        case "unset":
            for (const word of operands) scope.vars.set(word.text, "");
            return true;
        case "read":
        case "mapfile":
        case "readarray":
            for (const word of operands) if (NAME.test(word.text)) scope.vars.set(word.text, UNKNOWN);
            return true;
        default:
            return false;
    }
}
