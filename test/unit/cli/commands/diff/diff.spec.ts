import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { diff } from "../../../../../cli/commands/diff/command";
import { diffPreviews } from "../../../../../cli/commands/diff/diffPreviews";
import { UserError } from "../../../../../cli/errors";
import { PreviewDocument } from "../../../../../document/previewDocument";
import { container, documentOf, network, violation } from "../../../../helpers/previewFixtures";
import { mermaidBlocks, tableCells, tables } from "../../../../helpers/markdownInspect";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..", "..", "..");

/** Base: net `app` (web, api) and net `data` (db, cache, queue). */
function base(): PreviewDocument {
    return documentOf(
        [network("app", { subnet: "10.50.1.0/24", gateway: "10.50.1.1" }), network("data", { subnet: "10.50.2.0/24", gateway: "10.50.2.1", internal: true })],
        [container("web", ["app"]), container("api", ["app"]), container("db", ["data"]), container("cache", ["data"]), container("queue", ["data"])],
    );
}

const tempDirs: string[] = [];
after(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** Writes documents to a fresh folder (removed after the suite); returns their paths. */
function writeDocuments(documents: Record<string, PreviewDocument | string>): Record<string, string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-diff-"));
    tempDirs.push(dir);
    return Object.fromEntries(
        Object.entries(documents).map(([name, doc]) => {
            const file = path.join(dir, `${name}.json`);
            fs.writeFileSync(file, typeof doc === "string" ? doc : JSON.stringify(doc));
            return [name, file];
        }),
    );
}

function netguard(args: string[]) {
    const result = spawnSync(process.execPath, [path.join(REPO_ROOT, "bin", "netguard.js"), ...args], { cwd: REPO_ROOT, encoding: "utf8", timeout: 120_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("cli/diff: comparing two previews", () => {
    it("reports nothing between a document and itself", () => {
        const result = diffPreviews(base(), base());
        assert.deepStrictEqual(result, {
            reachability: { added: [], removed: [] },
            networks: { added: [], removed: [], changed: [] },
            containers: { added: [], removed: [], changed: [] },
            violations: { added: [], removed: [] },
        });
        assert.match(diff(...Object.values(writeDocuments({ a: base(), b: base() })) as [string, string], "markdown").output, /No change in reachability/);
    });

    it("lists the pairs a new dual-homed container adds, and removes none", () => {
        const head = base();
        head.containers.push(container("gateway", ["app", "data"], { dualHomed: true }));
        const after = documentOf(head.networks, head.containers);
        const result = diffPreviews(base(), after);
        assert.deepStrictEqual(result.reachability.removed, []);
        const added = result.reachability.added.map((pair) => `${pair.from}>${pair.to}@${pair.networks.join(",")}`).sort();
        const expected = ["web", "api"].flatMap((m) => [`gateway>${m}@app`, `${m}>gateway@app`]).concat(["db", "cache", "queue"].flatMap((m) => [`gateway>${m}@data`, `${m}>gateway@data`]));
        assert.deepStrictEqual(added, expected.sort());
    });

    it("lists pairs that are gone", () => {
        const head = documentOf(base().networks, base().containers.filter((c) => c.name !== "queue"));
        const result = diffPreviews(base(), head);
        assert.deepStrictEqual(result.reachability.added, []);
        assert.deepStrictEqual(
            result.reachability.removed.map((pair) => `${pair.from}>${pair.to}`).sort(),
            ["cache>queue", "db>queue", "queue>cache", "queue>db"],
        );
    });

    it("shows a pair that now goes another way as removed and added in JSON, and as changed for people", () => {
        const head = base();
        head.reachability = head.reachability.map((pair) => (pair.from === "web" && pair.to === "api" ? { ...pair, byName: false } : pair));
        const result = diffPreviews(base(), head);
        assert.deepStrictEqual(result.reachability.added, [{ from: "web", to: "api", networks: ["app"], byName: false }]);
        assert.deepStrictEqual(result.reachability.removed, [{ from: "web", to: "api", networks: ["app"], byName: true }]);
        const files = writeDocuments({ base: base(), head });
        const text = diff(files.base, files.head, "text").output;
        assert.match(text, /Reachability \(\+0 -0 ~1 pairs\)/);
        assert.match(text, /~ web -> api via app \(by name\) {2}=> {2}web -> api via app \(by IP only\)/);
        assert.match(diff(files.base, files.head, "markdown").output, /### Reachable another way \(1 pair\)/);
    });

    it("lists networks added and removed", () => {
        const head = base();
        head.networks = head.networks.filter((n) => n.name !== "app").concat(network("metrics", { subnet: "10.50.3.0/24" }));
        head.containers = head.containers.filter((c) => !["web", "api"].includes(c.name));
        const result = diffPreviews(base(), documentOf(head.networks, head.containers));
        assert.deepStrictEqual(result.networks.added.map((n) => n.name), ["metrics"]);
        assert.deepStrictEqual(result.networks.removed.map((n) => n.name), ["app"]);
        assert.deepStrictEqual(result.networks.changed, []);
    });

    it("flags a subnet change as replacing the network and every existing container on it", () => {
        const head = base();
        head.networks[1] = { ...head.networks[1], subnet: "10.50.9.0/24", gateway: "10.50.9.1" };
        head.containers.push(container("newcomer", ["data"]));
        const after = documentOf(head.networks, head.containers);
        const [change] = diffPreviews(base(), after).networks.changed;
        assert.strictEqual(change.name, "data");
        assert.deepStrictEqual(change.fields, ["subnet", "gateway"]);
        assert.strictEqual(change.replaces, true);
        assert.deepStrictEqual(change.replacedContainers, ["db", "cache", "queue"]);
        assert.strictEqual(change.before.subnet, "10.50.2.0/24");
        assert.strictEqual(change.after.subnet, "10.50.9.0/24");

        const files = writeDocuments({ base: base(), head: after });
        const markdown = diff(files.base, files.head, "markdown").output;
        assert.match(markdown, /> \[!WARNING\]/);
        assert.match(markdown, /Network `data` \(subnet `10\.50\.2\.0\/24` → `10\.50\.9\.0\/24`, gateway `10\.50\.2\.1` → `10\.50\.9\.1`\) is \*\*replaced\*\*, and with it 3 existing containers: `db`, `cache`, `queue`\./);
        assert.match(diff(files.base, files.head, "text").output, /! replaced: network data and every existing container on it are destroyed and created again \(3\): db, cache, queue/);
    });

    it("flags a gateway change alone as a replacement too, and every other network field (the provider updates none in place)", () => {
        const gatewayOnly = base();
        gatewayOnly.networks[0] = { ...gatewayOnly.networks[0], gateway: "10.50.1.254" };
        const [gatewayChange] = diffPreviews(base(), gatewayOnly).networks.changed;
        assert.deepStrictEqual([gatewayChange.fields, gatewayChange.replaces, gatewayChange.replacedContainers], [["gateway"], true, ["web", "api"]]);

        const edits: [string, Partial<PreviewDocument["networks"][number]>][] = [
            ["internal", { internal: true }],
            ["interContainer", { interContainer: false }],
            ["driver", { driver: "macvlan" }],
            ["ipRange", { ipRange: "10.50.1.128/25" }],
            ["dockerName", { dockerName: "renamed" }],
        ];
        for (const [field, edit] of edits) {
            const head = base();
            head.networks[0] = { ...head.networks[0], ...edit };
            const [change] = diffPreviews(base(), head).networks.changed;
            assert.deepStrictEqual([change.fields, change.replaces, change.replacedContainers], [[field], true, ["web", "api"]], field);
        }
        const flagOnly = base();
        flagOnly.networks[0] = { ...flagOnly.networks[0], internal: true };
        const files = writeDocuments({ base: base(), head: flagOnly });
        const markdown = diff(files.base, files.head, "markdown").output;
        assert.match(markdown, /> \[!WARNING\]/);
        assert.match(markdown, /Network `app` \(internal `no` → `yes`\) is \*\*replaced\*\*, and with it 2 existing containers: `web`, `api`\./);
        assert.match(markdown, /\| ⚠️ replaced \| `app` \| internal `no` → `yes` \|/);
    });

    it("reports a moved static address and a new alias as a replaced container, never as no change", () => {
        const moved = base();
        moved.containers[0] = container("web", ["app"], { attachments: [{ network: "app", aliases: ["web", "www"], ipv4Address: "10.50.1.20" }] });
        const before = base();
        before.containers[0] = container("web", ["app"], { attachments: [{ network: "app", aliases: ["web"], ipv4Address: "10.50.1.10" }] });
        const result = diffPreviews(before, moved);
        assert.deepStrictEqual(result.containers.added, []);
        assert.deepStrictEqual(result.containers.removed, []);
        assert.strictEqual(result.containers.changed.length, 1);
        const [change] = result.containers.changed;
        assert.deepStrictEqual([change.name, change.fields, change.replaces], ["web", ["aliases", "ipv4Address"], true]);
        assert.strictEqual(change.before.attachments[0].ipv4Address, "10.50.1.10");
        assert.strictEqual(change.after.attachments[0].ipv4Address, "10.50.1.20");

        const files = writeDocuments({ base: before, head: moved });
        const markdown = diff(files.base, files.head, "markdown").output;
        assert.doesNotMatch(markdown, /No change/);
        assert.match(markdown, /> Container `web` \(aliases `app: web` → `app: web, www`; static address `app: 10\.50\.1\.10` → `app: 10\.50\.1\.20`\) is \*\*replaced\*\*\./);
        assert.match(markdown, /### Changed containers/);
        const text = diff(files.base, files.head, "text").output;
        assert.match(text, /Containers \(\+0 -0 ~1\)/);
        assert.match(text, /~ web: aliases app: web -> app: web, www; static address app: 10\.50\.1\.10 -> app: 10\.50\.1\.20/);
        assert.match(text, /! replaced: the provider destroys container web and creates it again/);
    });

    it("reports a newly published port as a replacing container change", () => {
        const head = base();
        head.containers[0] = { ...head.containers[0], ports: [{ internal: 80, external: 8080, ip: "0.0.0.0", protocol: "tcp" }] };
        const [change] = diffPreviews(base(), head).containers.changed;
        assert.deepStrictEqual([change.fields, change.replaces], [["ports"], true]);
        const files = writeDocuments({ base: base(), head });
        assert.doesNotMatch(diff(files.base, files.head, "markdown").output, /No change/);
    });

    it("shows new exposure first: a port newly published on every host interface, before anything else", () => {
        const head = base();
        head.containers[0] = { ...head.containers[0], ports: [{ internal: 5432, external: 5432, ip: "127.0.0.1", protocol: "tcp" }, { internal: 80, external: 8080, ip: null, protocol: "tcp" }] };
        head.containers.push(container("admin", ["app"], { ports: [{ internal: 9000, external: 9000, ip: "::", protocol: "tcp" }] }));
        const files = writeDocuments({ base: base(), head: documentOf(head.networks, head.containers) });
        const markdown = diff(files.base, files.head, "markdown").output;
        assert.match(
            markdown,
            /\n> \[!WARNING\]\n> This change publishes \*\*2 ports on every host interface\*\*: reachable from any network the host is on\.\n> - `admin` publishes `:::9000->9000\/tcp` on \*\*every host interface\*\*\n> - `web` publishes `\*:8080->80\/tcp` on \*\*every host interface\*\*\n> - `web` publishes `127\.0\.0\.1:5432->5432\/tcp`\n/,
        );
        assert.match(markdown, /^## netguard diff\n\n\*\*Verdict: passes\.\*\* This change adds no mandatory policy violation\.\n\n### First, for the reviewer\n\n(- .*\n)*- 🌐 \*\*3 newly published ports\*\*, 2 on every host interface \(below\)\n\n> \[!WARNING\]/);
        const text = diff(files.base, files.head, "text").output;
        const [header, exposure] = text.split("\n\n");
        assert.match(header, /^netguard diff /);
        assert.strictEqual(exposure, "New exposure on the host (3 published ports):\n  ! admin publishes :::9000->9000/tcp on every host interface\n  ! web publishes *:8080->80/tcp on every host interface\n  + web publishes 127.0.0.1:5432->5432/tcp");
    });

    it("does not call a change of the dual-homed declaration a replacement (no provider argument changes)", () => {
        const head = base();
        head.containers[0] = { ...head.containers[0], dualHomed: true };
        const [change] = diffPreviews(base(), head).containers.changed;
        assert.deepStrictEqual([change.fields, change.replaces], [["dualHomed"], false]);
    });

    it("lists violations added and removed, and a level change as both", () => {
        const before = { ...base(), violations: [violation("docker-network-private-range", "advisory", "app"), violation("docker-no-legacy-links", "mandatory", "web")] };
        const after = { ...base(), violations: [violation("docker-network-private-range", "mandatory", "app"), violation("docker-no-default-bridge", "mandatory", "api")] };
        const result = diffPreviews(before, after);
        assert.deepStrictEqual(
            result.violations.added.map((v) => `${v.level} ${v.policy}`),
            ["mandatory docker-network-private-range", "mandatory docker-no-default-bridge"],
        );
        assert.deepStrictEqual(
            result.violations.removed.map((v) => `${v.level} ${v.policy}`),
            ["advisory docker-network-private-range", "mandatory docker-no-legacy-links"],
        );
    });

    it("prints exactly the documented JSON keys", () => {
        const files = writeDocuments({ base: base(), head: base() });
        const json = JSON.parse(diff(files.base, files.head, "json").output);
        assert.deepStrictEqual(Object.keys(json), ["reachability", "networks", "containers", "violations"]);
        assert.deepStrictEqual(Object.keys(json.containers), ["added", "removed", "changed"]);
        assert.deepStrictEqual(Object.keys(json.reachability), ["added", "removed"]);
        assert.deepStrictEqual(Object.keys(json.networks), ["added", "removed", "changed"]);
        assert.deepStrictEqual(Object.keys(json.violations), ["added", "removed"]);
    });
});

describe("cli/diff: markdown for a pull request", () => {
    it("names new containers and pairs, with a summary table first", () => {
        const head = base();
        head.containers.push(container("gateway", ["app", "data"], { dualHomed: true }));
        const files = writeDocuments({ base: base(), head: documentOf(head.networks, head.containers) });
        const markdown = diff(files.base, files.head, "markdown").output;
        assert.match(markdown, /^## netguard diff\n/);
        assert.match(markdown, /### New containers\n\n- `gateway` \(dual-homed, on `app`, `data`\): reaches 5 containers, reachable from 5 containers/);
        assert.match(markdown, /### Newly reachable \(10 pairs\)/);
        assert.match(markdown, /\| `db` \| `gateway` \| `data` \| by name, both ways \|/);
        assert.doesNotMatch(markdown, /\| `gateway` \| `db` \|/, "a symmetric pair is one row");
        assert.match(markdown, /- 🌉 \*\*1 new bridge between networks\*\*:\n {2}- `gateway` joins `app` and `data` \(declared dual-homed\)/);
        const [summary] = tables(markdown);
        assert.deepStrictEqual(tableCells(summary[2]).map((c) => c.trim()), ["Reachable pairs", "10", "0", "0"]);
        assert.deepStrictEqual(tableCells(summary[3]).map((c) => c.trim()), ["Containers", "1", "0", "0"]);
    });

    it("names new paths to deny-listed targets first, two hops through a container on several networks included", () => {
        const before = documentOf(
            [network("app", { subnet: "10.50.1.0/24" }), network("data", { subnet: "10.50.2.0/24" })],
            [container("web", ["app"]), container("api", ["app"]), container("db", ["data"]), container("vault", ["data"])],
        );
        const after = documentOf(before.networks, [...before.containers, container("gw", ["app", "data"], { dualHomed: true })]);
        const files = writeDocuments({
            base: before,
            head: after,
            config: { "docker-forbidden-flows": { enforcementLevel: "advisory", deny: [{ from: "web", to: "vault" }, { from: "gw", to: "vault" }] } } as unknown as PreviewDocument,
        });
        const markdown = diff(files.base, files.head, "markdown", files.config).output;
        assert.match(
            markdown,
            /### First, for the reviewer\n\n- 🎯 \*\*2 new paths to a target the deny list names\*\*:\n {2}- `web` → `gw` → `vault` \(two hops, through a container on several networks\): denied by `from web to vault`\n {2}- `gw` → `vault`: denied by `from gw to vault`\n- 🌉 \*\*1 new bridge between networks\*\*/,
        );
        assert.match(diff(files.base, files.head, "text", files.config).output, /New paths to targets the deny list names \(2\):\n {2}! web -> gw -> vault \(denied by from web to vault\)/);
        // Without a config nothing is sensitive; the same path in the base is not new.
        assert.doesNotMatch(diff(files.base, files.head, "markdown").output, /🎯/);
        assert.doesNotMatch(diff(files.head, files.head, "markdown", files.config).output, /🎯/);
    });

    it("draws only what the change touches, new containers green and changed ones amber", () => {
        const head = base();
        head.containers[0] = { ...head.containers[0], ports: [{ internal: 80, external: 8080, ip: "127.0.0.1", protocol: "tcp" }] };
        head.containers.push(container("gateway", ["app", "data"], { dualHomed: true }));
        const files = writeDocuments({ base: base(), head: documentOf(head.networks, head.containers) });
        const markdown = diff(files.base, files.head, "markdown").output;
        assert.match(markdown, /### The change\n\n```mermaid\n/);
        const [picture] = mermaidBlocks(markdown);
        assert.match(picture, /subgraph net_app /);
        assert.match(picture, /subgraph net_data \["data<br\/>10\.50\.2\.0\/24, internal"\]\n\s+empty_data\["no new or changed single-homed member"\]/);
        assert.match(picture, /ctr_web\["web"\]/);
        assert.doesNotMatch(picture, /ctr_api|ctr_db|ctr_cache/, "untouched containers are left out");
        assert.match(picture, /class ctr_gateway added/);
        assert.match(picture, /class ctr_web changed/);
        assert.ok(markdown.indexOf("### The change") < markdown.indexOf("### New containers"));
        assert.doesNotMatch(diff(files.base, files.base, "markdown").output, /### The change/);
    });

    it("puts a new mandatory violation on top", () => {
        const head = { ...base(), violations: [violation("docker-no-default-bridge", "mandatory", "web")] };
        const files = writeDocuments({ base: base(), head });
        const markdown = diff(files.base, files.head, "markdown").output;
        assert.match(markdown, /^## netguard diff\n\n> \[!CAUTION\]\n> \*\*Verdict: fails\.\*\* This change adds \*\*1 mandatory policy violation\*\*\./);
        assert.match(markdown, /### New policy violations/);
    });

    it("escapes names that hold Markdown", () => {
        const nasty = 'x|y`z"[1]';
        const head = base();
        head.containers.push(container(nasty, ["app"]));
        const after = documentOf(head.networks, head.containers);
        after.violations.push(violation("docker-no-default-bridge", "advisory", nasty, "a | b [c](d)"));
        const files = writeDocuments({ base: base(), head: after });
        const markdown = diff(files.base, files.head, "markdown").output;
        for (const table of tables(markdown)) {
            const width = tableCells(table[0]).length;
            for (const row of table) assert.strictEqual(tableCells(row).length, width, row);
        }
        assert.ok(markdown.includes('- ``x|y`z"[1]`` (on `app`)'), "the new container is named verbatim in a code span");
        assert.ok(markdown.includes("a \\| b \\[c\\]\\(d\\)"));
    });

    it("caps long pair tables and points to the JSON", () => {
        const many = Array.from({ length: 12 }, (_, i) => container(`m${i}`, ["app"]));
        const head = documentOf(base().networks, [...base().containers, ...many]);
        const files = writeDocuments({ base: base(), head });
        const markdown = diff(files.base, files.head, "markdown").output;
        const added = diffPreviews(base(), head).reachability.added.length;
        assert.ok(added > 50);
        // Every new pair here holds both ways: one row each.
        assert.match(markdown, new RegExp(`…and ${added / 2 - 50} more rows \\(see \`netguard diff --json\`\\)`));
    });
});

describe("cli/diff: bad input", () => {
    const cases: [string, string, RegExp][] = [
        ["missing", "", /cannot read the HEAD preview .*missing\.json: it does not exist/],
        ["empty", "", /the HEAD preview .*empty\.json is empty/],
        ["truncated", '{"networks": [', /the HEAD preview .*truncated\.json is not valid JSON/],
        ["wrong-shape", JSON.stringify({ ...base(), reachability: [{ from: "a", to: 3 }] }), /the HEAD preview .*wrong-shape\.json is not a `netguard preview --json` document: reachability\[0\]\.to must be a string, not 3/],
        ["bad-level", JSON.stringify({ ...base(), violations: [{ policy: "p", level: "fatal", message: "m" }] }), /violations\[0\]\.level must be "mandatory" or "advisory", not "fatal"/],
        ["array", "[]", /the document must be an object, not \[\]/],
    ];
    for (const [name, content, message] of cases) {
        it(`names the file and the problem: ${name}`, () => {
            const files = writeDocuments({ base: base(), ...(name === "missing" ? {} : { [name]: content }) });
            const head = files[name] ?? path.join(path.dirname(files.base), "missing.json");
            assert.throws(() => diff(files.base, head, "text"), (err: unknown) => err instanceof UserError && message.test(err.message));
        });
    }
});

describe("netguard diff (subprocess): exit codes", () => {
    it("exits 1 when the head adds a mandatory violation, 0 for an advisory one or an old one", () => {
        const mandatory = { ...base(), violations: [violation("docker-no-default-bridge", "mandatory", "web")] };
        const advisory = { ...base(), violations: [violation("docker-network-private-range", "advisory", "app")] };
        const files = writeDocuments({ base: base(), mandatory, advisory });
        const adds = netguard(["diff", files.base, files.mandatory, "--json"]);
        assert.strictEqual(adds.status, 1, adds.stderr);
        assert.strictEqual(JSON.parse(adds.stdout).violations.added.length, 1);
        assert.strictEqual(netguard(["diff", files.base, files.advisory]).status, 0);
        const unchanged = netguard(["diff", files.mandatory, files.mandatory, "--markdown"]);
        assert.strictEqual(unchanged.status, 0, "a mandatory violation that the base has already is not new");
        assert.strictEqual(netguard(["diff", files.mandatory, files.base]).status, 0, "resolving one is fine");
    });

    it("exits 2 with one clear line naming the file, and no stack trace", () => {
        const files = writeDocuments({ base: base(), broken: "not json" });
        const result = netguard(["diff", files.base, files.broken]);
        assert.strictEqual(result.status, 2);
        assert.strictEqual(result.stdout, "");
        assert.match(result.stderr, /^netguard: the HEAD preview .*broken\.json is not valid JSON/);
        assert.doesNotMatch(result.stderr, /\n\s+at /);
    });
});
