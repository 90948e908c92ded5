import * as assert from "assert";
import { CONTAINER, LOCAL_COMMAND, resource, runPolicy, unknown } from "../../test/helpers/policyHarness";

const POLICY = "docker-no-legacy-links";

const passing = { image: "nginx", networksAdvanced: [{ name: "app", aliases: ["db-client"] }] };

async function messages(inputs: Record<string, unknown>, type = CONTAINER): Promise<string[]> {
    return (await runPolicy(POLICY, [resource(type, "web", inputs)])).map((v) => v.message);
}

async function commandMessages(create: string): Promise<string[]> {
    return messages({ create }, LOCAL_COMMAND);
}

describe(POLICY, () => {
    it("passes a container that reaches others over a user-defined network", async () => {
        assert.deepStrictEqual(await messages(passing), []);
        assert.deepStrictEqual(await messages({ ...passing, links: [] }), []);
    });

    describe("fails a links property (older SDKs, untyped resources)", () => {
        it("with an alias", async () => {
            const [message, ...rest] = await messages({ ...passing, links: ["db:database"] });
            assert.deepStrictEqual(rest, []);
            assert.match(message, /container "web" uses a legacy link \(the links property\) to "db" \(alias "database"\)/);
            assert.match(message, /put both containers on one user-defined network/);
        });

        it("without an alias, and Docker's /target:/self/alias form, in one message", async () => {
            const [message] = await messages({ ...passing, links: ["cache", "/db:/web/database"] });
            assert.match(message, /to "cache", "db" \(alias "database"\)/);
        });
    });

    describe("fails --link in docker command lines", () => {
        const variants: [string, string, RegExp][] = [
            ["docker run --link", "docker run -d --name web --network app --link db:database nginx", /container "web" \(docker command line in command "web"\) uses a legacy link \(--link\) to "db" \(alias "database"\)/],
            // A legacy link needs its container to exist (Docker refuses the command otherwise): the script creates it first.
            ["docker create --link=", "docker run -d --name db redis\ndocker create --link=db nginx", /uses a legacy link \(--link\) to "db"/],
            ["docker container run with a quoted, continued line", "docker run -d --name db redis\ndocker container run \\\n  --link 'db:data base' nginx", /alias "data base"/],
            ["docker network connect --link", "docker run -d --name web --network front nginx\ndocker network connect --link db:db app web", /container "web" .* to "db"/],
        ];
        for (const [what, script, message] of variants) {
            it(what, async () => {
                const found = await commandMessages(script);
                assert.strictEqual(found.length, 1);
                assert.match(found[0], message);
                assert.match(found[0], /Remove --link/);
            });
        }
    });

    it("does not read the container's own arguments as docker options", async () => {
        assert.deepStrictEqual(await commandMessages("docker run --network app busybox sh -c 'echo --link db'"), []);
        assert.deepStrictEqual(await commandMessages("echo docker run --link db img"), []);
    });

    it("does not crash on, or guess, unknown values", async () => {
        assert.deepStrictEqual(await messages({ ...passing, links: unknown.array }), []);
        assert.deepStrictEqual(await messages({ ...passing, links: [unknown.string] }), []);
        assert.deepStrictEqual(await commandMessages("docker run --link $TARGET --network app nginx"), []);
        // What is known is still judged.
        assert.strictEqual((await messages({ ...passing, links: [unknown.string, "db"] })).length, 1);
    });
});
