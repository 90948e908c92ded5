/** `netguard preview`: run the program, print the document, exit 1 on a mandatory violation. */
import { CliCommand } from "../../command";
import { CliContext, print } from "../../context";
import { PreviewCommandLine, declarePreview, parsePreview } from "./options";
import { renderPreviewJson } from "./render/renderJson";
import { renderPreviewMarkdown } from "./render/renderMarkdown";
import { renderPreviewText } from "./render/renderText";

async function execute({ format, options }: PreviewCommandLine, context: CliContext): Promise<number> {
    // Loaded here: it loads the Pulumi SDK, which the other commands do not need (audit starts in a fraction of the time).
    const result = options.composeFiles
        ? { outputs: {}, predictedAddresses: new Map(), ...(await (require("./runCompose") as typeof import("./runCompose")).runComposePreview(options.composeFiles, options)) }
        : await (require("./run") as typeof import("./run")).runPreview({ ...options, debug: context.debug });
    if (format === "json") print(context, renderPreviewJson(result.document));
    else if (format === "markdown") print(context, renderPreviewMarkdown(result.document));
    else print(context, renderPreviewText(result.document, result.outputs, result.predictedAddresses));
    return result.exitCode;
}

export const previewCommand: CliCommand<PreviewCommandLine> = { declare: declarePreview, parse: parsePreview, execute };
