/**
 * Stage 3 of `netguard audit`: the live topology judged by every rule live
 * state can judge, described for the document, and its reachability
 * predicted.
 */
import { describeTopology } from "../../../../document/previewDocument";
import { ReachablePair } from "../../../../topology/reachability";
import { LiveJudgement, judgeLiveState } from "../liveRules";
import { predict } from "../prediction";
import { Addressing, liveAddressing } from "../probes/probeScript";
import { EnginesRead } from "./readEngines";

export interface Judged extends EnginesRead {
    readonly judgement: LiveJudgement;
    readonly described: ReturnType<typeof describeTopology>;
    /** Where each target is: its attachments' addresses, a service's running tasks'. */
    readonly addressing: Addressing;
    readonly predicted: ReachablePair[];
}

export function judge(read: EnginesRead): Judged {
    const { topology } = read.live;
    const judgement = judgeLiveState(topology, read.packConfig);
    const described = describeTopology(topology);
    const addressing = liveAddressing(read.live);
    return { ...read, judgement, described, addressing, predicted: predict(topology, read.running, read.oneHost, addressing) };
}
