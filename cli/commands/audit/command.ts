/** `netguard audit`: run the stages, print the document, exit 1 on a mandatory violation, 2 when the audit failed. */
import { CliCommand } from "../../command";
import { CliContext, print } from "../../context";
import { UserError } from "../../errors";
import { AuditCommandLine, declareAudit, parseAudit } from "./options";
import { terminalProgress } from "./probes/progress";
import { renderAuditJson } from "./render/renderJson";
import { renderAuditText } from "./render/renderText";
import { runAudit } from "./run";

async function execute({ format, options }: AuditCommandLine, context: CliContext): Promise<number> {
    const result = await runAudit({ ...options, progress: terminalProgress("probing containers") });
    for (const warning of result.document.warnings) process.stderr.write(`netguard audit: warning: ${warning}\n`);
    print(context, format === "json" ? renderAuditJson(result.document) : renderAuditText(result.document));
    // The document says the measurement is incomplete; the failure itself goes to stderr with exit 2.
    if (result.failure) throw new UserError(result.failure);
    return result.exitCode;
}

export const auditCommand: CliCommand<AuditCommandLine> = { declare: declareAudit, parse: parseAudit, execute };
