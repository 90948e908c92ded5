/** The model's host bindings against those measured on each engine (test/helpers/hostBindingCases.ts). */
import * as assert from "assert";
import { HOST_BINDING_CASES, predictedBindings } from "../../helpers/hostBindingCases";

describe("topology: host bindings of published ports", () => {
    for (const semantics of ["20", "29"] as const) {
        describe(`on Docker ${semantics}`, () => {
            for (const { title, script, measured } of HOST_BINDING_CASES) {
                it(title, () => assert.deepStrictEqual(predictedBindings(script, semantics), [...measured[semantics]].sort()));
            }
        });
    }
});
