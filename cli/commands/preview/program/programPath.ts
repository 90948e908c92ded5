/**
 * PROGRAM of `netguard preview`: a TypeScript or JavaScript file, or a
 * folder whose entry point is one (`Pulumi.yaml`'s `main`, else `index.ts`
 * or `index.js`). Anything else (a JSON file, `/dev/null`, a link loop) is
 * refused by name instead of being run as an empty stack.
 */
import * as fs from "fs";
import * as path from "path";
import { escapeControls } from "../../../../text/excerpt";
import { UserError } from "../../../errors";

/** File name endings of programs that Node.js (with tsx) runs as CommonJS modules. */
export const PROGRAM_EXTENSIONS = [".ts", ".js"] as const;

/** The file's status, following links; undefined when nothing is there. */
function statOf(file: string, shown: string): fs.Stats | undefined {
    try {
        return fs.statSync(file);
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "ENOENT") return undefined;
        if (code === "ELOOP") throw new UserError(`program ${shown} is a loop of symbolic links (resolving ${escapeControls(file)})`);
        throw new UserError(`cannot read program ${shown}: ${escapeControls((err as Error).message)}`, err);
    }
}

function checkProgramFile(file: string, stat: fs.Stats, shown: string): string {
    if (!stat.isFile()) throw new UserError(`program ${shown} is not a regular file: pass a .ts or .js file, or a folder with Pulumi.yaml`);
    if (!(PROGRAM_EXTENSIONS as readonly string[]).includes(path.extname(file))) {
        throw new UserError(`program ${shown} is not a TypeScript or JavaScript file: pass a ${PROGRAM_EXTENSIONS.join(" or ")} file, or a folder with Pulumi.yaml`);
    }
    return file;
}

/** Resolves PROGRAM (`main`: `Pulumi.yaml`'s, if any) to the file to run; throws a {@link UserError} naming it otherwise. */
export function resolveProgram(program: string, main?: string): string {
    const shown = escapeControls(program);
    const absolute = path.resolve(program);
    const stat = statOf(absolute, shown);
    if (stat === undefined) throw new UserError(`program ${shown} does not exist (looked at ${escapeControls(absolute)})`);
    if (!stat.isDirectory()) return checkProgramFile(absolute, stat, shown);
    for (const candidate of [main, "index.ts", "index.js"]) {
        if (!candidate) continue;
        const file = path.resolve(absolute, candidate);
        const found = statOf(file, `${shown}${path.sep}${escapeControls(candidate)}`);
        if (found !== undefined) return checkProgramFile(file, found, `${shown}${path.sep}${escapeControls(candidate)}`);
    }
    throw new UserError(`program folder ${shown} has no index.ts or index.js`);
}
