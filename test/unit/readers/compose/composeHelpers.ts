/** The compose corpus (test/fixtures/compose) and how the specs read it. */
import * as path from "path";
import { ComposeReadOptions, ComposeReading, readComposeProject } from "../../../../readers/compose";
import { composePluginAvailable } from "../../../../readers/compose/composePlugin";
import { rules } from "../../../../policies/pack";
import { Topology } from "../../../../topology/model";

export const CORPUS = path.join(__dirname, "..", "..", "..", "fixtures", "compose");

export interface CorpusProject {
    readonly folder: string;
    readonly files: readonly string[];
    readonly options?: ComposeReadOptions;
}

/** Every project of the corpus that Compose accepts, with the files and options it is read with. */
export const PROJECTS: readonly CorpusProject[] = [
    { folder: "tutorial", files: ["compose.yaml"] },
    { folder: "isolated", files: ["compose.yaml"] },
    { folder: "modes", files: ["compose.yaml"] },
    { folder: "variables", files: ["compose.yaml"], options: { env: { PG_VERSION: "16" } } },
    { folder: "layered", files: ["compose.yaml", "compose.override.yaml"] },
    { folder: "layered", files: ["compose.yaml", "compose.override.yaml"], options: { profiles: ["admin"], projectName: "layers" } },
    { folder: "layered", files: ["compose.yaml"], options: { env: { COMPOSE_PROFILES: "debug,admin" } } },
    { folder: "drivers", files: ["compose.yaml"] },
];

/**
 * In the title of every test that needs the Compose plugin. The unit tier of
 * `npm test` leaves them out (it needs nothing installed); its compose tier
 * runs only them, once the plugin is built, and there a missing plugin fails.
 */
export const PLUGIN_TAG = "[compose plugin]";

let available: boolean | undefined;
/**
 * Skips the test when `docker compose` does not answer on this machine
 * (scripts/docker-compose.sh installs it), unless NETGUARD_REQUIRE_COMPOSE_PLUGIN
 * is set: then a missing plugin is a failure, never a skip.
 */
export function needsPlugin(test: Mocha.Context): void {
    if ((available ??= composePluginAvailable())) return;
    if (process.env.NETGUARD_REQUIRE_COMPOSE_PLUGIN) throw new Error("docker compose does not answer: install the plugin with scripts/docker-compose.sh install");
    test.skip();
}

/** A project read by the plugin or by the built-in reader, from an environment of its own (never the test runner's). */
export function readCorpus(project: CorpusProject, usePlugin: boolean, extra: ComposeReadOptions = {}): ComposeReading {
    return readComposeProject(project.files, { env: {}, ...project.options, ...extra, cwd: path.join(CORPUS, project.folder), usePlugin });
}

/** The pack's verdicts on a topology, as `rule subject`, sorted. */
export function verdicts(topology: Topology): string[] {
    return rules.flatMap((rule) => rule.check(topology, rule.readConfig({})).map((finding) => `${rule.name} ${finding.subject.name}`)).sort();
}
