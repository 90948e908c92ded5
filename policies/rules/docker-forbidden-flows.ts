import { ContainerNode, Topology, containerNames } from "../../topology/model";
import { reachableContainers } from "../../topology/reachability";
import { declarationOf, describeContainer } from "../describe";
import { excerpt } from "../../text/excerpt";
import { GlobSyntaxError, NameMatcher, compileGlob } from "../glob";
import { PolicyConfigError } from "../policyConfig";
import { Finding, Rule } from "../rule";
import { DOCKER_DOCS, RuleDoc } from "../ruleDoc";

const NAME = "docker-forbidden-flows";

/** One denied flow: containers matching `from` must not reach containers matching `to`. */
export interface DenyEntry {
    /** The globs as written, for messages. */
    readonly from: string;
    readonly to: string;
    /** Whether a container answers to the glob by any of its names (logical, Docker, aliases). */
    readonly matchesFrom: (container: ContainerNode) => boolean;
    readonly matchesTo: (container: ContainerNode) => boolean;
}

export interface ForbiddenFlowsConfig {
    readonly deny: readonly DenyEntry[];
}

function matcher(isMatch: NameMatcher): (container: ContainerNode) => boolean {
    return (container) => containerNames(container).some((name) => isMatch(name));
}

function readGlob(entry: Record<string, unknown>, index: number, field: "from" | "to"): { glob: string; matches: (container: ContainerNode) => boolean } {
    const value = entry[field];
    if (typeof value !== "string" || value.trim() === "") {
        throw new PolicyConfigError(
            `policy ${NAME}: setting "deny[${index}].${field}" must be a non-empty glob matching container names ` +
                `(e.g. "web-*"), got ${excerpt(value)}`,
        );
    }
    try {
        return { glob: value, matches: matcher(compileGlob(value)) };
    } catch (err) {
        if (err instanceof GlobSyntaxError) throw new PolicyConfigError(`policy ${NAME}: setting "deny[${index}].${field}": ${err.message}`);
        throw err;
    }
}

/** Reads `{"deny": [{"from": GLOB, "to": GLOB}]}`; throws {@link PolicyConfigError} naming the bad entry. */
function readConfig(raw: Record<string, unknown>): ForbiddenFlowsConfig {
    const deny = raw.deny;
    if (deny === undefined) return { deny: [] };
    if (!Array.isArray(deny)) {
        throw new PolicyConfigError(
            `policy ${NAME}: setting "deny" must be a list of {"from": GLOB, "to": GLOB} entries, got ${excerpt(deny)}`,
        );
    }
    return {
        deny: deny.map((entry: unknown, index) => {
            if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
                throw new PolicyConfigError(
                    `policy ${NAME}: setting "deny[${index}]" must be an object {"from": GLOB, "to": GLOB}, got ${excerpt(entry)}`,
                );
            }
            const fields = entry as Record<string, unknown>;
            const unexpected = Object.keys(fields).filter((key) => key !== "from" && key !== "to");
            if (unexpected.length > 0) {
                throw new PolicyConfigError(
                    `policy ${NAME}: setting "deny[${index}]" has unknown field ${excerpt(unexpected[0])} (only "from" and "to" are allowed)`,
                );
            }
            const from = readGlob(fields, index, "from");
            const to = readGlob(fields, index, "to");
            return { from: from.glob, to: to.glob, matchesFrom: from.matches, matchesTo: to.matches };
        }),
    };
}

const doc: RuleDoc = {
    summary: "Containers must not be able to reach containers that the pack's config denies them (deny: from/to globs).",
    topic: "denied flows",
    reports:
        "A pair of containers where the first can reach the second (netguard's reachability: a shared network that lets " +
        "inter-container traffic through) and a `deny` entry matches the first with `from` and the second with `to`, by any of its " +
        "names (logical name, Docker name, network aliases). It is reported once on the `from` container, naming every denied target. " +
        "A container in `container:<other>` mode reaches and is reached as the other is. Without `deny` entries it reports nothing.",
    rationale:
        "In Docker, network membership decides reachability: containers on one user-defined network reach each other on every port " +
        "(unless the network turns inter-container traffic off), whatever was intended. A deny list states the flows that must never " +
        "exist, such as a web tier to the payments vault, so that a change that puts them on a shared network fails review instead " +
        "of shipping.",
    references: [DOCKER_DOCS.bridge],
    settings: { deny: { default: [] } },
    compose: {
        reports:
            "The same `deny` globs, matched against a service's container names (`<project>-<service>-<n>`, or `container_name:`) and its " +
            "aliases, the service's name among them. Services on a network of the project reach each other unless its `driver_opts` turn " +
            "`com.docker.network.bridge.enable_icc` off.",
        example:
            "services:\n" +
            "  db:\n" +
            "    image: postgres:16-alpine\n" +
            "  web:\n" +
            "    image: nginx:1.27-alpine",
    },
    examples: {
        settings: { deny: [{ from: "web", to: "db" }] },
        bad: {
            docker:
                "docker network create --subnet 10.30.1.0/24 --gateway 10.30.1.1 app\n" +
                "docker run -d --name db --network app postgres:16-alpine\n" +
                "docker run -d --name web --network app nginx:1.27-alpine",
        },
        good: {
            docker:
                "docker network create --subnet 10.30.1.0/24 --gateway 10.30.1.1 front\n" +
                "docker network create --subnet 10.30.2.0/24 --gateway 10.30.2.1 back\n" +
                "docker run -d --name db --network back postgres:16-alpine\n" +
                "docker run -d --name web --network front nginx:1.27-alpine",
        },
    },
};

/** `docker-forbidden-flows`: see {@link doc}. Reachability is `topology/reachability.ts`'s. */
export const dockerForbiddenFlows: Rule<ForbiddenFlowsConfig> = {
    name: NAME,
    description: doc.summary,
    doc,
    scope: "stack",
    configSchema: {
        properties: {
            deny: {
                type: "array",
                description: "Flows that must not exist: globs over a container's logical name, Docker name or aliases.",
                items: {
                    type: "object",
                    properties: { from: { type: "string", minLength: 1 }, to: { type: "string", minLength: 1 } },
                    required: ["from", "to"],
                    additionalProperties: false,
                },
            },
        },
    },
    readConfig,
    judgesLiveState: true,
    check(topology: Topology, config: ForbiddenFlowsConfig): Finding[] {
        if (config.deny.length === 0) return [];
        // Match each container against each glob once, not once per pair.
        const sides = config.deny.map((deny) => ({
            deny,
            from: new Set(topology.containers.filter(deny.matchesFrom)),
            to: new Set(topology.containers.filter(deny.matchesTo)),
        }));
        const denied = new Map<ContainerNode, string[]>();
        for (const pair of reachableContainers(topology)) {
            const entry = sides.find((side) => side.from.has(pair.from) && side.to.has(pair.to))?.deny;
            if (!entry) continue;
            const flow = `"${pair.to.name}" over ${pair.networks.map((n) => `"${n}"`).join(", ")} (denied by from "${entry.from}" to "${entry.to}")`;
            denied.set(pair.from, [...(denied.get(pair.from) ?? []), flow]);
        }
        return topology.containers
            .filter((container) => denied.has(container))
            .map((from) => ({
                subject: from,
                message:
                    `${describeContainer(from)} can reach ${(denied.get(from) as string[]).sort().join(", ")}. ` +
                    (declarationOf(from) === "compose"
                        ? "Put the services on networks of the project that they do not share (networks: in the Compose file), " +
                          'or give the network they share driver_opts: { com.docker.network.bridge.enable_icc: "false" }; '
                        : "Put them on IsolatedServiceNets that share no network (a DualHomedContainer joins only the nets it must), " +
                          "or set interContainer: false on the net they share; ") +
                    "remove the deny entry only if the flow is intended.",
            }));
    },
};
