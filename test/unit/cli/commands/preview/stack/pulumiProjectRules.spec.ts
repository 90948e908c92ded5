import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";
import { checkProjectFile, checkStackConfig, closestKey } from "../../../../../../cli/commands/preview/stack/pulumiProjectRules";
import { readStackSettings } from "../../../../../../cli/commands/preview/stack/stackSettings";
import { REPO_ROOT } from "../../../../../helpers/netguardCli";

const FILE = "/p/Pulumi.yaml";
const refusal = (action: () => unknown): string => {
    try {
        action();
    } catch (error) {
        return (error as Error).message;
    }
    assert.fail("expected a refusal");
};
const project = (text: string) => checkProjectFile(yaml.load(text) as Record<string, unknown>, FILE);

describe("Pulumi.yaml and stack files, refused as the Pulumi CLI refuses them", () => {
    it("accepts the repository's project and both of its stacks", () => {
        for (const stack of ["dev", "swarm"]) {
            const settings = readStackSettings(REPO_ROOT, stack, { stackNamed: true });
            assert.strictEqual(settings.project, "docker-netguard-example");
            assert.strictEqual(settings.config["netguard:addressPool"], "10.128.0.0/9");
        }
    });

    it("refuses a type or a default on another namespace's key, and asks for a value", () => {
        assert.strictEqual(
            refusal(() => project("name: p\nconfig:\n  netguard:addressPool:\n    type: string\n    default: 10.0.0.0/8\n")),
            `could not unmarshal '${FILE}': Configuration key 'netguard:addressPool' is not namespaced by the project and should not define a type`,
        );
        assert.match(refusal(() => project("name: p\nconfig:\n  aws:region:\n    default: x\n")), /should not define a default value. Did you mean to use the 'value' attribute/);
        assert.match(refusal(() => project("name: p\nconfig:\n  aws:region:\n    description: d\n")), /'aws:region' is namespaced and must provide an attribute 'value'/);
        // The shorthand is a value for another namespace, a default for the project's own keys.
        assert.deepStrictEqual(project("name: p\nconfig:\n  aws:region: eu\n  size: 3\n").config, { "aws:region": { value: "eu" }, size: { default: 3 } });
    });

    it("refuses a missing name with the CLI's suggestion, and unknown declaration attributes by name", () => {
        assert.match(refusal(() => project("nmae: p\n")), /project is missing a 'name' attribute; found 'nmae' instead$/);
        assert.match(refusal(() => project("name: ''\n")), /non-empty string 'name'/);
        assert.match(refusal(() => project("name: p\nconfig:\n  size:\n    tpye: string\n")), /#\/config\/size: additionalProperties 'tpye' not allowed/);
        assert.match(refusal(() => project("name: p\nruntime:\n  name: nodejs\n  option: {}\n")), /#\/runtime: additionalProperties 'option' not allowed/);
        assert.match(refusal(() => project("name: p\nconfig:\n  rate: 1.5\n")), /#\/config\/rate: expected object, but got number/);
        assert.match(refusal(() => project("name: p\nmain: 3\n")), /#\/main: expected string or null, but got number/);
        // Unknown top-level keys are the CLI's business only for its schema: allowed.
        assert.strictEqual(project("name: p\nwhatever: 1\n").name, "p");
    });

    it("checks defaults against their declared types, arrays included", () => {
        assert.match(refusal(() => project("name: p\nconfig:\n  port:\n    type: integer\n    default: eighty\n")), /default value specified for configuration key 'port' is not of the expected type 'integer'/);
        assert.match(refusal(() => project("name: p\nconfig:\n  ports:\n    type: array\n")), /declares an array but does not specify the underlying type/);
        assert.match(
            refusal(() => project("name: p\nconfig:\n  ports:\n    type: array\n    items: {type: integer}\n    default: [1, x]\n")),
            /not of the expected type 'array<integer>'/,
        );
        project("name: p\nconfig:\n  port:\n    type: integer\n    default: '80'\n  on:\n    type: boolean\n    default: 'true'\n");
    });

    it("refuses a stack that lacks a required value, has a value of the wrong type, or an unparsable key", () => {
        const rules = project("name: p\nconfig:\n  subnet:\n    type: string\n  gateway:\n    type: string\n  port:\n    type: integer\n    default: 1\n  token:\n    type: string\n    secret: true\n");
        const plain = (key: string) => (key === "p:token" ? "s3cret" : undefined);
        assert.strictEqual(refusal(() => checkStackConfig(rules, "dev", {}, plain)), "Stack 'dev' is missing configuration values 'gateway', 'subnet' and 'token'");
        const complete = { subnet: "10.0.0.0/24", "p:gateway": "10.0.0.1", token: { secure: "v1:opaque" } };
        checkStackConfig(rules, "dev", complete, plain);
        assert.match(refusal(() => checkStackConfig(rules, "dev", { ...complete, port: "http" }, plain)), /Stack 'dev' with configuration key 'port' must be of type 'integer'/);
        checkStackConfig(rules, "dev", { ...complete, port: 8080 }, plain);
        assert.match(refusal(() => checkStackConfig(rules, "dev", { ...complete, token: "clear" }, plain)), /'token' must be encrypted as it's secret/);
        assert.match(refusal(() => checkStackConfig(rules, "dev", { ...complete, "a:b:c": "x" }, plain)), /could not parse a:b:c as a configuration key/);
        checkStackConfig(rules, "dev", { ...complete, "p:config:extra": "x" }, plain);
    });

    it("regressions found by the CLI corpus: a project default stands in for the stack, in clear and in key order", () => {
        // seed 2, case 80: a secret key with a project value is refused, the value is not encrypted.
        const secretWithValue = project("name: p\nconfig:\n  port:\n    type: string\n    value: x\n    secret: true\n");
        assert.match(refusal(() => checkStackConfig(secretWithValue, "dev", {}, () => undefined)), /'port' must be encrypted as it's secret/);
        // seed 3, case 82: `p:size`'s default (sorted first) sets `size`, which is then not missing but of the wrong type.
        const twoSpellings = project("name: p\nconfig:\n  size:\n    type: boolean\n    items: {type: integer}\n  p:size: [a, b]\n");
        assert.match(refusal(() => checkStackConfig(twoSpellings, "dev", {}, () => undefined)), /'size' must be of type 'array<integer>'/);
    });

    it("suggests as the CLI does: within two edits, case-insensitively, alphabetically first on ties", () => {
        assert.strictEqual(closestKey("tpye", ["default", "type"]), "type");
        assert.strictEqual(closestKey("NAME", ["name"]), "name");
        assert.strictEqual(closestKey("zzzz", ["name"]), undefined);
    });

    it("refuses through netguard preview's reader, naming the file", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-project-"));
        try {
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: p\nruntime: nodejs\nconfig:\n  aws:region:\n    type: string\n");
            assert.match(refusal(() => readStackSettings(dir, "dev")), new RegExp(`could not unmarshal '${path.join(dir, "Pulumi.yaml")}'`));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
