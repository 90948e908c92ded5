/**
 * `docker compose` lines in Command scripts: the project they name is read
 * through the Compose reader and joins the topology with Docker's names;
 * what cannot be found is listed as not judged, naming the file.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readResources } from "../../../../readers/pulumi/fromPulumi";
import { spawnSync } from "child_process";
import { REPO_ROOT } from "../../../helpers/netguardCli";
import { PLUGIN_TAG, needsPlugin } from "../compose/composeHelpers";

const LOCAL = "command:local:Command";
const REMOTE = "command:remote:Command";
const FIXTURE = path.join(REPO_ROOT, "test", "fixtures", "compose-command");

function read(create: string, props: Record<string, unknown> = {}, type = LOCAL, more: Record<string, string> = {}) {
    const resource = { type, urn: `urn:pulumi:dev::p::${type}::setup`, name: "setup", props: { create, ...more, ...props } };
    return readResources([resource]);
}

const names = (reading: ReturnType<typeof read>) => ({
    networks: reading.topology.networks.map((n) => n.name).sort(),
    containers: reading.topology.containers.map((c) => c.name).sort(),
});

const SHOP = `services:
  web:
    image: nginx
    links: [db]
    networks: [front, back]
  db:
    image: postgres
    networks: [back]
networks:
  front: {}
  back:
    ipam:
      config: [{ subnet: 10.40.0.0/24, gateway: 10.40.0.1 }]
`;

describe("docker compose lines in Command scripts", () => {
    it("reads a compose file the script writes in a heredoc, with Docker's names", () => {
        const reading = read(`cat > compose.yaml <<'EOF'\n${SHOP}EOF\ndocker compose -p shop -f compose.yaml up -d\n`);
        assert.deepStrictEqual(names(reading), { networks: ["shop_back", "shop_front"], containers: ["shop-db-1", "shop-web-1"] });
        assert.deepStrictEqual(reading.notJudged, []);
        const web = reading.topology.containers.find((c) => c.name === "shop-web-1")!;
        assert.deepStrictEqual(web.links, [{ target: "shop-db-1", alias: "db" }, ...["db-1", "shop-db-1"].map((alias) => ({ target: "shop-db-1", alias, composeAdded: true }))]);
        assert.strictEqual(web.resource, "urn:pulumi:dev::p::command:local:Command::setup", "reported on the Command");
        assert.deepStrictEqual(web.compose, { project: "shop", key: "services.web" });
        const back = reading.topology.networks.find((n) => n.name === "shop_back")!;
        assert.deepStrictEqual(back.ipam.map((b) => b.subnet), ["10.40.0.0/24"]);
        assert.ok(web.attachments.every((a) => a.network?.endsWith(`#compose:${a.reference as string}`)), JSON.stringify(web.attachments));
    });

    it("reads the project from -f - and its heredoc, named after the working folder", () => {
        const reading = read(`docker compose -f - up -d <<'EOF'\n${SHOP}EOF\n`, { dir: FIXTURE });
        assert.deepStrictEqual(names(reading).containers, ["compose-command-db-1", "compose-command-web-1"]);
    });

    it("expands an unquoted heredoc with the script's variables, and does not guess unknown ones", () => {
        const script = (subnet: string) => `${subnet}\ncat > c.yaml <<EOF\nservices:\n  a: { image: x, networks: [n] }\nnetworks:\n  n:\n    ipam: { config: [{ subnet: $SUBNET }] }\nEOF\ndocker compose -p p -f c.yaml up\n`;
        const known = read(script("SUBNET=10.41.0.0/24"));
        assert.deepStrictEqual(known.topology.networks.map((n) => n.ipam[0]?.subnet), ["10.41.0.0/24"]);
        const unknown = read(script("SUBNET=$(pick)"));
        assert.deepStrictEqual(unknown.topology.networks, []);
        assert.match(unknown.notJudged.map((e) => e.reason).join("\n"), /c\.yaml cannot be read: the script writes .*c\.yaml with text that is unknown/);
    });

    it("reads compose.yaml in the program's folder (or the Command's dir) by its default name", () => {
        const reading = read("docker compose up -d", { dir: FIXTURE });
        assert.deepStrictEqual(names(reading), { networks: ["compose-command_default"], containers: ["compose-command-db-1", "compose-command-web-1"] });
        const named = read("cd test/fixtures/compose-command && docker compose -p shop up -d");
        assert.deepStrictEqual(names(named).containers, ["shop-db-1", "shop-web-1"], "relative to the program's folder, after cd");
    });

    it("lists a line whose file cannot be found as not judged, naming the file, and adds nothing", () => {
        const reading = read("docker compose -f missing.yaml up -d", { dir: FIXTURE });
        assert.deepStrictEqual(names(reading), { networks: [], containers: [] });
        assert.strictEqual(reading.notJudged.length, 1);
        assert.match(reading.notJudged[0].reason, /the Compose file missing\.yaml cannot be read: .*missing\.yaml is not in the program's folder/);
        assert.strictEqual(reading.notJudged[0].excerpt, "docker compose -f missing.yaml up -d");
        const unknownFile = read("docker compose -f $FILE up");
        assert.match(unknownFile.notJudged[0].reason, /a Compose file \(-f\) is unknown \(\$FILE\)/);
        const outside = read("docker compose -f /etc/compose.yaml up");
        assert.match(outside.notJudged[0].reason, /outside the program's folder/);
    });

    it("does not read files on a remote Command's host, but reads what its script writes", () => {
        const remote = read("docker compose -f /srv/compose.yaml up -d", {}, REMOTE);
        assert.deepStrictEqual(names(remote).containers, []);
        assert.match(remote.notJudged[0].reason, /\/srv\/compose\.yaml is on the remote host/);
        const written = read(`cat > /srv/compose.yaml <<'EOF'\n${SHOP}EOF\ndocker compose -p shop -f /srv/compose.yaml up -d\n`, {}, REMOTE);
        assert.deepStrictEqual(names(written).containers, ["shop-db-1", "shop-web-1"]);
    });

    it("puts a project on the engine its line targets: a remote Command's host, or -H; never merged with the local engine's", () => {
        const write = `cat > /srv/compose.yaml <<'EOF'\n${SHOP}EOF\n`;
        const remote = read(`${write}docker compose -p shop -f /srv/compose.yaml up -d\n`, { connection: { host: "db1.example", user: "ops" } }, REMOTE);
        assert.deepStrictEqual(remote.topology.containers.map((c) => [c.name, c.engineHost]).sort(), [["shop-db-1", "db1.example"], ["shop-web-1", "db1.example"]]);
        assert.ok(remote.topology.networks.filter((n) => !n.defaultBridge).every((n) => n.engineHost === "db1.example"));
        // The same project locally and on another engine: two projects, each where it runs (the local one would refuse the second otherwise).
        const both = read(`cat > compose.yaml <<'EOF'\n${SHOP}EOF\ndocker compose -p shop up -d\ndocker -H tcp://10.9.0.5:2376 compose -p shop up -d\n`);
        assert.deepStrictEqual(both.topology.containers.map((c) => `${c.name}@${c.engineHost ?? "local"}`).sort(), ["shop-db-1@10.9.0.5:2376", "shop-db-1@local", "shop-web-1@10.9.0.5:2376", "shop-web-1@local"]);
        assert.deepStrictEqual(both.notJudged, []);
    });

    it("reads the script as a sequence in time: down after up takes the project out, up again brings it back", () => {
        const write = `cat > compose.yaml <<'EOF'\n${SHOP}EOF\n`;
        assert.deepStrictEqual(names(read(`${write}docker compose -p shop up -d\ndocker compose -p shop down\n`)), { networks: [], containers: [] });
        assert.deepStrictEqual(names(read(`${write}docker compose -p shop up -d\ndocker compose -p shop stop\n`)).containers, []);
        assert.deepStrictEqual(names(read(`${write}docker compose -p shop up -d\ndocker compose -p shop down\ndocker compose -p shop up -d\n`)).containers, ["shop-db-1", "shop-web-1"]);
        // config, ps, logs, pull and build change nothing.
        assert.deepStrictEqual(names(read(`${write}docker compose -p shop config\ndocker compose -p shop ps\ndocker compose -p shop pull\ndocker compose --dry-run -p shop up\n`)).containers, []);
        // A down in the delete script tears down: it says nothing about the running stack.
        assert.deepStrictEqual(names(read(`${write}docker compose -p shop up -d\n`, {}, LOCAL, { delete: "docker compose -p shop down" })).containers, ["shop-db-1", "shop-web-1"]);
    });

    it("brings up only the services named, and those they depend on", () => {
        const file = `cat > compose.yaml <<'EOF'\nservices:\n  web: { image: x, depends_on: [api] }\n  api: { image: x }\n  batch: { image: x, networks: [jobs] }\nnetworks:\n  jobs: {}\nEOF\n`;
        const reading = read(`${file}docker compose -p s up -d web\n`);
        assert.deepStrictEqual(names(reading), { networks: ["s_default"], containers: ["s-api-1", "s-web-1"] });
    });

    it("takes the project name from -p, else an exported COMPOSE_PROJECT_NAME, else the folder; COMPOSE_FILE names the files", () => {
        const write = `cat > app.yaml <<'EOF'\nservices:\n  web: { image: x }\nEOF\n`;
        const containers = (script: string) => names(read(write + script, { dir: FIXTURE })).containers;
        assert.deepStrictEqual(containers("export COMPOSE_PROJECT_NAME=env\ndocker compose -f app.yaml up -d"), ["env-web-1"]);
        assert.deepStrictEqual(containers("export COMPOSE_PROJECT_NAME=env\ndocker compose -p flag -f app.yaml up -d"), ["flag-web-1"]);
        assert.deepStrictEqual(containers("COMPOSE_PROJECT_NAME=one docker compose -f app.yaml up -d"), ["one-web-1"]);
        // Not exported: docker compose does not see it.
        assert.deepStrictEqual(containers("COMPOSE_PROJECT_NAME=unseen\ndocker compose -f app.yaml up -d"), ["compose-command-web-1"]);
        assert.deepStrictEqual(containers("export COMPOSE_FILE=app.yaml\ndocker compose -p f up -d"), ["f-web-1"]);
        assert.deepStrictEqual(containers("docker-compose --project-name legacy -f app.yaml up -d"), ["legacy-web-1"]);
        const unknownName = read(`${write}docker compose -p "$NAME" -f app.yaml up`, { dir: FIXTURE });
        assert.match(unknownName.notJudged[0].reason, /the project name \(-p\) is unknown/);
    });

    it("names a project by --project-directory, where the default file is looked for", () => {
        const dir = fs.mkdtempSync(path.join(REPO_ROOT, ".tmp-compose-"));
        try {
            fs.mkdirSync(path.join(dir, "deploy"));
            fs.writeFileSync(path.join(dir, "deploy", "compose.yaml"), "services:\n  web: { image: x }\n");
            const reading = read("docker compose --project-directory deploy up -d", { dir });
            assert.deepStrictEqual(names(reading).containers, ["deploy-web-1"]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
        assert.ok(os.tmpdir());
    });

    describe(`${PLUGIN_TAG} names projects as the Compose plugin does`, () => {
        beforeEach(function () {
            needsPlugin(this);
        });

        it("agrees on -p, --project-directory, COMPOSE_PROJECT_NAME, COMPOSE_FILE, name: and the folder", () => {
            const dir = fs.mkdtempSync(path.join(REPO_ROOT, ".tmp-compose-"));
            try {
                fs.mkdirSync(path.join(dir, "deploy"));
                fs.writeFileSync(path.join(dir, "compose.yaml"), "services:\n  web: { image: x }\n");
                fs.writeFileSync(path.join(dir, "named.yaml"), "name: fromfile\nservices:\n  web: { image: x }\n");
                fs.writeFileSync(path.join(dir, "deploy", "compose.yaml"), "services:\n  api: { image: x }\n");
                const cases: [string, Record<string, string>][] = [
                    ["", {}],
                    ["-p flag", {}],
                    ["--project-directory deploy", {}],
                    ["-f named.yaml", {}],
                    ["-f named.yaml", { COMPOSE_PROJECT_NAME: "fromenv" }],
                    ["-p flag -f named.yaml", { COMPOSE_PROJECT_NAME: "fromenv" }],
                    ["", { COMPOSE_FILE: "deploy/compose.yaml" }],
                ];
                for (const [args, env] of cases) {
                    const exports = Object.entries(env).map(([name, value]) => `export ${name}=${value}\n`).join("");
                    const ours = names(read(`${exports}docker compose ${args} up -d`, { dir })).containers;
                    const plugin = spawnSync("docker", ["compose", ...args.split(" ").filter((a) => a !== ""), "config", "--format", "json"], {
                        cwd: dir,
                        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
                        encoding: "utf8",
                    });
                    assert.strictEqual(plugin.status, 0, plugin.stderr);
                    const project = JSON.parse(plugin.stdout) as { name: string; services: Record<string, unknown> };
                    assert.deepStrictEqual(ours, Object.keys(project.services).map((service) => `${project.name}-${service}-1`).sort(), `docker compose ${args} ${JSON.stringify(env)}`);
                }
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });
});
