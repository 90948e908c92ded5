/** `netguard diff --json`: the diff of the two previews. */
import { jsonDocument } from "../../../render/json";
import { DiffView } from "../diffView";

export function renderDiffJson(view: DiffView): string {
    return jsonDocument(view.diff);
}
