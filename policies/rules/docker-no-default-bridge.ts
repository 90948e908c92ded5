import { DEFAULT_BRIDGE_KEY, Topology } from "../../topology/model";
import { Finding, Rule, noSettings } from "../rule";

/** `docker-no-default-bridge`: no container may land on Docker's default bridge, in any way. */
export const dockerNoDefaultBridge: Rule = {
    name: "docker-no-default-bridge",
    description:
        "Containers must not use Docker's default bridge: there they reach every other container by IP and cannot resolve names.",
    scope: "resource",
    readConfig: noSettings,
    judgesLiveState: true,
    check(topology: Topology): Finding[] {
        return topology.containers
            .filter((container) => container.attachments.some((a) => a.network === DEFAULT_BRIDGE_KEY))
            .map((container) => ({
                subject: container,
                message:
                    `container "${container.name}" lands on Docker's default bridge` +
                    `${container.networkMode ? ` (networkMode "${String(container.networkMode)}")` : ""}: ` +
                    "there every container reaches it by IP and names do not resolve. " +
                    "Attach it to an IsolatedServiceNet, or give it networksAdvanced on a user-defined network.",
            }));
    },
};
