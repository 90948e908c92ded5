/**
 * What the audit's probe tries on a swarm, without an engine: targets are
 * the tasks' addresses, overlays are pinged only from their members, names
 * are the service's, its aliases and `tasks.<name>`, and a name that
 * resolves to the service's virtual IP counts as by name.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { liveAddressing, planProbe, readProbeOutput } from "../../../../../cli/commands/audit/probes/probeScript";
import { liveTopologyFromDocker } from "../../../../../readers/docker/fromDocker";
import { DockerEngineState } from "../../../../../readers/docker/engineState";
import { ContainerNode } from "../../../../../topology/model";

const state: DockerEngineState = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "..", "fixtures", "docker-swarm-20.10.json"), "utf8"));
const live = liveTopologyFromDocker(state);
const { topology } = live;
const addressing = liveAddressing(live);
const node = (name: string): ContainerNode => {
    const found = topology.containers.find((c) => c.name === name);
    assert.ok(found, name);
    return found;
};
const everyoneRuns = () => true;

describe("audit probes on a swarm: what each task tries", () => {
    it("pings every running task of a target on the overlays the source is on, and nothing on overlays it is not on", () => {
        const plan = planProbe(topology, node("audexp-a"), everyoneRuns, addressing);
        assert.deepStrictEqual(plan.addresses.map((a) => `${a.target.name} ${a.network.name} ${a.address} vip=${a.virtualIp}`).sort(), [
            "audexp-b audexp-net 10.231.99.10 vip=10.231.99.5",
        ]);
        assert.deepStrictEqual(plan.skipped, [], "an overlay the source is not on is no target and no skipped address either");
        const fromB = planProbe(topology, node("audexp-b"), everyoneRuns, addressing);
        assert.deepStrictEqual(fromB.addresses.map((a) => `${a.target.name} ${a.address}`).sort(), [
            "audexp-a 10.231.99.8",
            "audexp-a 10.231.99.9",
            "audexp-c 10.231.98.8",
            "audexp-plain 10.231.98.9",
        ]);
    });

    it("asks the embedded DNS for the service name, its aliases and tasks.<each>, never on ingress", () => {
        const plan = planProbe(topology, node("audexp-b"), everyoneRuns, addressing);
        assert.deepStrictEqual(plan.lookups.filter((l) => l.target.name === "audexp-a").map((l) => l.name).sort(), ["aa", "audexp-a", "tasks.aa", "tasks.audexp-a"]);
        const fromC = planProbe(topology, node("audexp-c"), everyoneRuns, addressing);
        assert.ok(fromC.addresses.every((a) => a.network.name !== "ingress"), "ingress is shared with no one here");
        assert.ok(!fromC.lookups.some((l) => l.target.name === "audexp-a"), "no name of a service on no shared network is asked");
    });

    it("is by name when tasks.<name> resolves to a task that answered, or the name to the service's virtual IP on that network", () => {
        const plan = planProbe(topology, node("audexp-a"), everyoneRuns, addressing);
        const target = plan.addresses.findIndex((a) => a.target.name === "audexp-b");
        const lookup = (name: string) => plan.lookups.findIndex((l) => l.name === name);
        const run = (dns: string[]) => readProbeOutput(plan, ["NG-READY", `NG-A ${target} ok`, ...dns, "NG-DONE"].join("\n"));
        const pair = (byName: boolean) => ({ probed: true, pairs: [{ from: "audexp-a", to: "audexp-b", networks: ["audexp-net"], byName }] });
        assert.deepStrictEqual(run([`NG-D ${lookup("tasks.audexp-b")} Name: tasks.audexp-b Address: 10.231.99.10`]), pair(true));
        assert.deepStrictEqual(run([`NG-D ${lookup("audexp-b")} Name: audexp-b Address: 10.231.99.5`]), pair(true), "the virtual IP");
        assert.deepStrictEqual(run([`NG-D ${lookup("audexp-b")} Name: audexp-b Address: 10.231.98.2`]), pair(false), "the virtual IP on a network the pair does not use");
        assert.deepStrictEqual(run([]), pair(false));
    });
});
