/**
 * Files Compose refuses, and what the built-in reader does not read: an
 * error with Compose's own reason (or ours) naming the file and the key,
 * never a silent skip; a required variable without value is Compose's error.
 */
import * as assert from "assert";
import * as path from "path";
import { ComposeError, readComposeProject } from "../../../../readers/compose";
import { CORPUS, PLUGIN_TAG, needsPlugin } from "./composeHelpers";

function refusal(folder: string, usePlugin: boolean, env: Record<string, string> = {}): ComposeError {
    const cwd = path.join(CORPUS, folder);
    try {
        readComposeProject(["compose.yaml"], { cwd, env, usePlugin });
    } catch (error) {
        assert.ok(error instanceof ComposeError, String(error));
        return error;
    }
    return assert.fail(`${folder} was read`);
}

const file = (folder: string) => path.join(CORPUS, folder, "compose.yaml");

describe("compose: bad input", () => {
    for (const usePlugin of [false, true]) {
        describe(usePlugin ? `${PLUGIN_TAG} through the plugin` : "through the built-in reader", () => {
            beforeEach(function () {
                if (usePlugin) needsPlugin(this);
            });

            it("refuses an unknown service key, naming the file and the key", () => {
                const error = refusal("bad-service-key", usePlugin);
                assert.ok(error.message.startsWith(`validating ${file("bad-service-key")}: services.web`), error.message);
                assert.ok(error.message.includes("netwroks"), error.message);
                assert.strictEqual(error.file, file("bad-service-key"));
            });

            it("refuses an unknown top-level key, naming it", () => {
                const error = refusal("bad-top-level", usePlugin);
                assert.strictEqual(error.message, `validating ${file("bad-top-level")}:  additional properties 'servises' not allowed`);
                assert.strictEqual(error.file, file("bad-top-level"));
            });

            it("refuses a malformed port, naming the file and the value", () => {
                const error = refusal("bad-port", usePlugin);
                assert.strictEqual(error.file, file("bad-port"));
                assert.ok(error.message.includes(file("bad-port")), error.message);
                assert.ok(error.message.includes("80:80"), error.message);
            });

            it("gives Compose's reason for a required variable without value", () => {
                const error = refusal("required-variable", usePlugin);
                assert.strictEqual(error.message, `${file("required-variable")}: error while interpolating services.web.image: required variable TAG is missing a value: TAG must name the release`);
                assert.strictEqual(error.key, "services.web.image");
                assert.doesNotThrow(() => readComposeProject(["compose.yaml"], { cwd: path.join(CORPUS, "required-variable"), env: { TAG: "1.0" }, usePlugin }));
            });

            it("refuses a port whose number is a variable without value, rather than guess it", () => {
                const error = refusal("unknown-port", usePlugin);
                assert.ok(error.message.includes("HOST_PORT"), error.message);
                assert.ok(error.message.includes(file("unknown-port")), error.message);
                const read = readComposeProject(["compose.yaml"], { cwd: path.join(CORPUS, "unknown-port"), env: { HOST_PORT: "8080" }, usePlugin });
                assert.deepStrictEqual(read.topology.containers[0].ports, [{ internal: 80, external: 8080, protocol: "tcp" }]);
            });

            it("refuses a file that is not there", () => {
                const error = (() => {
                    try {
                        readComposeProject(["missing.yaml"], { cwd: CORPUS, env: {}, usePlugin });
                    } catch (caught) {
                        return caught as Error;
                    }
                    return assert.fail("read");
                })();
                assert.ok(error instanceof ComposeError);
                assert.ok(error.message.includes(path.join(CORPUS, "missing.yaml")), error.message);
            });
        });
    }

    it("the built-in reader names what it does not read: include, provider services", () => {
        const error = refusal("include", false);
        assert.strictEqual(error.key, "include");
        assert.ok(error.message.includes(file("include")) && error.message.includes("include is not read"), error.message);
    });
});
