/** `netguard diff BASE HEAD`: what a change does to reachability, addressing and policy verdicts. */
import { EXIT_OK, EXIT_VIOLATIONS } from "../../errors";
import { readPolicyConfigFile } from "../../policyConfigFile";
import { readRuleSettings } from "../../../policies/policySettings";
import { dockerForbiddenFlows } from "../../../policies/rules/docker-forbidden-flows";
import { addsMandatoryViolation } from "./diffPreviews";
import { diffView } from "./diffView";
import { readPreviewDocument } from "./readPreviewDocument";
import { renderDiffMarkdown } from "./render/renderMarkdown";
import { renderDiffText } from "./render/renderText";

export type DiffFormat = "text" | "json" | "markdown";

export interface DiffResult {
    readonly output: string;
    /** 1 when the head adds a mandatory violation, else 0 (bad input throws a UserError: exit 2). */
    readonly exitCode: number;
}

/**
 * Reads both `preview --json` files and renders their diff in `format`;
 * `policyConfig` (the pack's config file) names, through
 * `docker-forbidden-flows`' deny list, the targets whose new paths lead.
 */
export function diff(baseFile: string, headFile: string, format: DiffFormat, policyConfig?: string): DiffResult {
    const flows = readRuleSettings(dockerForbiddenFlows, { ...readPolicyConfigFile(policyConfig).get(dockerForbiddenFlows.name)?.settings });
    const base = readPreviewDocument(baseFile, "BASE");
    const head = readPreviewDocument(headFile, "HEAD");
    const view = diffView(base, head, baseFile, headFile, flows);
    const output = format === "json" ? JSON.stringify(view.diff, null, 2) : format === "markdown" ? renderDiffMarkdown(view) : renderDiffText(view);
    return { output, exitCode: addsMandatoryViolation(view.diff) ? EXIT_VIOLATIONS : EXIT_OK };
}
