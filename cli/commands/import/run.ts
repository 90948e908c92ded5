/**
 * `netguard import`: read the source (a Compose project as `netguard preview
 * compose.yaml` reads it, or a live engine as the audit reads it), translate
 * it (`importPlan.ts`) and write the program (`writeProgram.ts`).
 */
import { ComposeError, readComposeProject } from "../../../readers/compose";
import { UserError } from "../../errors";
import { locateEngines } from "../audit/stages/locateEngines";
import { readEngines } from "../audit/stages/readEngines";
import { composeSource } from "./composeSource";
import { engineSource } from "./engineSource";
import { ImportSource } from "./importSource";
import { ImportPlan, planImport } from "./importPlan";
import { ImportOptions } from "./options";
import { writeProgram } from "./writeProgram";

export interface ImportResult {
    readonly plan: ImportPlan;
    /** The program's text. */
    readonly program: string;
}

async function readSource(options: ImportOptions): Promise<ImportSource> {
    if (options.fromEngine) {
        const located = locateEngines({ label: options.labels ?? [], env: options.env });
        const read = await readEngines(located);
        const where = located.locations.map((location) => `the Docker engine at ${location.address}`).join(", ");
        return engineSource({ state: read.cluster.state, labels: read.labels, warnings: read.warnings }, where);
    }
    const files = options.composeFiles ?? [];
    try {
        return composeSource(readComposeProject(files, { projectName: options.projectName }), files);
    } catch (err) {
        if (err instanceof ComposeError) throw new UserError(err.message, err);
        throw err;
    }
}

export async function runImport(options: ImportOptions): Promise<ImportResult> {
    const plan = planImport(await readSource(options));
    return { plan, program: writeProgram(plan) };
}
