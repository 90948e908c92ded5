/** Runs the jobs with at most `limit` of them in flight (each starts processes of its own). */
export async function inPool<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
    const results: T[] = new Array(jobs.length);
    let next = 0;
    const worker = async () => {
        while (next < jobs.length) {
            const index = next++;
            results[index] = await jobs[index]();
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
    return results;
}
