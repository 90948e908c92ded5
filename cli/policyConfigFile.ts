import { PackConfig, PolicyConfigError } from "../policies/policyConfig";
import { rules } from "../policies/pack";
import { readCheckedPackConfig } from "../policies/policySettings";
import { UserError } from "./errors";
import { inputLimits, parseJsonInput, readInputFile } from "./inputFile";

/** Reads `--policy-config FILE` (the JSON of `pulumi preview --policy-pack-config`). */
export function readPolicyConfigFile(file: string | undefined): PackConfig {
    if (file === undefined) return new Map();
    const limits = inputLimits();
    const label = `policy config ${file}`;
    const raw = parseJsonInput(readInputFile(file, label, limits), label, limits);
    try {
        return readCheckedPackConfig(raw, rules);
    } catch (err) {
        if (err instanceof PolicyConfigError) throw new UserError(`${file}: ${err.message}`);
        throw err;
    }
}
