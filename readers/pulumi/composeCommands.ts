/**
 * The Compose reader as the command-line reader asks for it: a project that
 * a Command's `docker compose` line names, read by `readComposeProject` (the
 * built-in reader, so that a preview and the CrossGuard analyzer judge alike
 * on every machine, plugin or not). Files the script wrote are read from a
 * private copy; the answer is kept per request, since every policy asks.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ComposeProjectNodes, ComposeProjectReader, ComposeRequest } from "../commandLine";
import { ComposeError, readComposeProject } from "../compose";

const answers = new Map<string, ComposeProjectNodes>();

/** What makes two requests the same: the request, and the size and time of each file read from disk. */
function requestKey(request: ComposeRequest): string {
    const stamps = request.files.map((file) => {
        if (file.text !== undefined) return null;
        const stat = fs.statSync(file.path, { throwIfNoEntry: false });
        return stat ? [stat.size, stat.mtimeMs] : null;
    });
    return JSON.stringify([request, stamps]);
}

/** `depends_on` in its short (list) or long (map) syntax. */
function dependencies(value: unknown): string[] {
    if (Array.isArray(value)) return value.map(String);
    return value !== null && typeof value === "object" ? Object.keys(value) : [];
}

function readRequest(request: ComposeRequest): ComposeProjectNodes {
    const written = request.files.filter((file) => file.text !== undefined);
    // Files the script wrote live in a private folder, each under its own name; the rest are read where they are.
    const copy = written.length > 0 ? fs.mkdtempSync(path.join(os.tmpdir(), "netguard-compose-")) : undefined;
    const paths = request.files.map((file, index) => (file.text === undefined || copy === undefined ? file.path : path.join(copy, String(index), path.basename(file.path))));
    try {
        request.files.forEach((file, index) => {
            if (file.text === undefined) return;
            fs.mkdirSync(path.dirname(paths[index]), { recursive: true });
            fs.writeFileSync(paths[index], file.text);
        });
        const reading = readComposeProject(paths, {
            projectName: request.projectName,
            projectDirectory: request.projectDirectory,
            env: request.env,
            profiles: request.profiles,
            semantics: request.semantics,
            usePlugin: false,
        });
        const project = reading.project;
        const networks = project.networks ?? {};
        return {
            project: project.name,
            networks: reading.topology.networks,
            containers: reading.topology.containers,
            external: Object.entries(networks)
                .filter(([, network]) => network.external === true)
                .map(([key, network]) => network.name ?? key),
            dependsOn: Object.fromEntries(Object.entries(project.services).map(([name, service]) => [name, dependencies(service.depends_on)])),
            notJudged: reading.notJudged.map((entry) => `${entry.key}: ${entry.reason}`),
        };
    } catch (err) {
        // Compose's reason names the files as the script does, not their private copies.
        if (err instanceof ComposeError) return { error: paths.reduce((message, place, index) => message.split(place).join(request.files[index].path), err.message) };
        throw err;
    } finally {
        if (copy !== undefined) fs.rmSync(copy, { recursive: true, force: true });
    }
}

/** The Compose reader for compose lines in scripts. */
export const readComposeRequest: ComposeProjectReader = (request) => {
    const key = requestKey(request);
    if (!answers.has(key)) answers.set(key, readRequest(request));
    return answers.get(key)!;
};
