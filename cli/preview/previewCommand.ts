/** `netguard preview`: run a program offline, evaluate the pack, describe the result. */
import { redactSecretsDeep } from "../../policies/analyzerProps";
import { policyResources } from "../../policies/engineArgs";
import { evaluatePolicies } from "../../policies/evaluate";
import { policies } from "../../policies/pack";
import { PolicyConfigError } from "../../policies/rule";
import { topologyFromResources } from "../../topology/fromPulumi";
import { EXIT_OK, EXIT_VIOLATIONS, UserError } from "../errors";
import { readPolicyConfigFile } from "../policyConfigFile";
import { PreviewDocument, previewDocument } from "./document";
import { PredictedAddresses, predictAddresses } from "./predictedAddresses";
import { PROGRAM_TIMEOUT_ENV, parseTimeoutSeconds } from "./programFailure";
import { resolveProgram, runProgram } from "./runProgram";
import { readStackSettings } from "./stackSettings";

export interface PreviewOptions {
    /** Stack whose `Pulumi.<stack>.yaml` config the program sees. */
    readonly stack: string;
    readonly policyConfig?: string;
    /** Keep stack traces of program errors (`--debug`). */
    readonly debug?: boolean;
    /** `--timeout`: seconds the program may run; else `NETGUARD_PROGRAM_TIMEOUT`, else the default. */
    readonly timeout?: string;
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

export async function preview(program: string | undefined, options: PreviewOptions): Promise<PreviewResult> {
    const settings = readStackSettings(process.cwd(), options.stack);
    const packConfig = readPolicyConfigFile(options.policyConfig);
    const programFile = resolveProgram(program ?? settings.main ?? "index.ts", settings.main);
    for (const key of settings.undecryptable ?? []) {
        process.stderr.write(
            `netguard: warning: ${key} is a secure value that cannot be decrypted offline (a passphrase stack needs PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE): the program sees it as unknown, and policies do not judge what it feeds\n`,
        );
    }
    const run = await runProgram(programFile, settings, { stackTraces: options.debug, timeoutSeconds: timeoutSeconds(options.timeout) });
    let violations;
    try {
        violations = await evaluatePolicies(policies, run.resources, packConfig);
    } catch (err) {
        if (err instanceof PolicyConfigError) throw new UserError(err.message);
        throw err;
    }
    const topology = topologyFromResources(policyResources(run.resources));
    // Secrets are judged by their values but printed as `[secret]`, wherever they appear.
    const secrets = [...new Set([...(settings.secretValues ?? []), ...run.resources.flatMap((resource) => resource.secrets ?? [])])];
    const document = redactSecretsDeep(previewDocument(run.resources, topology, violations), secrets);
    const exitCode = violations.some((violation) => violation.level === "mandatory") ? EXIT_VIOLATIONS : EXIT_OK;
    return { document, outputs: redactSecretsDeep(run.outputs, secrets), predictedAddresses: predictAddresses(run.resources), exitCode };
}
