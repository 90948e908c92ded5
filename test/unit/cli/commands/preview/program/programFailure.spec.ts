/**
 * A program that fails never looks like a policy failure.
 * Every way a program can fail is exit 2 with the program's own message
 * first, never exit 1 (mandatory violations) and never a half-written JSON.
 */
import * as assert from "assert";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { UserError } from "../../../../../../cli/errors";
import { describeFailure } from "../../../../../../cli/commands/preview/program/programFailure";
import { runProgram } from "../../../../../../cli/commands/preview/program/runProgram";
import { netguard } from "../../../../../helpers/netguardCli";

/** Messages a program might throw: printable, with a word that makes each one findable. */
const message = fc
    .array(fc.stringMatching(/^[a-z0-9.,:'-]{1,8}$/), { maxLength: 5 })
    .map((words) => ["failure", ...words].join(" "));

const IPAM = [{ subnet: "10.64.0.0/24", gateway: "10.64.0.1" }];

/** Ways a program fails, each as a program that fails with the given message. */
const FAILING_PROGRAMS: Record<string, (text: string) => () => unknown> = {
    "throws while loading": (text) => () => {
        throw new Error(text);
    },
    "throws in a component's constructor": (text) => () => {
        class Broken extends pulumi.ComponentResource {
            constructor(name: string) {
                super("test:index:Broken", name);
                new docker.Network(`${name}-net`, { ipamConfigs: IPAM }, { parent: this });
                throw new Error(text);
            }
        }
        new Broken("broken");
    },
    "throws in an apply a resource input takes": (text) => () => {
        const net = new docker.Network("n", { ipamConfigs: IPAM });
        const name = net.name.apply((): string => {
            throw new Error(text);
        });
        new docker.Container("c", { image: "x", networksAdvanced: [{ name }] });
    },
    "throws in an apply another resource waits on": (text) => () => {
        const name = pulumi.output("n").apply((): string => {
            throw new Error(text);
        });
        const net = new docker.Network("n", { name, ipamConfigs: IPAM });
        new docker.Container("c", { image: "x", networksAdvanced: [{ name: net.name }] });
    },
    "throws in an apply of a stack output": (text) => () => ({
        out: pulumi.output(1).apply(() => {
            throw new Error(text);
        }),
    }),
    "leaves a promise rejected": (text) => () => {
        new docker.Network("n", { ipamConfigs: IPAM });
        void Promise.reject(new Error(text));
    },
    "is an async program that rejects": (text) => async () => {
        await new Promise((resolve) => setImmediate(resolve));
        throw new Error(text);
    },
};

async function failureOf(program: () => unknown, timeoutSeconds = 30): Promise<UserError> {
    try {
        await runProgram(program, { project: "p", stack: "s", config: {}, secretKeys: [] }, { timeoutSeconds });
    } catch (err) {
        assert.ok(err instanceof UserError, `a UserError (exit 2), got ${String(err)}`);
        return err;
    }
    assert.fail("the program run succeeded");
}

describe("a failing program", () => {
    it("puts the program's own message first, whatever prefixes Pulumi's runtime added", () => {
        const prefix = fc.oneof(
            fc.constantFrom("networksAdvanced", "name", "ipamConfigs").map((key) => `error serializing property "${key}": `),
            fc.constant("failed to register new resource app [docker:index/container:Container]: "),
        );
        fc.assert(
            fc.property(fc.array(prefix, { maxLength: 3 }), message, (prefixes, text) => {
                const described = describeFailure(new Error(prefixes.join("") + text));
                assert.ok(described.startsWith(text), described);
                assert.strictEqual(described.includes("error serializing"), false);
            }),
        );
    });

    for (const [kind, build] of Object.entries(FAILING_PROGRAMS)) {
        it(`is a bad-input error with its message when it ${kind}`, async () => {
            await fc.assert(
                fc.asyncProperty(message, async (text) => {
                    const err = await failureOf(build(text));
                    assert.ok(err.message.startsWith(`the program failed: ${text}`), err.message);
                }),
                { numRuns: 5 },
            );
        });
    }

    it("is given up, naming the limit, when it waits on a promise that never settles", async () => {
        const err = await failureOf(() => {
            new docker.Network("n", { name: pulumi.output(new Promise<string>(() => undefined)), ipamConfigs: IPAM });
        }, 0.2);
        assert.match(err.message, /^the program did not finish within 0\.2 s \(raise the limit with --timeout SECONDS or NETGUARD_PROGRAM_TIMEOUT\)/);
    });

    describe("netguard preview", () => {
        it("exits 2, not 1, with the message first and nothing on stdout when an apply another resource depends on throws", () => {
            const result = netguard(["preview", "test/programs/throws-in-dependency/index.ts", "--json"]);
            assert.strictEqual(result.status, 2, result.stderr);
            assert.strictEqual(result.stdout, "");
            assert.match(result.stderr, /^netguard: the program test\/programs\/throws-in-dependency\/index\.ts failed: the network name is not configured/);
            assert.doesNotMatch(result.stderr, /promises were still active/);
        });

        it("exits 2 for an error thrown from a callback the program scheduled", () => {
            const result = netguard(["preview", "test/programs/throws-in-callback/index.ts"]);
            assert.strictEqual(result.status, 2, result.stderr);
            assert.match(result.stderr, /^netguard: the program \S+ failed: the inventory callback failed\n$/);
        });

        it("exits 2 at once for a program that can never finish", () => {
            const result = netguard(["preview", "test/programs/never-finishes/index.ts", "--json"]);
            assert.strictEqual(result.status, 2, result.stderr);
            assert.strictEqual(result.stdout, "");
            assert.match(result.stderr, /^netguard: the program \S+ never finished: it waits on values that nothing will resolve/);
        });

        it("gives a busy program up after --timeout, or NETGUARD_PROGRAM_TIMEOUT, seconds", () => {
            const program = "test/programs/busy-forever/index.ts";
            const byFlag = netguard(["preview", program, "--timeout", "0.5"]);
            assert.strictEqual(byFlag.status, 2, byFlag.stderr);
            assert.match(byFlag.stderr, /the program \S+ did not finish within 0\.5 s/);
            const byEnv = netguard(["preview", program], { env: { NETGUARD_PROGRAM_TIMEOUT: "0.5" } });
            assert.strictEqual(byEnv.status, 2, byEnv.stderr);
            assert.match(byEnv.stderr, /did not finish within 0\.5 s/);
        });

        it("exits 2 naming the setting for a time limit that is not a positive number", () => {
            const byFlag = netguard(["preview", "test/programs/busy-forever/index.ts", "--timeout", "soon"]);
            assert.strictEqual(byFlag.status, 2);
            assert.match(byFlag.stderr, /--timeout = "soon": must be a positive number of seconds/);
            const byEnv = netguard(["preview", "test/programs/busy-forever/index.ts"], { env: { NETGUARD_PROGRAM_TIMEOUT: "-1" } });
            assert.strictEqual(byEnv.status, 2);
            assert.match(byEnv.stderr, /NETGUARD_PROGRAM_TIMEOUT = "-1": must be a positive number of seconds/);
        });

        it("exits 2 when the program logs an error with pulumi.log.error", () => {
            const result = netguard(["preview", "test/programs/logs-an-error/index.ts"]);
            assert.strictEqual(result.status, 2, result.stderr);
            assert.match(result.stderr, /config is broken[\s\S]*logged an error with pulumi\.log\.error/);
        });
    });
});
