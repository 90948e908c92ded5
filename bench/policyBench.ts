/**
 * `npm run bench [-- --json] [-- --repeat N] [-- --sizes 100x20,1000x200]`:
 * for synthetic stacks of growing size, the time to run the program under the
 * in-process engine against the time to evaluate every policy over what it
 * registered, how policy time grows from size to size, and peak memory.
 *
 * Everything runs in one process, so the ratios compare like with like. Each
 * size's program runs `repeat` times after one warm-up run, and the policies
 * are evaluated three times after each; medians are reported (min and max
 * alongside). Each phase starts after a full garbage
 * collection: a 5,000-container program run leaves gigabytes of garbage that
 * would otherwise be collected, and counted, during policy evaluation.
 */
import { runProgram } from "../cli/commands/preview/program/runProgram";
import { StackSettings } from "../cli/commands/preview/stack/stackSettings";
import { evaluatePolicies } from "../policies/evaluate";
import { policies, policyNames } from "../policies/pack";
import { readPackConfig } from "../policies/policyConfig";
import { CONTAINER_TYPE, NETWORK_TYPE } from "../readers/pulumi/resourceFields";
import { Spread, peakRssMb, round1, spread, timed } from "./stats";
import { StackSize, syntheticProgram } from "./syntheticStack";

const DEFAULT_SIZES: readonly StackSize[] = [
    { containers: 100, networks: 20 },
    { containers: 1000, networks: 200 },
    { containers: 5000, networks: 1000 },
];

const SETTINGS: StackSettings = { project: "bench", stack: "bench", config: {}, secretKeys: [] };

/** A deny entry that matches, so forbidden-flows computes reachability instead of returning early. */
const PACK_CONFIG = readPackConfig({ "docker-forbidden-flows": { deny: [{ from: "*-svc1*", to: "dual1*" }] } }, policyNames);

/** Policy evaluations timed after each program run. */
const POLICY_RUNS_PER_PROGRAM = 3;

/** The targets: policies take at most a tenth of a preview, and 5x the containers costs at most 6x the time. */
const MAX_POLICY_SHARE = 0.1;
const MAX_GROWTH_1K_TO_5K = 6;

interface Options {
    readonly json: boolean;
    readonly repeat: number;
    readonly sizes: readonly StackSize[];
}

function readOptions(argv: readonly string[]): Options {
    const valueOf = (flag: string) => {
        const i = argv.indexOf(flag);
        return i >= 0 ? argv[i + 1] : undefined;
    };
    const repeat = Number(valueOf("--repeat") ?? 3);
    if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a whole number ≥ 1, got ${valueOf("--repeat")}`);
    const sizesText = valueOf("--sizes");
    const sizes = sizesText
        ? sizesText.split(",").map((text) => {
              const match = /^(\d+)x(\d+)$/.exec(text.trim());
              if (!match) throw new Error(`--sizes takes CONTAINERSxNETWORKS,… (e.g. 100x20,1000x200), got "${text}"`);
              return { containers: Number(match[1]), networks: Number(match[2]) };
          })
        : DEFAULT_SIZES;
    return { json: argv.includes("--json"), repeat, sizes };
}

interface SizeResult extends StackSize {
    readonly program: Spread;
    readonly policy: Spread;
    readonly violations: number;
    readonly peakRssMb: number;
}

/** A full collection (the script runs node with --expose-gc), so that no phase pays for the garbage of the one before. */
function collectGarbage(): void {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error("run node with --expose-gc (npm run bench does)");
    gc();
}

/** Runs the program and evaluates the pack once; checks the program declared what was asked. */
async function measureOnce(size: StackSize): Promise<{ programMs: number; policyMs: number[]; violations: number }> {
    collectGarbage();
    const program = await timed(() => runProgram(syntheticProgram(size), SETTINGS));
    const { resources } = program.result;
    const count = (type: string) => resources.filter((resource) => resource.type === type).length;
    if (count(CONTAINER_TYPE) !== size.containers || count(NETWORK_TYPE) !== size.networks) {
        throw new Error(`the synthetic program declared ${count(CONTAINER_TYPE)} containers on ${count(NETWORK_TYPE)} nets, not ${JSON.stringify(size)}`);
    }
    // Policy evaluation is short and noisy: time it a few times per program run (nothing is cached between calls).
    const policyMs: number[] = [];
    let violations = 0;
    for (let i = 0; i < POLICY_RUNS_PER_PROGRAM; i++) {
        collectGarbage();
        const policy = await timed(() => evaluatePolicies(policies, resources, PACK_CONFIG));
        policyMs.push(policy.ms);
        violations = policy.result.length;
    }
    return { programMs: program.ms, policyMs, violations };
}

async function measure(size: StackSize, repeat: number, log: (line: string) => void): Promise<SizeResult> {
    const programMs: number[] = [];
    const policyMs: number[] = [];
    let violations = 0;
    for (let i = 0; i < repeat; i++) {
        const run = await measureOnce(size);
        programMs.push(run.programMs);
        policyMs.push(...run.policyMs);
        violations = run.violations;
        log(`  ${size.containers} containers / ${size.networks} nets, run ${i + 1}/${repeat}: program ${run.programMs.toFixed(0)} ms, policies ${run.policyMs.map((ms) => ms.toFixed(0)).join(", ")} ms`);
    }
    return { ...size, program: spread(programMs), policy: spread(policyMs), violations, peakRssMb: peakRssMb() };
}

function formatSpread(value: Spread): string {
    return `${value.median.toFixed(0)} (${value.min.toFixed(0)}–${value.max.toFixed(0)})`;
}

function printTable(results: readonly SizeResult[]): void {
    const header = ["containers", "networks", "program ms", "policy ms", "policy/program", "policy growth", "violations", "peak RSS MB"];
    const rows = results.map((result, i) => {
        const previous = results[i - 1];
        return [
            String(result.containers),
            String(result.networks),
            formatSpread(result.program),
            formatSpread(result.policy),
            `${((100 * result.policy.median) / result.program.median).toFixed(1)}%`,
            previous ? `${(result.policy.median / previous.policy.median).toFixed(2)}× (size ${(result.containers / previous.containers).toFixed(0)}×)` : "–",
            String(result.violations),
            result.peakRssMb.toFixed(0),
        ];
    });
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
    const line = (cells: string[]) => cells.map((cell, column) => cell.padStart(widths[column])).join("  ");
    console.log(line(header));
    for (const row of rows) console.log(line(row));
    console.log("Times: median (min–max) in ms. Peak RSS is the process's high-water mark so far (sizes run smallest first).");
}

/** Checks those targets on the sizes that have them; prints one line each. */
function printTargets(results: readonly SizeResult[]): void {
    const at = (containers: number) => results.find((result) => result.containers === containers);
    const big = at(5000);
    const mid = at(1000);
    if (big) {
        const share = big.policy.median / big.program.median;
        console.log(`policy/program at 5,000 containers: ${(100 * share).toFixed(1)}% (target ≤ ${100 * MAX_POLICY_SHARE}%) ${share <= MAX_POLICY_SHARE ? "OK" : "MISSED"}`);
    }
    if (big && mid) {
        const growth = big.policy.median / mid.policy.median;
        console.log(`policy growth 1,000→5,000 containers: ${growth.toFixed(2)}× (target ≤ ${MAX_GROWTH_1K_TO_5K}×) ${growth <= MAX_GROWTH_1K_TO_5K ? "OK" : "MISSED"}`);
    }
}

async function main(): Promise<void> {
    const options = readOptions(process.argv.slice(2));
    const log = (line: string) => process.stderr.write(`${line}\n`);
    log("warm-up");
    await measureOnce(options.sizes[0]);
    const results: SizeResult[] = [];
    for (const size of options.sizes) results.push(await measure(size, options.repeat, log));

    if (options.json) {
        const sizes = results.map((result) => ({
            containers: result.containers,
            networks: result.networks,
            programMs: round1(result.program.median),
            policyMs: round1(result.policy.median),
            peakRssMb: round1(result.peakRssMb),
            programMsMin: round1(result.program.min),
            programMsMax: round1(result.program.max),
            policyMsMin: round1(result.policy.min),
            policyMsMax: round1(result.policy.max),
            violations: result.violations,
        }));
        console.log(JSON.stringify({ sizes }, null, 2));
    } else {
        printTable(results);
        printTargets(results);
    }
}

main().catch((err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
});
