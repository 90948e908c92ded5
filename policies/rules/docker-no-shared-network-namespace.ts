import { ContainerNode, Topology, isKnown, workloadKind } from "../../topology/model";
import { namespaceModeConflict, noneModeConnectRefusal } from "../../topology/dockerSemantics";
import { declarationOf, describeContainer } from "../describe";
import { GlobSyntaxError, compileGlob } from "../glob";
import { PolicyConfigError } from "../policyConfig";
import { Finding, Rule, stringListSetting } from "../rule";
import { cisDocker, RuleDoc } from "../ruleDoc";

export interface SharedNamespaceConfig {
    /** True for containers the `allow` globs let share a namespace. */
    readonly allowed: (container: ContainerNode) => boolean;
}

const NAME = "docker-no-shared-network-namespace";

function readSharedNamespaceConfig(raw: Record<string, unknown>): SharedNamespaceConfig {
    const globs = stringListSetting(NAME, raw, "allow", []);
    const matchers = globs.map((glob, index) => {
        try {
            return compileGlob(glob);
        } catch (err) {
            if (err instanceof GlobSyntaxError) throw new PolicyConfigError(`policy ${NAME}: setting "allow[${index}]": ${err.message}`);
            throw err;
        }
    });
    const matches = (name: string) => matchers.some((isMatch) => isMatch(name));
    return {
        allowed: (container) =>
            matches(container.name) ||
            (container.dockerName !== undefined && isKnown(container.dockerName) && matches(container.dockerName)),
    };
}

/** What the mode shares, or undefined when it attaches to a network (or is unknown). */
function sharedNamespace(mode: string): string | undefined {
    if (mode === "host") return "the host's network namespace";
    const [kind, target] = [mode.slice(0, mode.indexOf(":")), mode.slice(mode.indexOf(":") + 1)];
    if (kind === "container") return `the network namespace of container "${target}"`;
    if (kind === "service") return `the network namespace of service "${target}"`;
    return undefined;
}

const doc: RuleDoc = {
    summary:
        "Containers must not share another network namespace (networkMode host, container:… or service:…): that bypasses network isolation.",
    topic: "shared network namespaces",
    reports:
        "`networkMode` (or `--network`) `host`, `container:…` or `service:…`, and a swarm service on the `host` network (its tasks " +
        "share their node's namespace). The `allow` setting lists globs of container names (logical or Docker name) that may. Whatever it " +
        "allows, a program's container that Docker refuses: `container:…` with published ports or links, `host` with links, `none` with networks to join.",
    rationale:
        "A container in the host's network namespace is on no network of its own: it sees every host interface, can bind any host port " +
        "and reaches whatever listens on the host's loopback, and no user-defined network isolates it. In another container's namespace " +
        "(`container:<other>`) it reaches whatever that container reaches, invisibly in review, since it is on no network itself.",
    references: [cisDocker("5.10", "Ensure that the host's network namespace is not shared", "5.9"), { title: "Docker docs: Host network driver" }],
    settings: { allow: { default: [] } },
    compose: {
        reports:
            "`network_mode: host`, `network_mode: service:<name>` and `network_mode: container:<name>`.",
        example:
            "services:\n" +
            "  web:\n" +
            "    image: nginx:1.27-alpine\n" +
            "    network_mode: host",
    },
    examples: {
        bad: { docker: "docker run -d --name monitor --network host prom/node-exporter:v1.8.2" },
        good: {
            docker:
                "docker network create --subnet 10.20.3.0/24 --gateway 10.20.3.1 monitoring\n" +
                "docker run -d --name monitor --network monitoring -p 127.0.0.1:9100:9100 prom/node-exporter:v1.8.2",
        },
    },
};

/**
 * What Docker refuses of a program's container in a namespace mode, whatever
 * the allow setting says. Command lines and Compose files have their own
 * engine model, which lists these as not judged.
 */
function modeRefusal(container: ContainerNode): string | undefined {
    if (declarationOf(container) !== "resource") return undefined;
    const publishes = (container.ports ?? []).length > 0 || container.publishAllPorts === true;
    const conflict = namespaceModeConflict(container.networkMode, container.links.length > 0, publishes);
    if (conflict !== undefined) return `and ${publishes && conflict.includes("port") ? "publishes ports" : "legacy links"}, which Docker refuses ("${conflict}"). Drop them: the container uses the other's ports and names.`;
    const connects = container.attachments.length > 0;
    const none = noneModeConnectRefusal(container.networkMode, connects);
    return none === undefined ? undefined : `and joins networks (networksAdvanced), which Docker refuses ("${none}"). Drop networkMode "none" or the networks.`;
}

/** `docker-no-shared-network-namespace`: see {@link doc}. */
export const dockerNoSharedNetworkNamespace: Rule<SharedNamespaceConfig> = {
    name: NAME,
    description: doc.summary,
    doc,
    scope: "resource",
    configSchema: {
        properties: {
            allow: {
                type: "array",
                items: { type: "string" },
                description: "Globs of container names (logical or Docker name) that may share a network namespace.",
            },
        },
    },
    readConfig: readSharedNamespaceConfig,
    judgesLiveState: true,
    check(topology: Topology, config: SharedNamespaceConfig): Finding[] {
        const findings: Finding[] = [];
        for (const container of topology.containers) {
            const mode = container.networkMode;
            if (mode === undefined || !isKnown(mode)) continue;
            const refusal = modeRefusal(container);
            if (refusal !== undefined) findings.push({ subject: container, message: `${describeContainer(container)} has networkMode "${mode}" ${refusal}` });
            if (config.allowed(container)) continue;
            const shared = sharedNamespace(mode);
            if (!shared) continue;
            const service = workloadKind(container) === "service";
            const compose = declarationOf(container) === "compose";
            const field = compose ? `network_mode: ${mode}` : container.origin === "command" ? `--network ${mode}` : service ? `network "${mode}"` : `networkMode "${mode}"`;
            const instead = compose
                ? "Drop network_mode and put the service on a network of the project (networks:) instead, publishing ports if the host must reach it, "
                : service
                ? 'Attach it to a swarm-scope IsolatedServiceNet (an overlay network) instead, publishing ports if clients outside the swarm must reach it, '
                : "Attach it to an IsolatedServiceNet (a user-defined network) instead, publishing ports if the host must reach it, ";
            findings.push({
                subject: container,
                message:
                    `${describeContainer(container)} shares ${shared} (${field}): it bypasses network isolation, ` +
                    `${mode === "host" ? "sees every host interface and can bind any host port" : "and reaches whatever that container reaches, invisibly in review"}. ` +
                    instead +
                    `or, if it truly needs this, add its name to the policy's allow setting.`,
            });
        }
        return findings;
    },
};
