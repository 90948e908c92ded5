/** Compose's interpolation, `.env` files and port syntaxes, as the built-in reader reads them. */
import * as assert from "assert";
import { ComposeError, holdsUnknown, unknownValue } from "../../../../readers/compose/composeProject";
import { shortPort } from "../../../../readers/compose/composeSyntax";
import { interpolateText, parseDotEnv } from "../../../../readers/compose/interpolation";

const env = { SET: "value", EMPTY: "" };
const text = (template: string) => interpolateText(template, env, "services.x.image");

describe("compose: interpolation", () => {
    it("reads every form Compose reads", () => {
        assert.strictEqual(text("${SET}/$SET/$$SET/$${SET}"), "value/value/$SET/${SET}");
        assert.strictEqual(text("${UNSET:-d}|${EMPTY:-d}|${SET:-d}"), "d|d|value");
        assert.strictEqual(text("${UNSET-d}|${EMPTY-d}|${SET-d}"), "d||value");
        assert.strictEqual(text("${UNSET:+r}|${EMPTY:+r}|${SET:+r}|${EMPTY+r}"), "||r|r");
        assert.strictEqual(text("${UNSET:-${SET}-x}"), "value-x");
        assert.strictEqual(text("${SET:?never}"), "value");
    });

    it("gives a variable without value an unknown value, never a guess", () => {
        assert.strictEqual(text("${UNSET}"), unknownValue("UNSET"));
        assert.ok(holdsUnknown(text("10.0.$UNSET.0/24")));
        assert.strictEqual(text("${UNSET:-}"), "", "an empty default is written, not unknown");
    });

    it("refuses a required variable without value and a broken template, naming the key", () => {
        assert.throws(() => text("${EMPTY:?must be set}"), (error: ComposeError) => error.message === "error while interpolating services.x.image: required variable EMPTY is missing a value: must be set" && error.key === "services.x.image");
        assert.doesNotThrow(() => text("${EMPTY?only unset}"));
        assert.throws(() => text("${UNSET?gone}"), /required variable UNSET is missing a value: gone/);
        assert.throws(() => text("${SET"), /invalid template/);
        assert.throws(() => text("${1X}"), /invalid template/);
    });

    it("reads a .env file: export, comments, quotes, references to lines above and the environment", () => {
        const values = parseDotEnv(["# comment", "export A=1", "B = two # note", "C='${A} literal'", 'D="${A}-${SET}\\n"', "E=${MISSING}", "F="].join("\n"), env, ".env");
        assert.deepStrictEqual(values, { A: "1", B: "two", C: "${A} literal", D: "1-value\n", E: unknownValue("MISSING"), F: "" });
    });
});

describe("compose: short port syntax, as Docker expands it", () => {
    const place = { file: "compose.yaml", key: "services.web.ports[0]" };
    it("reads host address, published and target ports, ranges and protocols", () => {
        assert.deepStrictEqual(shortPort("80", place), [{ mode: "ingress", protocol: "tcp", target: 80 }]);
        assert.deepStrictEqual(shortPort("8080:80/udp", place), [{ mode: "ingress", protocol: "udp", target: 80, published: "8080" }]);
        assert.deepStrictEqual(shortPort("127.0.0.1::80", place), [{ mode: "ingress", host_ip: "127.0.0.1", protocol: "tcp", target: 80 }]);
        assert.deepStrictEqual(shortPort("[::1]:53:53/udp", place), [{ mode: "ingress", host_ip: "::1", protocol: "udp", target: 53, published: "53" }]);
        assert.deepStrictEqual(
            shortPort("7000-7001:8000-8001", place).map((p) => `${p.published}->${p.target}`),
            ["7000->8000", "7001->8001"],
        );
        assert.deepStrictEqual(shortPort("8000-8010:80", place), [{ mode: "ingress", protocol: "tcp", target: 80, published: "8000-8010" }]);
        assert.deepStrictEqual(shortPort("3000-3001", place).map((p) => p.target), [3000, 3001]);
    });

    it("refuses what Compose refuses", () => {
        for (const bad of ["", "http", "0", "70000", "8000-8002:80-81", "1:2:3:4"]) assert.throws(() => shortPort(bad, place), ComposeError, bad);
    });
});
