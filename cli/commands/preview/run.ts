/** `netguard preview`: run a program offline, evaluate the pack, describe the result. */
import * as path from "path";
import { redactSecretsDeep } from "../../../policies/analyzerProps";
import { policyResources } from "../../../policies/engineArgs";
import { evaluatePolicies } from "../../../policies/evaluate";
import { policies, policyNames } from "../../../policies/pack";
import { PolicyConfigError } from "../../../policies/policyConfig";
import { withDockerVersion } from "../../../policies/policySettings";
import { judgedEngine } from "./dockerVersion";
import { readResources } from "../../../readers/pulumi/fromPulumi";
import { EXIT_OK, EXIT_VIOLATIONS, UserError } from "../../errors";
import { readPolicyConfigFile } from "../../policyConfigFile";
import { PreviewDocument, previewDocument, summarize } from "../../../document/previewDocument";
import { checkProgramTypes, registerTypeScriptLoader } from "./program/pulumiTypeScript";
import { resolveProgram } from "./program/programPath";
import { PredictedAddresses, predictAddresses } from "./predictedAddresses";
import { PROGRAM_TIMEOUT_ENV, parseTimeoutSeconds } from "./program/programFailure";
import { runProgram } from "./program/runProgram";
import { DEFAULT_STACK, readStackSettings } from "./stack/stackSettings";
import { ExportOptions, deploymentOf, writeStateFile } from "./stateExport";
import { PreviewOptions } from "./options";

/** What this installation would claim as the origin of an exported deployment. */
function exportOptions(): ExportOptions {
    const providerVersions: Record<string, string> = {};
    for (const provider of ["docker", "command"]) {
        const version = installedVersion(`@pulumi/${provider}`);
        if (version) providerVersions[provider] = version;
    }
    return { pulumiVersion: installedVersion("@pulumi/pulumi") ?? "3.0.0", providerVersions };
}

/** The version of a package the program can load, if it is installed. */
function installedVersion(pkg: string): string | undefined {
    try {
        return (require(`${pkg}/package.json`) as { version: string }).version;
    } catch {
        return undefined;
    }
}

/** The program's time limit: `--timeout`, else `NETGUARD_PROGRAM_TIMEOUT`, else the default. */
function timeoutSeconds(option: string | undefined): number | undefined {
    if (option !== undefined) return parseTimeoutSeconds(option, "--timeout");
    const fromEnv = process.env[PROGRAM_TIMEOUT_ENV];
    return fromEnv === undefined || fromEnv === "" ? undefined : parseTimeoutSeconds(fromEnv, PROGRAM_TIMEOUT_ENV);
}

export interface PreviewResult {
    readonly document: PreviewDocument;
    /** Resolved stack outputs, for the table view. */
    readonly outputs: Record<string, unknown>;
    /** Dynamic addresses Docker would most likely hand out, for the table view (never seen by the program). */
    readonly predictedAddresses: PredictedAddresses;
    readonly exitCode: number;
}

export async function runPreview(options: PreviewOptions): Promise<PreviewResult> {
    const projectDir = process.cwd();
    const settings = readStackSettings(projectDir, options.stack ?? DEFAULT_STACK, { stackNamed: options.stack !== undefined });
    const engine = judgedEngine(options.dockerVersion, settings.config);
    const packConfig = withDockerVersion(readPolicyConfigFile(options.policyConfig), engine.semantics, policyNames);
    const programFile = resolveProgram(options.program ?? settings.main ?? "index.ts", settings.main);
    for (const key of settings.undecryptable ?? []) {
        process.stderr.write(
            `netguard: warning: ${key} is a secure value that cannot be decrypted offline (a passphrase stack needs PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE): the program sees it as unknown, and policies do not judge what it feeds\n`,
        );
    }
    // As `pulumi preview`: type-check first, then load the program's TypeScript with Pulumi's loader.
    checkProgramTypes(programFile, projectDir);
    registerTypeScriptLoader(projectDir);
    const run = await runProgram(programFile, settings, { stackTraces: options.debug, timeoutSeconds: timeoutSeconds(options.timeout) });
    let violations;
    try {
        violations = await evaluatePolicies(policies, run.resources, packConfig);
    } catch (err) {
        if (err instanceof PolicyConfigError) throw new UserError(options.policyConfig ? `${options.policyConfig}: ${err.message}` : err.message);
        throw err;
    }
    if (options.exportState) writeStateFile(options.exportState, deploymentOf(run.resources, exportOptions()));
    const views = policyResources(run.resources);
    const { topology, notJudged } = readResources(views, engine.semantics);
    // Secrets are judged by their values but printed as `[secret]`, wherever they appear.
    const secrets = [...new Set([...(settings.secretValues ?? []), ...run.resources.flatMap((resource) => resource.secrets ?? [])])];
    const judged = redactSecretsDeep(previewDocument(run.resources, topology, violations, notJudged, engine), secrets);
    const outputs = redactSecretsDeep(run.outputs, secrets);
    const source = { program: path.relative(projectDir, programFile) || programFile, project: settings.project, stack: settings.stack, offline: true as const };
    const document = { ...judged, source, summary: summarize(judged, policies.length), outputs };
    const exitCode = violations.some((violation) => violation.level === "mandatory") ? EXIT_VIOLATIONS : EXIT_OK;
    return { document, outputs, predictedAddresses: predictAddresses(run.resources), exitCode };
}
