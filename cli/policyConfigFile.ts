import { PackConfig, PackConfigError, readPackConfig } from "../policies/policyConfig";
import { policyNames } from "../policies/pack";
import { UserError } from "./errors";
import { inputLimits, parseJsonInput, readInputFile } from "./inputFile";

/** Reads `--policy-config FILE` (the JSON of `pulumi preview --policy-pack-config`). */
export function readPolicyConfigFile(file: string | undefined): PackConfig {
    if (file === undefined) return new Map();
    const limits = inputLimits();
    const label = `policy config ${file}`;
    const raw = parseJsonInput(readInputFile(file, label, limits), label, limits);
    try {
        return readPackConfig(raw, policyNames);
    } catch (err) {
        if (err instanceof PackConfigError) throw new UserError(`${file}: ${err.message}`);
        throw err;
    }
}
