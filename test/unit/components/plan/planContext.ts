/**
 * Plans under test: a plain context (project `shop`, stack `dev`, a fresh
 * program state) and nets planned on it, with no Pulumi runtime or mocks.
 */
import * as assert from "assert";
import { IsolatedServiceNetArgs } from "../../../../components/args";
import { NetguardInputError } from "../../../../components/inputError";
import { IsolatedServiceNetPlan, planIsolatedServiceNet } from "../../../../components/plan/isolatedServiceNet";
import { PlanContext, ProgramState } from "../../../../components/programState";

export function planContext(overrides: Partial<PlanContext> = {}): PlanContext {
    return { project: "shop", stack: "dev", state: new ProgramState(), ...overrides };
}

const planned = new WeakSet<object>();

/** Plans a net on `context`, remembered so that {@link isNetPlan} knows it. */
export function netPlan(context: PlanContext, name: string, args: IsolatedServiceNetArgs): IsolatedServiceNetPlan {
    const plan = planIsolatedServiceNet(name, args, context);
    planned.add(plan);
    return plan;
}

/** The dual-homed plans' net guard for tests: a net plan made by {@link netPlan}. */
export function isNetPlan(value: unknown): value is IsolatedServiceNetPlan {
    return typeof value === "object" && value !== null && planned.has(value);
}

/** Asserts that `plan` throws a NetguardInputError whose message is exactly `message`. */
export function assertRefuses(plan: () => unknown, message: string): void {
    assert.throws(plan, (err: unknown) => {
        assert.ok(err instanceof NetguardInputError, `not a NetguardInputError: ${String(err)}`);
        assert.strictEqual(err.message, message);
        return true;
    });
}
