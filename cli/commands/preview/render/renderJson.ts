/** `netguard preview --json`: the preview document (`document/previewDocument.ts`), read back by `netguard diff`. */
import { PreviewDocument } from "../../../../document/previewDocument";
import { jsonDocument } from "../../../render/json";

export function renderPreviewJson(document: PreviewDocument): string {
    return jsonDocument(document);
}
