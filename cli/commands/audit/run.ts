/**
 * `netguard audit`: judge live Docker engines (a swarm too) with the pack's
 * rules, predict and optionally measure reachability. One pass through five
 * stages, each taking the previous one's output:
 *
 *     locate engines → read them → judge → probe → document
 */
import { AuditOptions } from "./options";
import { judge } from "./stages/judge";
import { AuditResult, document } from "./stages/document";
import { locateEngines } from "./stages/locateEngines";
import { probe } from "./stages/probe";
import { readEngines } from "./stages/readEngines";

export async function runAudit(options: AuditOptions = {}): Promise<AuditResult> {
    const located = locateEngines(options);
    const read = await readEngines(located);
    const judged = judge(read);
    const probed = await probe(judged);
    return document(probed);
}
