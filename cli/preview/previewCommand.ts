/** `netguard preview`: run a program offline, evaluate the pack, describe the result. */
import { policyResources } from "../../policies/engineArgs";
import { evaluatePolicies } from "../../policies/evaluate";
import { policies } from "../../policies/pack";
import { PolicyConfigError } from "../../policies/rule";
import { topologyFromResources } from "../../topology/fromPulumi";
import { EXIT_OK, EXIT_VIOLATIONS, UserError } from "../errors";
import { readPolicyConfigFile } from "../policyConfigFile";
import { PreviewDocument, previewDocument } from "./document";
import { checkProgramTypes, registerTypeScriptLoader } from "./pulumiTypeScript";
import { resolveProgram, runProgram } from "./runProgram";
import { DEFAULT_STACK, readStackSettings } from "./stackSettings";

export interface PreviewOptions {
    /** Stack whose `Pulumi.<stack>.yaml` config the program sees (default `dev`, whose file may be missing). */
    readonly stack?: string;
    readonly policyConfig?: string;
    /** Keep stack traces of program errors (`--debug`). */
    readonly debug?: boolean;
}

export interface PreviewResult {
    readonly document: PreviewDocument;
    /** Resolved stack outputs, for the table view. */
    readonly outputs: Record<string, unknown>;
    readonly exitCode: number;
}

export async function preview(program: string | undefined, options: PreviewOptions): Promise<PreviewResult> {
    const projectDir = process.cwd();
    const settings = readStackSettings(projectDir, options.stack ?? DEFAULT_STACK, { stackNamed: options.stack !== undefined });
    const packConfig = readPolicyConfigFile(options.policyConfig);
    const programFile = resolveProgram(program ?? settings.main ?? "index.ts", settings.main);
    // As `pulumi preview`: type-check first, then load the program's TypeScript with Pulumi's loader.
    checkProgramTypes(programFile, projectDir);
    registerTypeScriptLoader(projectDir);
    const run = await runProgram(programFile, settings, { stackTraces: options.debug });
    let violations;
    try {
        violations = await evaluatePolicies(policies, run.resources, packConfig);
    } catch (err) {
        if (err instanceof PolicyConfigError) throw new UserError(err.message);
        throw err;
    }
    const topology = topologyFromResources(policyResources(run.resources));
    const document = previewDocument(run.resources, topology, violations);
    const exitCode = violations.some((violation) => violation.level === "mandatory") ? EXIT_VIOLATIONS : EXIT_OK;
    return { document, outputs: run.outputs, exitCode };
}
