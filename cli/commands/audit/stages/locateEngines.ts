/**
 * Stage 1 of `netguard audit`: what the audit covers and where. The label
 * scope and the pack's config are read, and every engine's address
 * (`--host`, else DOCKER_HOST, else the local socket); nothing connects
 * yet. A malformed label or address is exit 2 here.
 */
import { PackConfig } from "../../../../policies/policyConfig";
import { UserError } from "../../../errors";
import { readPolicyConfigFile } from "../../../policyConfigFile";
import { auditLocations } from "../engine/cluster";
import { EngineLocation } from "../engine/dockerEngine";
import { AuditOptions } from "../options";

export interface LocatedEngines {
    readonly options: AuditOptions;
    /** `key=value` (or `key`) filters, checked. */
    readonly labels: readonly string[];
    readonly packConfig: PackConfig;
    /** The engines to read, each once. */
    readonly locations: readonly EngineLocation[];
}

const LABEL_FILTER = /^[^=\s]+(=.*)?$/;

function checkLabels(labels: readonly string[]): string[] {
    for (const label of labels) {
        if (!LABEL_FILTER.test(label)) throw new UserError(`--label "${label}" is not a label filter: write KEY=VALUE or KEY (e.g. --label netguard.stack=shop/dev)`);
    }
    return [...labels];
}

export function locateEngines(options: AuditOptions): LocatedEngines {
    const labels = checkLabels(options.label ?? []);
    const packConfig = readPolicyConfigFile(options.policyConfig);
    const locations = auditLocations(options.hosts ?? [], options.env ?? process.env);
    return { options, labels, packConfig, locations };
}
