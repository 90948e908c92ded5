/** `netguard audit --json`: the audit document (`document/auditDocument.ts`). */
import { AuditDocument } from "../../../../document/auditDocument";
import { jsonDocument } from "../../../render/json";

export function renderAuditJson(document: AuditDocument): string {
    return jsonDocument(document);
}
