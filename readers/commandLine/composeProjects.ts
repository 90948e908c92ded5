/**
 * A compose line applied to the engine it targets, in order: `up` creates the
 * project's networks and containers (Docker's names, as Compose creates them:
 * networks first, then each container on its first network and connected to
 * the rest), `down` removes both, `stop`/`rm` the containers. The nodes are
 * the Compose reader's, keyed under the command resource and reported on it.
 */
import { ComposeLine, ComposeProjectNodes, ComposeProjectReader, ScriptFiles, ScriptPlace, isComposeLine, readComposeLine } from "./composeCommand";
import { ShellCommand } from "./shell/shellCommand";
import { CommandSource } from "./dockerCommandNodes";
import { ELSEWHERE, EngineModel } from "./engineModel";
import { ContainerNode, DEFAULT_BRIDGE_KEY, NetworkNode, UNKNOWN, isKnown } from "../../topology/model";

type ProjectNodes = Exclude<ComposeProjectNodes, { error: string }>;

/** What applying a line came to: Docker's (or Compose's) refusal, and what the rules cannot judge of the project. */
export interface ComposeOutcome {
    readonly refusal?: string;
    readonly unknown?: string;
    readonly notJudged: readonly string[];
}

/** The services named and those they depend on, or every service when none is named. */
function selected(nodes: ProjectNodes, services: readonly string[]): (container: ContainerNode) => boolean {
    if (services.length === 0) return () => true;
    const wanted = new Set<string>();
    const visit = (service: string) => {
        if (wanted.has(service)) return;
        wanted.add(service);
        for (const other of nodes.dependsOn[service] ?? []) visit(other);
    };
    services.forEach(visit);
    return (container) => wanted.has((container.compose?.key ?? "").replace(/^services\./, ""));
}

/** The projects a script's compose lines bring up and take down, each on the engine its line targets. */
export class ComposeProjects {
    constructor(
        private readonly source: CommandSource,
        private readonly read: ComposeProjectReader | undefined,
    ) {}

    /** The reader's nodes, keyed under the command resource and reported on it. */
    private owned(nodes: ProjectNodes): { networks: NetworkNode[]; containers: ContainerNode[] } {
        const key = (name: string) => `${this.source.urn}#compose:${name}`;
        const external = new Set(nodes.external);
        const networks = nodes.networks.filter((network) => !network.defaultBridge && !(isKnown(network.dockerName ?? "") && external.has(network.dockerName as string)));
        const ownKeys = new Set(networks.map((network) => network.key));
        return {
            networks: networks.map((network) => ({ ...network, key: key(network.key), resource: this.source.urn })),
            containers: nodes.containers.map((container) => ({
                ...container,
                key: key(container.key),
                resource: this.source.urn,
                // External networks are found by name once the whole stack is known.
                attachments: container.attachments.map((a) =>
                    a.network === undefined || a.network === DEFAULT_BRIDGE_KEY ? a : ownKeys.has(a.network) ? { ...a, network: key(a.network) } : { ...a, network: undefined },
                ),
                ...(container.sharesNamespaceOf !== undefined ? { sharesNamespaceOf: key(container.sharesNamespaceOf) } : {}),
            })),
        };
    }

    apply(engine: EngineModel, line: Exclude<ComposeLine, { effect: "none" | "unknown" }>, tearsDown: boolean): ComposeOutcome {
        // A removal in `delete` tears down; it says nothing about the running topology.
        if (tearsDown && line.effect !== "up") return { notJudged: [] };
        if (this.read === undefined) return { unknown: "Compose projects are not read here", notJudged: [] };
        const nodes = this.read({ ...line.request, semantics: engine.semantics });
        if ("error" in nodes) return { unknown: `Compose refuses the project (${nodes.error})`, notJudged: [] };
        const wanted = selected(nodes, line.services);
        const { networks, containers } = this.owned(nodes);
        const chosen = containers.filter(wanted);
        const used = new Set(chosen.flatMap((container) => container.attachments.map((a) => a.network)));
        const notJudged = [...nodes.notJudged];
        if (line.scaled) notJudged.push("--scale is not applied: each service has the containers its files give it");
        if (line.effect === "up") {
            for (const network of networks.filter((n) => line.services.length === 0 || used.has(n.key))) {
                if (engine.networkPresence(network.dockerName ?? "").kind === "present") continue;
                const refusal = engine.createNetwork(network);
                if (refusal !== undefined) return { refusal, notJudged };
            }
            // A container that joins another's namespace comes after it, as Compose orders them.
            const ordered = [...chosen].sort((a, b) => Number(a.networkMode?.toString().startsWith("container:") ?? false) - Number(b.networkMode?.toString().startsWith("container:") ?? false));
            for (const container of ordered) {
                if (engine.containers.some((other) => other.key === container.key)) continue;
                // Compose creates a container on one network and connects it to the others.
                const refusal = engine.createContainer(container, { endpoints: 1, namespaceAddresses: [], publishes: (container.ports ?? []).length > 0 }) ?? (line.subcommand === "create" ? undefined : engine.startContainer(container.dockerName ?? ""));
                if (refusal !== undefined && refusal !== ELSEWHERE) return { refusal, notJudged };
            }
            return { notJudged };
        }
        for (const container of chosen) engine.removeContainer(container.dockerName ?? "", true);
        if (line.effect === "down") for (const network of networks) engine.removeNetwork(network.dockerName ?? "");
        return { notJudged: [] };
    }
}

/** How a script's compose lines are read: where the script runs, and the Compose reader (absent: compose lines are not judged). */
export interface ComposeScriptOptions {
    readonly place: ScriptPlace;
    readonly read?: ComposeProjectReader;
}

/** A script's compose lines, command by command: the files it writes, and the projects it brings up and down. */
export class ComposeScript {
    private readonly files: ScriptFiles;
    /** Commands `ssh` runs: on another host, in a folder not known. */
    private readonly remoteFiles = new ScriptFiles({ host: "remote", directory: UNKNOWN });
    private readonly projects: ComposeProjects;

    constructor(source: CommandSource, options: ComposeScriptOptions = { place: { host: "local", directory: UNKNOWN } }) {
        this.files = new ScriptFiles(options.place);
        this.projects = new ComposeProjects(source, options.read);
    }

    /**
     * Reads one command: follows the files it writes; for a compose line,
     * applies it to `engine` (the one the line targets) and reports what
     * cannot be judged. Undefined for other commands; else whether it
     * succeeded, as far as the model knows.
     */
    run(command: ShellCommand, engine: EngineModel, tearsDown: boolean, report: (reason: string) => void): "ok" | "failed" | "unknown" | undefined {
        const files = command.remote ? this.remoteFiles : this.files;
        files.observe(command);
        if (!isComposeLine(command)) return undefined;
        const line = readComposeLine(command, files);
        if (line.effect === "none") return "unknown";
        if (line.effect === "unknown") {
            report(`${line.reason}: the Compose project is not judged`);
            return "unknown";
        }
        const outcome = this.projects.apply(engine, line, tearsDown);
        for (const reason of outcome.notJudged) report(`Compose project: ${reason}`);
        if (outcome.unknown !== undefined) {
            report(`${outcome.unknown}: the Compose project is not judged`);
            return "unknown";
        }
        if (outcome.refusal !== undefined) {
            report(`Docker refuses this command (${outcome.refusal})`);
            return "failed";
        }
        return "ok";
    }
}
