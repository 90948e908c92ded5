/**
 * The Compose plugin resolves the project when it is there:
 * `docker compose -f a.yaml [-f b.yaml] [--project-name N] [--profile P]
 * config --format json` (no engine needed). Compose turns a variable with no
 * value into an empty string after a warning; the reader runs it again with
 * those variables set to {@link unknownValue}, so that they stay unknown.
 */
import { spawnSync } from "child_process";
import { ComposeError, ComposeProject, unknownValue } from "./composeProject";
import { Environment } from "./interpolation";

export interface PluginOptions {
    readonly projectName?: string;
    readonly projectDirectory?: string;
    readonly profiles: readonly string[];
    /** The environment Compose interpolates with (it reads the `.env` file itself). */
    readonly env: Environment;
    readonly cwd: string;
    /** The docker CLI; `docker` on the PATH unless given. */
    readonly docker?: string;
}

interface Run {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
    readonly error?: Error;
}

function run(files: readonly string[], options: PluginOptions, extraEnv: Record<string, string>): Run {
    const args = ["compose", ...files.flatMap((file) => ["-f", file])];
    if (options.projectName !== undefined) args.push("--project-name", options.projectName);
    if (options.projectDirectory !== undefined) args.push("--project-directory", options.projectDirectory);
    for (const profile of options.profiles) args.push("--profile", profile);
    args.push("config", "--format", "json");
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(options.env)) if (value !== undefined) env[key] = value;
    // The CLI needs its own variables to find the plugin; they are no project variables.
    for (const key of ["PATH", "HOME", "DOCKER_CONFIG"]) if (env[key] === undefined && process.env[key] !== undefined) env[key] = process.env[key]!;
    const result = spawnSync(options.docker ?? "docker", args, { cwd: options.cwd, env: { ...env, ...extraEnv }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    return { status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "", error: result.error };
}

/** True when `docker compose version` answers. */
export function composePluginAvailable(docker = "docker"): boolean {
    const result = spawnSync(docker, ["compose", "version", "--short"], { encoding: "utf8", timeout: 20000 });
    return result.status === 0;
}

/** Compose's reason, without its log decoration (`time=… level=… msg=…`). */
function reasonOf(stderr: string): string {
    const lines = stderr
        .split(/\r?\n/)
        .filter((line) => line.trim() !== "" && !/level=warning/.test(line))
        .map((line) => /msg="((?:[^"\\]|\\.)*)"/.exec(line)?.[1]?.replace(/\\"/g, '"') ?? line.trim());
    return lines.join("\n") || "docker compose config failed";
}

/** The variables Compose warned about: `The "X" variable is not set. Defaulting to a blank string.` */
function unsetVariables(stderr: string): string[] {
    return [...new Set([...stderr.matchAll(/The \\?"([A-Za-z_][A-Za-z0-9_]*)\\?" variable is not set/g)].map((match) => match[1]))];
}

/** The file and key a Compose reason names, when it names them (`validating FILE: KEY …`). */
function placeOf(reason: string): { file?: string; key?: string } {
    const validating = /validating ([^:]+): (\S*)/.exec(reason);
    if (validating) return { file: validating[1], key: validating[2] || undefined };
    const interpolating = /error while interpolating (\S+?):/.exec(reason);
    return interpolating ? { key: interpolating[1] } : {};
}

/** `config` prints a dollar as `$$` (its output is a Compose file again): the values themselves have one. */
function unescapeDollars(value: unknown): unknown {
    if (typeof value === "string") return value.replace(/\$\$/g, "$");
    if (Array.isArray(value)) return value.map(unescapeDollars);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unescapeDollars(item)]));
    return value;
}

/** The project as the plugin resolves it; a file Compose refuses throws a {@link ComposeError} with Compose's reason. */
export function pluginProject(files: readonly string[], options: PluginOptions): ComposeProject {
    let result = run(files, options, {});
    if (result.error) throw new ComposeError(`docker compose could not be run: ${result.error.message}`);
    const unset = result.status === 0 ? unsetVariables(result.stderr) : [];
    if (unset.length > 0) {
        result = run(files, options, Object.fromEntries(unset.map((name) => [name, unknownValue(name)])));
        if (result.status !== 0) {
            const reason = reasonOf(result.stderr);
            throw new ComposeError(
                `${files.join(", ")}: variables without value (${unset.join(", ")}) where Compose needs one (netguard does not guess them): ${reason}`,
                placeOf(reason).file ?? (files.length === 1 ? files[0] : undefined),
                placeOf(reason).key,
            );
        }
    }
    if (result.status !== 0) {
        const reason = reasonOf(result.stderr);
        const place = placeOf(reason);
        // Some reasons name no file (`invalid IP address: 80:80`): say which files Compose refused.
        const named = files.some((file) => reason.includes(file));
        throw new ComposeError(named ? reason : `${files.join(", ")}: ${reason}`, place.file ?? (files.length === 1 ? files[0] : undefined), place.key);
    }
    try {
        return unescapeDollars(JSON.parse(result.stdout)) as ComposeProject;
    } catch (error) {
        throw new ComposeError(`docker compose config printed no JSON: ${(error as Error).message}`);
    }
}
