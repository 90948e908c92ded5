import { DEFAULT_BRIDGE_KEY, Topology, isKnown, workloadKind } from "../../topology/model";
import { describeContainer } from "../describe";
import { Finding, Rule, noSettings } from "../rule";

/**
 * `docker-no-default-bridge`: no container may land on Docker's default
 * bridge, in any way: no network at all, `networkMode` `bridge`/`default`
 * without `networksAdvanced`, a `networksAdvanced` entry naming `bridge`, a
 * `docker run` without `--network` (or with `bridge`), or
 * `docker network connect bridge …`. The adapters decide who lands there.
 */
export const dockerNoDefaultBridge: Rule = {
    name: "docker-no-default-bridge",
    description:
        "Containers must not use Docker's default bridge: there they reach every other container by IP and cannot resolve names.",
    scope: "resource",
    readConfig: noSettings,
    judgesLiveState: true,
    check(topology: Topology): Finding[] {
        return topology.containers
            // A service never lands on docker0 (Docker refuses local networks for services): docker-service-user-network says so.
            .filter((container) => workloadKind(container) === "container" && container.attachments.some((a) => a.network === DEFAULT_BRIDGE_KEY))
            .map((container) => {
                const mode = container.networkMode !== undefined && isKnown(container.networkMode) ? container.networkMode : undefined;
                const fix =
                    container.origin === "command"
                        ? "Give it --network <a user-defined network> (one created with docker network create --subnet … --gateway …, or an IsolatedServiceNet), not bridge."
                        : "Attach it to an IsolatedServiceNet, or give it networksAdvanced on a user-defined network.";
                return {
                    subject: container,
                    message:
                        `${describeContainer(container)} lands on Docker's default bridge` +
                        `${mode === undefined ? "" : container.origin === "command" ? ` (--network ${mode})` : ` (networkMode "${mode}")`}: ` +
                        `there every container reaches it by IP and names do not resolve. ${fix}`,
                };
            });
    },
};
