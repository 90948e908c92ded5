/**
 * Every rule's doc (policies/ruleDoc.ts) holds what its page promises: the
 * bad example makes the rule report, the good one passes the whole pack,
 * both are read entirely, and the settings documented are the rule's own.
 */
import * as assert from "assert";
import { rules } from "../../../policies/pack";
import { Rule } from "../../../policies/rule";
import { Example } from "../../../policies/ruleDoc";
import { readResources } from "../../../readers/pulumi/fromPulumi";
import { composeViolations, exampleResources, readComposeExample } from "../../../scripts/policyDocs";
import { runPack, runPolicy } from "../../helpers/policyHarness";
import { programTypeErrors as typeErrors } from "../../helpers/typeCheck";

async function readExample(example: Example) {
    const resources = await exampleResources(example);
    const { topology, notJudged } = readResources(resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, props: r.inputs })));
    assert.deepStrictEqual(notJudged, [], "netguard reads every line of the example");
    assert.ok(topology.containers.length + topology.networks.length > 0, "the example declares containers or networks");
    return resources;
}

/** A parsed config's data: matchers (functions) left out, big integers (parsed CIDRs) as text. */
function data(config: object): unknown {
    return JSON.parse(JSON.stringify(config, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value)));
}

function settingNames(rule: Rule<object>): string[] {
    return Object.keys(rule.configSchema?.properties ?? {}).sort();
}

describe("policies: each rule's doc", () => {
    for (const rule of rules) {
        describe(rule.name, () => {
            const { doc } = rule;
            const settings = { ...doc.examples.settings };

            it("reports its bad example", async () => {
                const violations = await runPolicy(rule.name, await readExample(doc.examples.bad), settings);
                assert.ok(violations.length > 0, `${rule.name} does not report its bad example`);
                assert.deepStrictEqual([...new Set(violations.map((v) => v.policy))], [rule.name]);
            });

            it("passes its good example, and so does every other policy of the pack", async () => {
                const violations = await runPack(await readExample(doc.examples.good), { [rule.name]: settings });
                assert.deepStrictEqual(violations.map((v) => `${v.policy}: ${v.message}`), []);
            });

            const composeExample = doc.compose.example;
            if (composeExample !== undefined) {
                it("reports its Compose example, read entirely", () => {
                    assert.deepStrictEqual(readComposeExample(composeExample).notJudged, [], "netguard reads every key of the Compose example");
                    const violations = composeViolations(rule, composeExample);
                    assert.ok(violations.length > 0, `${rule.name} does not report its Compose example`);
                });
            } else {
                it("says why Compose cannot write what it reports", () => {
                    assert.match(doc.compose.reports, /^Nothing: /);
                });
            }

            for (const [which, example] of Object.entries({ bad: doc.examples.bad, good: doc.examples.good })) {
                if ("program" in example) {
                    it(`has a ${which} example program that type-checks`, () => {
                        assert.deepStrictEqual(typeErrors(example.program), []);
                    });
                }
            }

            it("has its summary as its CrossGuard description, one sentence", () => {
                assert.strictEqual(rule.description, doc.summary);
                assert.match(doc.summary, /^[A-Z][^\n]*\.$/);
                assert.doesNotMatch(doc.summary, /\.\s+[A-Z]/, "one sentence");
            });

            it("documents exactly the settings of its config schema, with defaults the rule accepts", () => {
                assert.deepStrictEqual(Object.keys(doc.settings ?? {}).sort(), settingNames(rule));
                for (const [name, { default: fallback }] of Object.entries(doc.settings ?? {})) {
                    const explicit = rule.readConfig({ [name]: fallback });
                    assert.deepStrictEqual(data(explicit), data(rule.readConfig({})), `${name}'s documented default`);
                }
            });
        });
    }

    it("gives every rule a topic of its own", () => {
        const topics = rules.map((rule) => rule.doc.topic);
        assert.strictEqual(new Set(topics).size, topics.length);
    });
});
