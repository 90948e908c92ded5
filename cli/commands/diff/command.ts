/** `netguard diff`: compare, print the view, exit 1 when the head adds a mandatory violation. */
import { CliCommand, OutputFormat } from "../../command";
import { CliContext, print } from "../../context";
import { DiffCommandLine, declareDiff, parseDiff } from "./options";
import { renderDiffJson } from "./render/renderJson";
import { renderDiffMarkdown } from "./render/renderMarkdown";
import { renderDiffText } from "./render/renderText";
import { runDiff } from "./run";

export interface DiffResult {
    readonly output: string;
    /** 1 when the head adds a mandatory violation, else 0 (bad input throws a UserError: exit 2). */
    readonly exitCode: number;
}

/** Reads both `preview --json` files and renders their diff in `format` (see {@link runDiff}). */
export function diff(baseFile: string, headFile: string, format: OutputFormat, policyConfig?: string): DiffResult {
    const { view, exitCode } = runDiff({ base: baseFile, head: headFile, policyConfig });
    const output = format === "json" ? renderDiffJson(view) : format === "markdown" ? renderDiffMarkdown(view) : renderDiffText(view);
    return { output, exitCode };
}

async function execute({ format, options }: DiffCommandLine, context: CliContext): Promise<number> {
    const result = diff(options.base, options.head, format, options.policyConfig);
    print(context, result.output);
    return result.exitCode;
}

export const diffCommand: CliCommand<DiffCommandLine> = { declare: declareDiff, parse: parseDiff, execute };
