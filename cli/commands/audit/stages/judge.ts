/**
 * Stage 3 of `netguard audit`: the live topology judged by every rule live
 * state can judge, described for the document, and its reachability
 * predicted.
 */
import { describeTopology } from "../../../../document/previewDocument";
import { EngineInfo, engineOfVersion } from "../../../../topology/engineSemantics";
import { ReachablePair } from "../../../../topology/reachability";
import { LiveJudgement, judgeLiveState } from "../liveRules";
import { predict } from "../prediction";
import { Addressing, liveAddressing } from "../probes/probeScript";
import { EnginesRead } from "./readEngines";

export interface Judged extends EnginesRead {
    /** The Docker whose semantics judged the live state. */
    readonly engine: EngineInfo;
    readonly judgement: LiveJudgement;
    readonly described: ReturnType<typeof describeTopology>;
    /** Where each target is: its attachments' addresses, a service's running tasks'. */
    readonly addressing: Addressing;
    readonly predicted: ReachablePair[];
}

/** The Docker whose semantics judge the audit: the first engine's, with a warning when it is unknown or the engines differ. */
function auditedEngine(read: EnginesRead): { engine: EngineInfo; warnings: string[] } {
    const versions = [...new Set(read.cluster.engines.map((entry) => entry.engine.version))];
    const { engine, warning } = engineOfVersion(versions[0] ?? null);
    const warnings = warning ? [warning] : [];
    const others = versions.slice(1).filter((version) => engineOfVersion(version).engine.semantics !== engine.semantics);
    if (others.length > 0) warnings.push(`the engines run Docker ${versions.join(", ")}: all judged with Docker ${engine.semantics}'s semantics, the first engine's`);
    return { engine, warnings };
}

export function judge(read: EnginesRead): Judged {
    const { engine, warnings } = auditedEngine(read);
    const topology = { ...read.live.topology, engine: engine.semantics };
    const judgement = judgeLiveState(topology, read.packConfig);
    const described = describeTopology(topology);
    const addressing = liveAddressing(read.live);
    return { ...read, warnings: [...read.warnings, ...warnings], engine, judgement, described, addressing, predicted: predict(topology, read.running, read.oneHost, addressing) };
}
