/** Timing helpers shared by the benchmarks. */

/** Median, min and max of some samples (milliseconds). */
export interface Spread {
    readonly median: number;
    readonly min: number;
    readonly max: number;
}

export function spread(samples: readonly number[]): Spread {
    if (samples.length === 0) throw new Error("no samples");
    const sorted = [...samples].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** Runs `work` and returns its result with the wall time it took, in milliseconds. */
export async function timed<T>(work: () => Promise<T> | T): Promise<{ result: T; ms: number }> {
    const start = process.hrtime.bigint();
    const result = await work();
    return { result, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

/** Peak resident set size of this process so far, in MiB (`maxRSS` is in KiB). */
export function peakRssMb(): number {
    return process.resourceUsage().maxRSS / 1024;
}

/** A number rounded to one decimal place, for tables and JSON. */
export function round1(value: number): number {
    return Math.round(value * 10) / 10;
}
