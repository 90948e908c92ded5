/**
 * Type-checks a program the way a user's program would be compiled, with
 * "docker-netguard" as this package's components: the rule docs' example
 * programs and the code blocks of the README and docs/ use it.
 */
import * as path from "path";
import ts from "typescript";
import { ROOT } from "../../scripts/policyDocs";

/** The type errors of `source`, compiled as a consumer's program importing "docker-netguard". */
export function programTypeErrors(source: string): string[] {
    const file = path.join(ROOT, "example-program.ts");
    const options: ts.CompilerOptions = {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.Node10,
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        esModuleInterop: true,
        types: ["node"],
        baseUrl: ROOT,
        paths: { "docker-netguard": ["components/index.ts"] },
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, language, ...rest) =>
        path.resolve(name) === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, ...rest);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => path.resolve(name) === file || fileExists(name);
    const program = ts.createProgram([file], options, host);
    return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}
