import * as fs from "fs";
import { PackConfig, PackConfigError } from "../policies/policyConfig";
import { rules } from "../policies/pack";
import { readCheckedPackConfig } from "../policies/policySettings";
import { UserError } from "./errors";

/** Reads `--policy-config FILE` (the JSON of `pulumi preview --policy-pack-config`). */
export function readPolicyConfigFile(file: string | undefined): PackConfig {
    if (file === undefined) return new Map();
    let raw: unknown;
    try {
        raw = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new UserError(`cannot read policy config ${file}: ${(err as Error).message}`);
    }
    try {
        return readCheckedPackConfig(raw, rules);
    } catch (err) {
        if (err instanceof PackConfigError) throw new UserError(`${file}: ${err.message}`);
        throw err;
    }
}
