/**
 * The layout's rules, checked on every source file's relative imports (as
 * TypeScript's own scanner finds them): no import circles, and no import from
 * a lower floor to a higher one. docs/architecture.md draws the same floors.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..", "..");

/**
 * Floors, lowest first. A file may import files of its own floor and of the
 * floors below it, never above. A file belongs to the longest folder that
 * holds it.
 */
const FLOORS: readonly (readonly string[])[] = [
    ["text"],
    ["addressing"],
    ["topology"],
    ["readers/commandLine/shell"],
    ["readers/commandLine"],
    ["readers/swarm"],
    ["readers/docker", "readers/pulumi", "readers/compose"],
    ["policies"],
    ["document"],
    ["cli"],
];

/** Folders beside the floors, and the only folders they may import. */
const SIDE_FOLDERS: Readonly<Record<string, readonly string[]>> = {
    components: ["components", "addressing", "topology"],
    provider: ["provider", "components"],
};

/** Top of the tree: they may import any source folder (never test/). */
const TOP: readonly string[] = ["index.ts", "bench", "scripts", "oracle"];

/** A folder whose insides the rest of the source reaches only through its index.ts. */
const ENTRY_POINTS: readonly string[] = ["readers/commandLine", "readers/compose"];

/** Most source files one folder holds, and most lines one source file has: past them, a folder is split by concept, a file by step. */
const MAX_FILES_PER_FOLDER = 15;
const MAX_LINES_PER_FILE = 400;

/** Side folders a floor may import besides the floors: the CLI runs programs that use the components (and resets their state between runs). */
const FLOOR_SIDE_IMPORTS: Readonly<Record<string, readonly string[]>> = { cli: ["components"] };

const SOURCE_ROOTS = [...new Set([...FLOORS.flat(), ...Object.keys(SIDE_FOLDERS), ...TOP].map((folder) => folder.split("/")[0]))];

function sourceFiles(): string[] {
    const files: string[] = [];
    const walk = (relative: string) => {
        const full = path.join(ROOT, relative);
        if (!fs.existsSync(full)) return;
        if (fs.statSync(full).isFile()) {
            if (relative.endsWith(".ts") && !relative.endsWith(".spec.ts") && !relative.endsWith(".d.ts")) files.push(relative);
            return;
        }
        for (const entry of fs.readdirSync(full)) if (entry !== "node_modules") walk(path.posix.join(relative, entry));
    };
    for (const root of SOURCE_ROOTS) walk(root);
    return files.sort();
}

/** The repository files a source file imports by relative path (`.ts`, or a folder's `index.ts`). */
function importsOf(file: string): string[] {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    const { importedFiles } = ts.preProcessFile(text, true, true);
    const found: string[] = [];
    for (const { fileName } of importedFiles) {
        if (!fileName.startsWith(".")) continue;
        const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), fileName));
        const target = [`${base}.ts`, `${base}/index.ts`, base].find((candidate) => fs.existsSync(path.join(ROOT, candidate)) && fs.statSync(path.join(ROOT, candidate)).isFile());
        found.push(target ?? base);
    }
    return found;
}

/** The folder of FLOORS or SIDE_FOLDERS (the longest that holds the file), or the TOP entry; undefined outside them. */
function placeOf(file: string): string | undefined {
    const folders = [...FLOORS.flat(), ...Object.keys(SIDE_FOLDERS)].sort((a, b) => b.length - a.length);
    return folders.find((folder) => file.startsWith(`${folder}/`)) ?? TOP.find((top) => file === top || file.startsWith(`${top}/`));
}

function floorOf(place: string | undefined): number {
    return FLOORS.findIndex((floor) => place !== undefined && floor.includes(place));
}

/** Every import that breaks a floor rule, as `from -> to: why`. */
function floorViolations(graph: ReadonlyMap<string, readonly string[]>): string[] {
    const problems: string[] = [];
    for (const [file, targets] of graph) {
        const from = placeOf(file);
        for (const target of targets) {
            if (!target.endsWith(".ts")) continue; // data (package.json)
            if (target.startsWith("test/")) {
                problems.push(`${file} -> ${target}: source code imports nothing from test/`);
                continue;
            }
            const to = placeOf(target);
            if (from === undefined || TOP.includes(from)) continue;
            if (from in SIDE_FOLDERS) {
                if (to === undefined || !SIDE_FOLDERS[from].includes(to)) problems.push(`${file} -> ${target}: ${from}/ may import only ${SIDE_FOLDERS[from].join(", ")}`);
                continue;
            }
            const fromFloor = floorOf(from);
            const toFloor = floorOf(to);
            if (to !== undefined && FLOOR_SIDE_IMPORTS[from]?.includes(to)) continue;
            if (toFloor < 0) problems.push(`${file} -> ${target}: the floors import nothing outside them`);
            else if (toFloor > fromFloor) problems.push(`${file} -> ${target}: ${from} (floor ${fromFloor}) imports ${to} (floor ${toFloor}), a higher floor`);
            const entry = ENTRY_POINTS.find((folder) => target.startsWith(`${folder}/`) && !file.startsWith(`${folder}/`));
            if (entry && target !== `${entry}/index.ts`) problems.push(`${file} -> ${target}: outside ${entry}/ only its index.ts is imported`);
        }
    }
    return problems;
}

/** The import circles (strongly connected components of two or more files, or a file importing itself), each sorted. */
function importCircles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
    let next = 0;
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const circles: string[][] = [];
    const visit = (file: string) => {
        index.set(file, next);
        low.set(file, next++);
        stack.push(file);
        onStack.add(file);
        for (const target of graph.get(file) ?? []) {
            if (!graph.has(target)) continue;
            if (!index.has(target)) {
                visit(target);
                low.set(file, Math.min(low.get(file)!, low.get(target)!));
            } else if (onStack.has(target)) low.set(file, Math.min(low.get(file)!, index.get(target)!));
        }
        if (low.get(file) !== index.get(file)) return;
        const members: string[] = [];
        let member: string;
        do {
            member = stack.pop()!;
            onStack.delete(member);
            members.push(member);
        } while (member !== file);
        if (members.length > 1 || (graph.get(file) ?? []).includes(file)) circles.push(members.sort());
    };
    for (const file of graph.keys()) if (!index.has(file)) visit(file);
    return circles;
}


describe("architecture: the import graph of the sources", () => {
    const graph = new Map(sourceFiles().map((file) => [file, importsOf(file)]));

    it("finds the sources and their imports", () => {
        for (const file of ["text/excerpt.ts", "addressing/cidr.ts", "topology/model.ts", "readers/pulumi/fromPulumi.ts", "policies/pack.ts", "document/previewDocument.ts", "cli/main.ts", "cli/commands/audit/run.ts", "components/index.ts"]) {
            assert.ok(graph.has(file), file);
        }
        assert.ok(graph.get("policies/crossguard.ts")!.includes("readers/pulumi/fromPulumi.ts"));
    });

    it("places every source file on a floor, beside them or at the top", () => {
        assert.deepStrictEqual([...graph.keys()].filter((file) => placeOf(file) === undefined), []);
    });

    it("has no import from a lower floor to a higher one", () => {
        assert.deepStrictEqual(floorViolations(graph), []);
    });

    it("has no import circle", () => {
        assert.deepStrictEqual(importCircles(graph), []);
    });

    it(`keeps every folder to ${MAX_FILES_PER_FOLDER} source files and every source file to ${MAX_LINES_PER_FILE} lines`, () => {
        const perFolder = new Map<string, number>();
        for (const file of graph.keys()) perFolder.set(path.posix.dirname(file), (perFolder.get(path.posix.dirname(file)) ?? 0) + 1);
        assert.deepStrictEqual([...perFolder].filter(([, count]) => count > MAX_FILES_PER_FOLDER), []);
        const long = [...graph.keys()].map((file) => [file, fs.readFileSync(path.join(ROOT, file), "utf8").split("\n").length] as const);
        assert.deepStrictEqual(long.filter(([, lines]) => lines > MAX_LINES_PER_FILE), []);
    });

    it("would catch a circle and an import upward (the checks can fail)", () => {
        const bad = new Map<string, string[]>([
            ["topology/model.ts", ["readers/pulumi/fromPulumi.ts"]],
            ["readers/pulumi/fromPulumi.ts", ["topology/model.ts", "readers/commandLine/dockerCommandLine.ts"]],
            ["components/naming.ts", ["policies/pack.ts"]],
            ["bench/x.ts", ["test/helpers/pool.ts"]],
        ]);
        assert.deepStrictEqual(importCircles(bad), [["readers/pulumi/fromPulumi.ts", "topology/model.ts"]]);
        assert.strictEqual(floorViolations(bad).length, 4);
    });
});
