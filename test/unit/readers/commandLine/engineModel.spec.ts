import { strict as assert } from "node:assert";
import { topologyFromCommandLines } from "../../../../readers/commandLine";
import { EngineSemantics } from "../../../../topology/engineSemantics";

const source = { urn: "urn:pulumi:s::p::command:local:Command::setup", name: "setup" };
const read = (text: string, semantics?: EngineSemantics) => topologyFromCommandLines(source, [{ field: "create", text }], new Map(), semantics);
const names = (nodes: readonly { dockerName?: unknown }[]) => nodes.map((node) => node.dockerName);
const refusedLines = (text: string, semantics?: EngineSemantics) => read(text, semantics).notJudged.filter((entry) => /refuses this command/.test(entry.reason)).map((entry) => [entry.line, entry.reason]);

describe("readers/commandLine: a script run in order against a simulated engine (Docker's truth, from the oracle)", () => {
    it("removes what docker rm -f and docker network rm remove, and lets a name be created again", () => {
        const { containers, networks } = read("docker network create app\ndocker run -d --name web --network app img\ndocker rm -f web\ndocker network rm app\ndocker run -d --name web img");
        assert.deepEqual([names(networks), containers.map((c) => c.attachments.map((a) => a.reference))], [[], [["bridge"]]]);
    });

    it("keeps the first of two containers or networks of one name, listing the second as refused in Docker's words", () => {
        const { containers, notJudged } = read("docker run -d --name web --network a img\ndocker run -d --name web --network b img");
        assert.deepEqual(containers.map((c) => c.attachments[0].reference), ["a"]);
        assert.match(notJudged[0].reason, /Conflict\. The container name "\/web" is already in use/);
        assert.match(refusedLines("docker network create n\ndocker network create n")[0][1] as string, /network with name n already exists/);
    });

    it("refuses network create lines Docker refuses, and nothing they would create exists", () => {
        const cases: [string, RegExp][] = [
            ["docker network create --subnet 10.1.0.0/24 --gateway 10.2.0.1 n", /no matching subnet for gateway 10\.2\.0\.1/],
            ["docker network create --subnet 10.1.0.0/24 --subnet 10.1.0.0/25 n", /multiple overlapping subnet configuration is not supported/],
            ["docker network create --subnet 10.1.0.0/24 --subnet 10.2.0.0/24 n", /bridge driver doesn't support multiple subnets/],
            ["docker network create --subnet 10.1.0.0/16 m\ndocker network create --subnet 10.1.2.0/24 n", /Pool overlaps with other one on this address space/],
        ];
        for (const [script, reason] of cases) {
            const { networks, notJudged } = read(script);
            assert.ok(!names(networks).includes("n"), script);
            assert.match(notJudged.map((n) => n.reason).join("\n"), reason);
        }
        assert.match(refusedLines("docker network create --ipv6 n", "20")[0][1] as string, /non-overlapping IPv6 address pool/);
        assert.deepEqual(refusedLines("docker network create --ipv6 n", "29"), []);
    });

    it("keeps an IPv6 block without --ipv6 on 20.10 only, and drops IPv4 blocks with --ipv4=false on 29", () => {
        assert.deepEqual(read("docker network create --subnet fd00:1::/64 n").networks[0].ipam, []);
        assert.equal(read("docker network create --subnet fd00:1::/64 n", "20").networks[0].ipam.length, 1);
        assert.equal(read("docker network create --ipv6 --subnet fd00:1::/64 n").networks[0].ipam.length, 1);
        const dual = "docker network create --ipv6 --ipv4=false --subnet 10.1.0.0/24 --subnet fd00:1::/64 n";
        assert.deepEqual(read(dual, "29").networks[0].ipam.map((b) => b.subnet), ["fd00:1::/64"]);
        assert.deepEqual(read(dual, "20").networks[0].ipam.map((b) => b.subnet), ["10.1.0.0/24", "fd00:1::/64"]);
    });

    it("keeps addresses as written on 20.10 and in their canonical spelling on 29, as each engine stores them", () => {
        const script = "docker network create --ipv6 --subnet fd00:1:0:0::/64 --gateway fd00:1:0::1 --ip-range fd00:1:0:0:8000::/65 --aux-address h=fd00:1:0::5 n\ndocker run -d --name c --network n --ip6 fd00:1:0::22 img";
        const stored = (semantics: EngineSemantics) => {
            const { networks, containers } = read(script, semantics);
            return [networks[0].ipam[0], containers[0].attachments[0].ipv6Address];
        };
        assert.deepEqual(stored("29"), [{ subnet: "fd00:1::/64", gateway: "fd00:1::1", ipRange: "fd00:1:0:0:8000::/65", auxAddresses: { h: "fd00:1::5" } }, "fd00:1::22"]);
        assert.deepEqual(stored("20"), [{ subnet: "fd00:1:0:0::/64", gateway: "fd00:1:0::1", ipRange: "fd00:1:0:0:8000::/65", auxAddresses: { h: "fd00:1:0::5" } }, "fd00:1:0::22"]);
    });

    it("refuses on 20.10 an IPv6 ip range its allocator cannot reach: at create without a gateway, at start for a dynamic address", () => {
        const network = "docker network create --ipv6 --subnet fd00:1::/64 --ip-range fd00:1:0:0:8000::/65";
        assert.match(refusedLines(`${network} n`, "20")[0][1] as string, /failed to allocate gateway \(\): invalid bit range \[9223372036854775808, 18446744073709551615\]/);
        assert.deepEqual(refusedLines(`${network} n`, "29"), []);
        const container = `${network} --gateway fd00:1::1 n\ndocker run -d --name c --network n img\ndocker run -d --name d --network n --ip6 fd00:1::9 img`;
        assert.deepEqual(refusedLines(container, "20").map(([line]) => line), [2]);
        assert.deepEqual(refusedLines(container, "29"), []);
        assert.deepEqual(refusedLines(container.replace("--ipv6 ", ""), "20"), []);
    });

    it("refuses links and published ports with another container's namespace, and links with the host's, on both engines", () => {
        for (const semantics of ["20", "29"] as const) {
            for (const [flags, reason] of [
                ["--network container:base -p 80", /port publishing and the container type network mode/],
                ["--network container:base -P", /port publishing and the container type network mode/],
                ["--network container:base -p 80 --link base:b", /container type network can't be used with links/],
                ["--network host --link base:b", /host type networking can't be used with links/],
            ] as const) {
                const refused = refusedLines(`docker run -d --name base img\ndocker run -d --name c ${flags} img\ndocker start c`, semantics);
                assert.deepEqual(refused.map(([line]) => line), [2, 3], `${semantics}: ${flags}`);
                assert.match(refused[0][1] as string, reason);
            }
        }
    });

    it("refuses a static address with a namespace mode: 29 at create, 20.10 at start", () => {
        for (const flags of ["--network host --ip 10.1.0.5", "--network=none --ip6 fd00:1::5", "--network name=none,ip=10.1.0.5", "--network container:base --ip 10.1.0.5"]) {
            const script = `docker run -d --name base img\ndocker create --name c ${flags} img\ndocker start c`;
            assert.deepEqual(refusedLines(script, "29").map(([line]) => line), [2, 3], flags);
            assert.match(refusedLines(script, "29")[0][1] as string, /invalid endpoint settings: .*user-specified IP address is supported on user-defined networks only/);
            assert.deepEqual(refusedLines(script, "20").map(([line, reason]) => [line, /user specified IP address is supported on user defined networks only/.test(reason as string)]), [[3, true]], flags);
        }
    });

    it("refuses network-scoped aliases on any network that is not user-defined, in the long --network syntax too", () => {
        assert.match(refusedLines("docker create --network name=host,alias=a img")[0][1] as string, /network-scoped aliases are only supported for user-defined networks/);
    });

    it("counts on 20.10 no pool for an IPv6 block written without --ipv6: another network may take its subnet", () => {
        const script = (first: string, second: string) => `docker network create ${first} --subnet fd00:1::/64 m\ndocker network create ${second} --subnet fd00:1::/64 n`;
        assert.deepEqual(refusedLines(script("", "--ipv6"), "20"), []);
        assert.deepEqual(refusedLines(script("--ipv6", ""), "20"), []);
        assert.match(refusedLines(script("--ipv6", "--ipv6"), "20")[0][1] as string, /Pool overlaps with other one on this address space/);
    });

    it("refuses to disconnect a container from a network it is not on, and leaves one the script does not create to the stack", () => {
        const script = "docker network create n\ndocker create --name c img\ndocker network disconnect n c\ndocker network disconnect bridge c\ndocker network disconnect other c";
        for (const semantics of ["20", "29"] as const) {
            const refused = refusedLines(script, semantics);
            assert.deepEqual(refused.map(([line]) => line), [3], semantics);
            assert.match(refused[0][1] as string, /container c is not connected to (the )?network n/);
        }
    });

    it("refuses on 29 a network with IPv4 off and IPv6 not on; 20.10 ignores --ipv4=false", () => {
        for (const flags of ["--ipv4=false", "--ipv4=false --subnet 10.1.0.0/24"]) {
            assert.match(refusedLines(`docker network create ${flags} n`, "29")[0]?.[1] as string, /IPv4 or IPv6 must be enabled/, flags);
            assert.deepEqual(refusedLines(`docker network create ${flags} n`, "20"), [], flags);
        }
        assert.deepEqual(refusedLines("docker network create --ipv4=false --ipv6 n", "29"), []);
    });

    it("refuses a static IPv4 address on a network without an IPv4 subnet of its own, in each engine's words", () => {
        const script = "docker network create n\ndocker create --name c --network n --ip 10.1.0.5 img\ndocker start c";
        assert.deepEqual(refusedLines(script, "29").map(([line]) => line), [2, 3]);
        assert.match(refusedLines(script, "29")[0][1] as string, /invalid endpoint settings: no configured subnet contains IP address 10\.1\.0\.5/);
        assert.deepEqual(refusedLines(script, "20").map(([line]) => line), [3]);
        assert.match(refusedLines(script, "20")[0][1] as string, /user specified IP address is supported only when connecting to networks with user configured subnets/);
    });

    it("refuses on 29 at start a container whose two bindings of one port leave the host port to Docker on overlapping addresses; 20.10 starts it (the Compose oracle's finding)", () => {
        const script = (ports: string) => `docker network create --subnet 10.34.0.0/24 n\ndocker run -d --name c --network n ${ports} img`;
        for (const ports of ["-p 80 -p 127.0.0.1::80", "-p 80 -p 80", "-p [::1]::80 -p 80"]) {
            assert.deepEqual(refusedLines(script(ports), "20"), [], ports);
            const on29 = refusedLines(script(ports), "29");
            assert.deepEqual(on29.map(([line]) => line), [2], ports);
            assert.match(on29[0][1] as string, /failed to bind host port .*address already in use/);
        }
        for (const ports of ["-p 127.0.0.1::80 -p [::1]::80", "-p 127.0.0.1::80 -p 127.0.0.2::80", "-p 80 -p 80/udp", "-p 127.0.0.1::80 -p 8080:80"]) assert.deepEqual(refusedLines(script(ports), "29"), [], ports);
    });

    it("runs on 20.10 a container with an IPv6 address outside the subnet of a network without --ipv6 (never allocated, never checked); refuses it with --ipv6, and on 29 either way", () => {
        const script = (ipv6: string) => `docker network create ${ipv6}--subnet 10.33.0.0/24 --subnet fd00:33::/64 n\ndocker run -d --name c --network n --ip6 fd00:99::5 img`;
        assert.deepEqual(refusedLines(script(""), "20"), []);
        assert.deepEqual(refusedLines(script("--ipv6 "), "20").map(([line]) => line), [2]);
        assert.deepEqual(refusedLines(script(""), "29").map(([line]) => line), [2]);
        assert.deepEqual(refusedLines(script("--ipv6 "), "29").map(([line]) => line), [2]);
    });

    it("checks a static address connected again to a network the created container has: 29 wants a subnet that holds it, 20.10 one of its family; the endpoint stays", () => {
        const connectAgain = (flag: string) => `docker network create --subnet 10.1.0.0/24 n\ndocker create --name c --network n img\ndocker network connect ${flag} n c`;
        assert.match(refusedLines(connectAgain("--ip 10.2.0.5"), "29")[0]?.[1] as string, /no configured subnet contains IP address 10\.2\.0\.5/);
        assert.deepEqual(refusedLines(connectAgain("--ip 10.2.0.5"), "20"), []);
        assert.match(refusedLines(connectAgain("--ip6 fd00::5"), "20")[0]?.[1] as string, /supported only when connecting to networks with user configured subnets/);
        for (const semantics of ["20", "29"] as const) {
            assert.deepEqual(refusedLines(connectAgain("--ip 10.1.0.5"), semantics), [], semantics);
            const [attachment] = read(connectAgain("--ip 10.1.0.5"), semantics).containers[0].attachments;
            assert.deepEqual([attachment.reference, attachment.staticAddress], ["n", false], semantics);
        }
    });

    it("refuses what the CLI refuses in docker run's networking flags", () => {
        for (const [script, reason] of [
            ["docker run --network-alias a img", /network-scoped aliases are only supported for user-defined networks/],
            ["docker run --network app --network host img", /cannot attach both user-defined and non-user-defined network-modes/],
            ["docker run --network name=app,ip=10.1.0.5 --ip 10.1.0.6 img", /cannot specify both --ip and per-network IPv4 address/],
            ["docker run --network app --network app img", /network "app" is specified multiple times/],
        ] as const) {
            const { containers, notJudged } = read(script);
            assert.deepEqual([containers.length, notJudged.length], [0, 1], script);
            assert.match(notJudged[0].reason, reason);
        }
    });

    it("creates a container whose start Docker refuses, and lists the start; a start of a refused container finds nothing", () => {
        const run = read("docker network create app\ndocker create --name c --network app img\ndocker network rm app\ndocker start c");
        assert.deepEqual(names(run.containers), ["c"]);
        assert.match(run.notJudged[0].reason, /network app not found/);
        assert.deepEqual([run.notJudged[0].line], [4]);
        assert.match(refusedLines("docker create --name c --network-alias x img\ndocker start c")[1][1] as string, /No such container: c/);
        // --ip on the default bridge: refused at start on 20.10 (the container exists), at create on 29.
        assert.deepEqual(names(read("docker create --name c --ip 10.1.0.5 img", "20").containers), ["c"]);
        assert.deepEqual(names(read("docker create --name c --ip 10.1.0.5 img", "29").containers), []);
        assert.equal(refusedLines("docker run --name c --network a --network b img", "20").length, 1);
        assert.equal(refusedLines("docker run --name c --network a --network b img", "29").length, 0);
    });

    it("creates a container: mode container whatever X is (both engines), and refuses its start when X is itself", () => {
        for (const semantics of ["20", "29"] as const) {
            const own = read("docker create --name c --network container:c img\ndocker start c", semantics);
            assert.deepEqual([names(own.containers), own.notJudged.map((e) => e.line)], [["c"], [2]]);
            assert.match(own.notJudged[0].reason, /cannot join own network/);
        }
        assert.deepEqual(names(read("docker run -d --name a img\ndocker create --name c --network container:a img", "20").containers), ["a", "c"]);
    });

    it("leaves a start of a container the script does not create to the stack, which lists it when nothing creates it", () => {
        assert.deepEqual(read("docker start other").starts.map((s) => [s.container, s.at.line]), [["other", 1]]);
        assert.deepEqual(read("docker create --name c img\ndocker start c").starts, []);
    });

    it("reads --ip6 onto the attachment", () => {
        const [c] = read("docker network create --ipv6 --subnet fd00:1::/64 app\ndocker run --network app --ip6 fd00:1::5 img").containers;
        assert.equal(c.attachments[0].ipv6Address, "fd00:1::5");
    });

    it("expands a shell alias as sh does, and lists one it cannot read", () => {
        assert.deepEqual(names(read("alias d='docker network create'\nd app").networks), ["app"]);
        const rm = read("docker run -d --name web img\nalias d3='docker rm -f'\nd3 web");
        assert.deepEqual(rm.containers, []);
        assert.match(read("alias d=\"$X\"\nd app").notJudged.map((n) => n.reason).join(), /alias d is not one simple command/);
    });

    it("runs nothing after a plain exit, and follows && and || after a refused command", () => {
        assert.deepEqual(names(read("docker run --name a img\nexit 0\ndocker run --name b img").containers), ["a"]);
        assert.deepEqual(names(read("if false; then exit 1; fi\ndocker run --name b img\ntrue || exit 0").containers), ["b"]);
        const chained = read("docker network create --subnet 10.1.0.0/24 --gateway 10.9.0.1 n && docker run --name a img || docker run --name b img");
        assert.deepEqual(names(chained.containers), ["b"]);
    });

    it("connects a created (not running) container to a network the script removed or failed to create, as both engines record it", () => {
        const script = "docker network create --subnet 10.1.0.0/24 a\ndocker network create --subnet 10.1.0.0/24 b\ndocker network create gone\ndocker network rm gone\ndocker create --name c --network a img\ndocker network connect b c\ndocker network connect gone c";
        for (const semantics of ["20", "29"] as const) {
            const { containers } = read(script, semantics);
            assert.deepEqual(containers[0].attachments.map((a) => a.reference), ["a", "b", "gone"], semantics);
            assert.deepEqual(refusedLines(script, semantics).map(([line]) => line), [2], semantics);
        }
        assert.match(refusedLines("docker network create --subnet 10.1.0.0/24 a\ndocker network create --subnet 10.1.0.0/24 b\ndocker run -d --name c --network a img\ndocker network connect b c")[1][1] as string, /network b not found/);
    });

    it("drops the links kept in a user-defined network's endpoint when the container leaves that network", () => {
        const links = (script: string) => read(script).containers[0].links.map((link) => `${link.target}:${link.alias}`);
        assert.deepEqual(links("docker network create app\ndocker create --name c --network app --link web:w img\ndocker network disconnect app c"), []);
        assert.deepEqual(links("docker network create app\ndocker network create other\ndocker create --name c --network app --link web:w img\ndocker network connect --link db:d other c\ndocker network disconnect other c"), ["web:w"]);
    });
});
