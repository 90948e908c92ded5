/**
 * `netguard diff BASE HEAD`: what a change does to reachability, addressing
 * and policy verdicts. A straight pipeline: read both documents → view
 * (diff and reviewer findings) → exit code; `render/` prints the view.
 */
import { EXIT_OK, EXIT_VIOLATIONS } from "../../errors";
import { readPolicyConfigFile } from "../../policyConfigFile";
import { readRuleSettings } from "../../../policies/policySettings";
import { dockerForbiddenFlows } from "../../../policies/rules/docker-forbidden-flows";
import { addsMandatoryViolation } from "./diffPreviews";
import { DiffView, diffView } from "./diffView";
import { DiffOptions } from "./options";
import { readPreviewDocument } from "./readPreviewDocument";

export interface DiffRun {
    readonly view: DiffView;
    /** 1 when the head adds a mandatory violation, else 0 (bad input throws a UserError: exit 2). */
    readonly exitCode: number;
}

/**
 * Reads both `preview --json` files and compares them; `policyConfig` (the
 * pack's config file) names, through `docker-forbidden-flows`' deny list,
 * the targets whose new paths lead.
 */
export function runDiff(options: DiffOptions): DiffRun {
    const flows = readRuleSettings(dockerForbiddenFlows, { ...readPolicyConfigFile(options.policyConfig).get(dockerForbiddenFlows.name)?.settings });
    const base = readPreviewDocument(options.base, "BASE");
    const head = readPreviewDocument(options.head, "HEAD");
    const view = diffView(base, head, options.base, options.head, flows);
    return { view, exitCode: addsMandatoryViolation(view.diff) ? EXIT_VIOLATIONS : EXIT_OK };
}
