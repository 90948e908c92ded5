import { Link, Topology } from "../../topology/model";
import { describeContainer } from "../describe";
import { Finding, Rule, noSettings } from "../rule";

function describeLink(link: Link): string {
    return link.alias ? `"${link.target}" (alias "${link.alias}")` : `"${link.target}"`;
}

/**
 * `docker-no-legacy-links`: `--link` in any form: a `links` property on a
 * container (older SDKs and untyped resources still send it) or `--link` in
 * a `docker run`/`docker create`/`docker network connect` command line.
 */
export const dockerNoLegacyLinks: Rule = {
    name: "docker-no-legacy-links",
    description:
        "Containers must not use legacy links (--link): they resolve one way only, break when the target is recreated, and are deprecated.",
    scope: "resource",
    readConfig: noSettings,
    judgesLiveState: true,
    check(topology: Topology): Finding[] {
        return topology.containers
            .filter((container) => container.links.length > 0)
            .map((container) => {
                const how = container.origin === "command" ? "--link" : "the links property";
                return {
                    subject: container,
                    message:
                        `${describeContainer(container)} uses a legacy link (${how}) to ${container.links.map(describeLink).join(", ")}: ` +
                        "links write one /etc/hosts line one way, break when the target is recreated, and are deprecated. " +
                        `Remove ${how}; put both containers on one user-defined network (e.g. an IsolatedServiceNet) ` +
                        "and reach the target by its name or a network alias.",
                };
            });
    },
};
