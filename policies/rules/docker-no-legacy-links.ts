import { Link, Topology } from "../../topology/model";
import { declarationOf, describeContainer } from "../describe";
import { Finding, Rule, noSettings } from "../rule";
import { DOCKER_DOCS, RuleDoc } from "../ruleDoc";

/** The links' targets, each with the aliases it is linked under (Compose links one target under three). */
function describeLinks(links: readonly Link[]): string {
    const aliases = new Map<string, string[]>();
    for (const link of links) aliases.set(link.target, [...(aliases.get(link.target) ?? []), ...(link.alias ? [link.alias] : [])]);
    return [...aliases]
        .map(([target, names]) => (names.length === 0 ? `"${target}"` : `"${target}" (alias${names.length > 1 ? "es" : ""} ${names.map((name) => `"${name}"`).join(", ")})`))
        .join(", ");
}

const doc: RuleDoc = {
    summary: "Containers must not use legacy links (--link): they resolve one way only, break when the target is recreated, and are deprecated.",
    topic: "legacy links (--link)",
    reports:
        "`--link` in any form: a `links` property on a container (older SDKs and untyped resources still send it), or `--link` on a " +
        "`docker run`, `docker create` or `docker network connect` command line.",
    rationale:
        "A link writes one `/etc/hosts` line into the linking container, with the target's address at that moment: the name resolves " +
        "one way only, and goes stale when the target is recreated with another address. Docker documents `--link` as a legacy feature " +
        "that may eventually be removed, and recommends user-defined networks instead, where containers resolve each other by name or " +
        "alias through Docker's DNS, both ways, whatever their addresses.",
    references: [DOCKER_DOCS.links, DOCKER_DOCS.bridge],
    compose: {
        reports:
            "`links:` and `external_links:` on a service: Compose hands both to Docker as `--link`. A service reaches another by its service " +
            "name on a network they share; give it an `aliases:` entry there for another name.",
        example:
            "services:\n" +
            "  db:\n" +
            "    image: postgres:16-alpine\n" +
            "  web:\n" +
            "    image: nginx:1.27-alpine\n" +
            "    links:\n" +
            "      - db:database",
    },
    examples: {
        bad: {
            docker:
                "docker run -d --name db postgres:16-alpine\n" +
                "docker run -d --name web --link db:database nginx:1.27-alpine",
        },
        good: {
            docker:
                "docker network create --subnet 10.20.1.0/24 --gateway 10.20.1.1 app\n" +
                "docker run -d --name db --network app --network-alias database postgres:16-alpine\n" +
                "docker run -d --name web --network app nginx:1.27-alpine",
        },
    },
};

/** `docker-no-legacy-links`: see {@link doc}. */
export const dockerNoLegacyLinks: Rule = {
    name: "docker-no-legacy-links",
    description: doc.summary,
    doc,
    scope: "resource",
    readConfig: noSettings,
    judgesLiveState: true,
    check(topology: Topology): Finding[] {
        return topology.containers
            .filter((container) => container.links.length > 0)
            .map((container) => {
                const declaration = declarationOf(container);
                const how = declaration === "compose" ? "links:" : declaration === "command" ? "--link" : "the links property";
                const fix =
                    declaration === "compose"
                        ? "Replace links: with a network the two services share, and reach the target by its service name or a network alias under networks.<net>.aliases."
                        : `Remove ${how}; put both containers on one user-defined network (e.g. an IsolatedServiceNet) and reach the target by its name or a network alias.`;
                return {
                    subject: container,
                    message:
                        `${describeContainer(container)} uses a legacy link (${how}) to ${describeLinks(container.links)}: ` +
                        "links write one /etc/hosts line one way, break when the target is recreated, and are deprecated. " +
                        fix,
                };
            });
    },
};
