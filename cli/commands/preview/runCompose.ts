/**
 * `netguard preview compose.yaml [-f more.yaml] [--project-name NAME]`: a
 * Compose project read into the same topology (Docker's names: networks
 * `<project>_<key>`, containers `<project>-<service>-<n>`) and judged by the
 * same rules, with the same document, views and `diff` as a program's.
 */
import * as path from "path";
import { PreviewDocument, previewDocument, summarize } from "../../../document/previewDocument";
import { judgeTopology } from "../../../policies/judgeTopology";
import { policyNames, rules } from "../../../policies/pack";
import { withDockerVersion } from "../../../policies/policySettings";
import { PolicyConfigError } from "../../../policies/policyConfig";
import { ComposeError, readComposeProject, topologyFromCompose } from "../../../readers/compose";
import { EngineSemantics } from "../../../topology/engineSemantics";
import { EXIT_OK, EXIT_VIOLATIONS, UserError } from "../../errors";
import { readPolicyConfigFile } from "../../policyConfigFile";
import { PreviewOptions } from "./options";
import { judgedEngine } from "./dockerVersion";

export async function runComposePreview(files: readonly string[], options: PreviewOptions): Promise<{ document: PreviewDocument; exitCode: number }> {
    const engine = judgedEngine(options.dockerVersion, {});
    // As for a program: the preview's Docker for every policy, unless the policy config names one for it.
    const packConfig = withDockerVersion(readPolicyConfigFile(options.policyConfig), engine.semantics, policyNames);
    let reading;
    try {
        reading = readComposeProject(files, { projectName: options.projectName, semantics: engine.semantics });
    } catch (err) {
        if (err instanceof ComposeError) throw new UserError(err.message, err);
        throw err;
    }
    const topology = { ...reading.topology, engine: engine.semantics };
    let violations;
    try {
        // A policy told another Docker judges the networks that Docker would create.
        const asCreatedBy = (semantics: EngineSemantics) => ({ ...topologyFromCompose(reading.project, semantics).topology, engine: semantics });
        ({ violations } = judgeTopology((semantics) => (semantics === undefined || semantics === engine.semantics ? topology : asCreatedBy(semantics)), packConfig));
    } catch (err) {
        if (err instanceof PolicyConfigError) throw new UserError(options.policyConfig ? `${options.policyConfig}: ${err.message}` : err.message);
        throw err;
    }
    const file = files.map((name) => path.relative(process.cwd(), path.resolve(name)) || name).join(", ");
    // What the reader could not carry into the model, listed as a Command's unread lines are.
    const notJudged = reading.notJudged.map((entry) => ({ resource: file, name: reading.project.name, field: entry.key, line: null, excerpt: entry.key, reason: entry.reason }));
    const judged = previewDocument([], topology, violations, notJudged, engine);
    const document: PreviewDocument = {
        ...judged,
        source: { program: file, project: reading.project.name, stack: null, offline: true },
        summary: summarize(judged, rules.length),
        outputs: {},
    };
    return { document, exitCode: violations.some((violation) => violation.level === "mandatory") ? EXIT_VIOLATIONS : EXIT_OK };
}
