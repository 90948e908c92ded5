/**
 * The Compose reader's entry point: `readComposeProject(files, options)`
 * resolves a project as Compose does (the plugin when it is there, else the
 * built-in reader) and maps it into the topology.
 */
import * as fs from "fs";
import * as path from "path";
import { ComposeProject } from "./composeProject";
import { readProjectFiles } from "./composeFiles";
import { composePluginAvailable, pluginProject } from "./composePlugin";
import { ComposeNotJudged, topologyFromCompose } from "./fromCompose";
import { Environment, parseDotEnv } from "./interpolation";
import { EngineSemantics } from "../../topology/engineSemantics";
import { Topology } from "../../topology/model";

export { ComposeError, ComposeProject, ComposeService } from "./composeProject";
export { ComposeNotJudged, containerNames as composeContainerNames, topologyFromCompose } from "./fromCompose";

export interface ComposeReadOptions {
    /** `--project-name`; else `COMPOSE_PROJECT_NAME`, the files' `name:`, the first file's folder. */
    readonly projectName?: string;
    /** The environment variables are interpolated from (`process.env` unless given); the project folder's `.env` adds to it. */
    readonly env?: Environment;
    /** `--project-directory`: where `.env` is, and what names the project when nothing else does (the first file's folder unless given). */
    readonly projectDirectory?: string;
    /** Where relative file names start (the current directory unless given). */
    readonly cwd?: string;
    /** `true`: the plugin, `false`: the built-in reader; unset: the plugin when `docker compose version` answers. */
    readonly usePlugin?: boolean;
    /** Profiles to enable (`--profile`); `COMPOSE_PROFILES` too. */
    readonly profiles?: readonly string[];
    /** The docker CLI to run the plugin with. */
    readonly docker?: string;
    /** The Docker whose networks the topology holds (default: the preview's default). */
    readonly semantics?: EngineSemantics;
}

export interface ComposeReading {
    readonly topology: Topology;
    readonly notJudged: readonly ComposeNotJudged[];
    /** The resolved project (the plugin's JSON, or the built-in reader's in the same shape). */
    readonly project: ComposeProject;
    /** Which reader resolved it. */
    readonly resolvedBy: "plugin" | "built-in";
}

/** The project of `files`, resolved and read into the topology; a file Compose refuses throws a `ComposeError`. */
export function readComposeProject(files: readonly string[], options: ComposeReadOptions = {}): ComposeReading {
    const cwd = options.cwd ?? process.cwd();
    const absolute = files.map((file) => path.resolve(cwd, file));
    const env = options.env ?? process.env;
    const profiles = [...(options.profiles ?? []), ...(env.COMPOSE_PROFILES ?? "").split(",").filter((profile) => profile !== "")];
    const usePlugin = options.usePlugin ?? composePluginAvailable(options.docker);
    let project: ComposeProject;
    if (usePlugin) {
        project = pluginProject(absolute, { projectName: options.projectName, projectDirectory: options.projectDirectory, profiles: options.profiles ?? [], env, cwd, docker: options.docker });
    } else {
        const folder = options.projectDirectory ?? (absolute.length > 0 ? path.dirname(absolute[0]) : undefined);
        const dotEnvFile = folder !== undefined ? path.join(folder, ".env") : undefined;
        const dotEnv = dotEnvFile && fs.existsSync(dotEnvFile) ? parseDotEnv(fs.readFileSync(dotEnvFile, "utf8"), env, dotEnvFile) : {};
        const merged: Record<string, string | undefined> = { ...dotEnv };
        for (const [key, value] of Object.entries(env)) if (value !== undefined) merged[key] = value;
        project = readProjectFiles(absolute, { projectName: options.projectName, env: merged, profiles, projectDirectory: options.projectDirectory });
    }
    const { topology, notJudged } = topologyFromCompose(project, options.semantics);
    return { topology, notJudged, project, resolvedBy: usePlugin ? "plugin" : "built-in" };
}
