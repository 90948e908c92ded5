/**
 * Runs a program given as a function under the same mock runtime that
 * `netguard preview` uses, and returns what it registered.
 */
import { RegisteredResource } from "../../policies/engineArgs";
import { ProgramRun, runProgram } from "../../cli/commands/preview/program/runProgram";

export interface InlineOptions {
    project?: string;
    stack?: string;
    config?: Record<string, string>;
}

export async function runInline(program: () => unknown, options: InlineOptions = {}): Promise<ProgramRun> {
    return runProgram(program, {
        project: options.project ?? "netguard-test",
        stack: options.stack ?? "test",
        config: options.config ?? {},
        secretKeys: [],
    });
}

/** The one resource of the given type and logical name; fails the test if absent. */
export function findResource(resources: readonly RegisteredResource[], type: string, name: string): RegisteredResource {
    const found = resources.find((r) => r.type === type && r.name === name);
    if (!found) throw new Error(`no ${type} named ${name} among ${resources.map((r) => r.name).join(", ")}`);
    return found;
}
