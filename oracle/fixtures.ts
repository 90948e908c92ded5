/**
 * Regression fixtures: a case the engine judged differently from our
 * reader, with what the engine measured. `test/oracle/regressions.pending.ts`
 * replays them through the reader and asserts the measured truth. Program
 * cases (`kind: "program"`) keep their spec, the program's text in `script`
 * and, in `refused`, each resource the engine refused (`argv`: its Docker
 * name; `stderr`: what the engine said), under `program/`. Compose cases
 * (`kind: "compose"`) keep the project's YAML in `script` and Compose's
 * refusal in `refused`, under `compose/`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CaseSpec } from "./caseModel";
import { ComposeSpec } from "./compose/composeCases";
import { ProgramSpec } from "./program/programModel";
import { Disagreement } from "./compare";
import { NState } from "./normalized";
import { CaseResult } from "./runCase";

export const FIXTURE_DIR = path.join(__dirname, "..", "test", "fixtures", "oracle");
export const PROGRAM_FIXTURE_DIR = path.join(FIXTURE_DIR, "program");
export const COMPOSE_FIXTURE_DIR = path.join(FIXTURE_DIR, "compose");

export interface RefusedCommand {
    readonly argv: readonly string[];
    /** Script lines the reader may list it on. */
    readonly lines: readonly number[];
    readonly stderr: string;
}

export interface OracleFixture {
    /** Absent for command cases. */
    readonly kind?: "program" | "compose";
    readonly name: string;
    readonly cause: string;
    readonly engine: string;
    readonly engineVersion: string | null;
    readonly seed: number;
    readonly index: number;
    readonly id: string;
    /** True when fast-check shrank the case before it was saved. */
    readonly shrunk: boolean;
    readonly spec: CaseSpec | ProgramSpec | ComposeSpec;
    readonly script: string;
    readonly measured: NState;
    readonly refused: readonly RefusedCommand[];
    readonly disagreements: readonly Disagreement[];
}

export function slug(text: string): string {
    return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
}

export function fixtureOf(result: CaseResult, cause: string, engineVersion: string | null, shrunk: boolean): OracleFixture {
    const { oracleCase, rendered, run } = result;
    const used = new Set<number>();
    const refused: RefusedCommand[] = [];
    for (const invocation of run.invocations) {
        const index = rendered.commands.findIndex((c, i) => !used.has(i) && JSON.stringify(c.argv) === JSON.stringify(invocation.argv));
        if (index >= 0) used.add(index);
        if (invocation.status !== 0) refused.push({ argv: invocation.argv, lines: index >= 0 ? rendered.commands[index].lines : [], stderr: invocation.stderr });
    }
    return {
        name: `e${oracleCase.engine}-${slug(cause)}`,
        cause,
        engine: oracleCase.engine,
        engineVersion,
        seed: oracleCase.seed,
        index: oracleCase.index,
        id: oracleCase.id,
        shrunk,
        spec: oracleCase.spec,
        script: rendered.script,
        measured: result.measured,
        refused,
        disagreements: result.disagreements,
    };
}

/** Saves the fixture unless one of that name exists (a cause keeps its first, stable fixture); returns its path. */
export function saveFixture(fixture: OracleFixture, dir: string = FIXTURE_DIR): { file: string; written: boolean } {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${fixture.name}.json`);
    if (fs.existsSync(file)) return { file, written: false };
    fs.writeFileSync(file, `${JSON.stringify(fixture, null, 2)}\n`);
    return { file, written: true };
}

export function loadFixtures(dir: string = FIXTURE_DIR): OracleFixture[] {
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir)
        .filter((file) => file.endsWith(".json"))
        .sort()
        .map((file) => JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as OracleFixture);
}
