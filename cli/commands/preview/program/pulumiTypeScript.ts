/**
 * TypeScript programs the way `pulumi preview` runs them: Pulumi's Node.js
 * runtime registers its ts-node (vendored, or the project's) with the
 * project's `tsconfig.json` overlaid with its own defaults, type-checks every
 * file it compiles, and compiles nothing under `node_modules`. Here the type
 * check runs once up front (with the compiler Pulumi would pick), and the
 * files load through Pulumi's ts-node in transpile-only mode.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type * as TypeScript from "typescript";
import { UserError } from "../../../errors";

type TypeScriptModule = typeof TypeScript;

/** Diagnostics ts-node always ignores: rootDir, and "no inputs" in a tsconfig's files/include. */
const IGNORED_DIAGNOSTICS = new Set([6059, 18002, 18003]);

/** Options ts-node sets over everything else (it emits one file at a time, with source maps). */
const TS_NODE_OPTIONS = { sourceMap: true, inlineSourceMap: false, inlineSources: true, declaration: false };

/** Options ts-node drops because it emits one file at a time. */
const DROPPED_OPTIONS = ["out", "outFile", "composite", "declarationDir", "declarationMap", "emitDeclarationOnly", "incremental", "tsBuildInfoFile"];

/** The tsconfig Pulumi reads: PULUMI_NODEJS_TSCONFIG_PATH, else `tsconfig.json`, in the project folder. */
function tsConfigPath(projectDir: string): string {
    return path.resolve(projectDir, process.env.PULUMI_NODEJS_TSCONFIG_PATH ?? "tsconfig.json");
}

/** The compiler Pulumi uses: `typescript` as @pulumi/pulumi resolves it, else its vendored 3.8.3. */
function loadTypeScript(): TypeScriptModule {
    return require("@pulumi/pulumi/typescript-shim") as TypeScriptModule;
}

/** The tsconfig's own `compilerOptions`, unparsed (what Pulumi overlays on its defaults). */
function rawCompilerOptions(ts: TypeScriptModule, configPath: string): Record<string, unknown> {
    if (!fs.existsSync(configPath)) return {};
    const parsed = ts.parseConfigFileTextToJson(configPath, fs.readFileSync(configPath, "utf8"));
    return (parsed.config?.compilerOptions as Record<string, unknown> | undefined) ?? {};
}

/** Pulumi's defaults for ts-node (CommonJS, or nodenext from TypeScript 4.7), then the tsconfig's own options. */
function pulumiCompilerOptions(ts: TypeScriptModule, configPath: string): Record<string, unknown> {
    const [major, minor] = ts.version.split(".").map(Number);
    const nodeNext = major > 4 || (major === 4 && minor >= 7);
    return {
        target: "ES2020",
        module: nodeNext ? "nodenext" : "commonjs",
        moduleResolution: nodeNext ? "nodenext" : "node",
        sourceMap: "true",
        ...rawCompilerOptions(ts, configPath),
    };
}

/** Whether Pulumi would skip the type check: PULUMI_NODEJS_TRANSPILE_ONLY, else the tsconfig's `noCheck`. */
function transpileOnly(ts: TypeScriptModule, configPath: string): boolean {
    const env = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
    if (env) return env === "true";
    return rawCompilerOptions(ts, configPath).noCheck === true;
}

/** ts-node's reading of the tsconfig (with `extends`), given Pulumi's options. */
function parsedConfig(ts: TypeScriptModule, configPath: string): { options: TypeScript.CompilerOptions; errors: TypeScript.Diagnostic[] } {
    let config: { compilerOptions?: Record<string, unknown> } = {};
    if (fs.existsSync(configPath)) {
        const read = ts.readConfigFile(configPath, ts.sys.readFile);
        if (read.error) return { options: {}, errors: [read.error] };
        config = read.config;
    }
    config.compilerOptions = { ...config.compilerOptions, ...pulumiCompilerOptions(ts, configPath), ...TS_NODE_OPTIONS };
    const parsed = ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(configPath), undefined, configPath);
    const options: TypeScript.CompilerOptions = { ...parsed.options, noEmit: true };
    for (const key of DROPPED_OPTIONS) delete options[key];
    return { options, errors: parsed.errors };
}

/** The project's own files: what ts-node compiles, so what it type-checks. */
function isProjectFile(file: TypeScript.SourceFile): boolean {
    return !file.isDeclarationFile && !/[\\/]node_modules[\\/]/.test(file.fileName);
}

interface CheckRecord {
    /** Every file the last clean check read, with its mtime and size. */
    readonly files: [string, number, number][];
}

/** Where a clean check of `entry` is remembered, so that an unchanged program is not checked again. */
function recordFile(entry: string, configPath: string): string {
    const key = createHash("sha256").update(`${entry}\0${configPath}\0${process.env.PULUMI_NODEJS_TSCONFIG_PATH ?? ""}`).digest("hex").slice(0, 32);
    return path.join(os.tmpdir(), "docker-netguard-typecheck", `${key}.json`);
}

function fingerprint(file: string): [string, number, number] | undefined {
    try {
        const stat = fs.statSync(file);
        return [file, stat.mtimeMs, stat.size];
    } catch {
        return undefined;
    }
}

function unchangedSinceLastCheck(record: string): boolean {
    try {
        const { files } = JSON.parse(fs.readFileSync(record, "utf8")) as CheckRecord;
        return files.length > 0 && files.every(([file, mtime, size]) => {
            const now = fingerprint(file);
            return now !== undefined && now[1] === mtime && now[2] === size;
        });
    } catch {
        return false;
    }
}

function remember(record: string, files: string[]): void {
    const entries = files.map(fingerprint).filter((entry): entry is [string, number, number] => entry !== undefined);
    try {
        fs.mkdirSync(path.dirname(record), { recursive: true });
        const temporary = `${record}.${process.pid}`;
        fs.writeFileSync(temporary, JSON.stringify({ files: entries } satisfies CheckRecord));
        fs.renameSync(temporary, record);
    } catch {
        // A cache that cannot be written only costs the next run a check.
    }
}

/**
 * Type-checks a TypeScript program as `pulumi preview` would before running
 * it, from the project folder `projectDir`. A type error, a missing module or
 * a broken tsconfig is a {@link UserError} with the compiler's messages.
 */
export function checkProgramTypes(entry: string, projectDir: string): void {
    if (!/\.[cm]?tsx?$/.test(entry)) return;
    const configPath = tsConfigPath(projectDir);
    const record = recordFile(entry, configPath);
    if (unchangedSinceLastCheck(record)) return;

    const ts = loadTypeScript();
    if (transpileOnly(ts, configPath)) return;
    const { options, errors } = parsedConfig(ts, configPath);
    const program = ts.createProgram({ rootNames: [entry], options });
    const diagnostics = [
        ...errors,
        ...program.getOptionsDiagnostics(),
        ...program.getGlobalDiagnostics(),
        ...program.getSourceFiles().filter(isProjectFile).flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]),
    ].filter((diagnostic) => !IGNORED_DIAGNOSTICS.has(diagnostic.code));

    if (diagnostics.length > 0) {
        const host: TypeScript.FormatDiagnosticsHost = {
            getCanonicalFileName: (file) => file,
            getCurrentDirectory: () => projectDir,
            getNewLine: () => "\n",
        };
        const name = path.relative(projectDir, entry) || entry;
        throw new UserError(`the program ${name} does not compile (pulumi preview type-checks it the same way):\n${ts.formatDiagnostics(diagnostics, host).trimEnd()}`);
    }
    const inputs = [...program.getSourceFiles().map((file) => file.fileName), configPath, require.resolve("@pulumi/pulumi/package.json")];
    remember(record, inputs);
}

interface PulumiTsUtils {
    typeScriptRequireStrings(): { tsnodeRequire: string; typescriptRequire: string };
}

/**
 * Makes `require` load `.ts` files with Pulumi's ts-node (transpile only: the
 * check ran before), unless a TypeScript loader is already registered, as in
 * a checkout of this repository, whose CLI itself runs through tsx.
 */
export function registerTypeScriptLoader(projectDir: string): void {
    if (require.extensions[".ts"]) return;
    const configPath = tsConfigPath(projectDir);
    const { tsnodeRequire, typescriptRequire } = (require("@pulumi/pulumi/tsutils") as PulumiTsUtils).typeScriptRequireStrings();
    const tsNode = require(tsnodeRequire) as { register(options: Record<string, unknown>): unknown };
    tsNode.register({
        compiler: typescriptRequire,
        transpileOnly: true,
        project: configPath,
        skipProject: !fs.existsSync(configPath),
        compilerOptions: pulumiCompilerOptions(loadTypeScript(), configPath),
    });
}
