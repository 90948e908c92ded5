import { PreviewDocument } from "../preview/document";

/** The pull-request summary of a preview (issue 4 fills in the full layout). */
export function renderPreviewMarkdown(document: PreviewDocument): string {
    return `## netguard preview\n\n${document.violations.length} violations, ${document.networks.length} networks\n`;
}
