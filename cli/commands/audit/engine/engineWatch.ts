/**
 * Watches the engine while the audit measures: a daemon that stops or
 * freezes mid-probe must fail the audit (exit 2), not turn into probes that
 * "reached nothing". The watch pings the engine once a second; a ping that
 * fails, or gets no answer within {@link HUNG_AFTER_MS}, marks the engine
 * lost, says when and where, and settles {@link EngineWatch.lost}.
 */
import { CONNECT_TIMEOUT_MS, DockerEngine, reasonOf, withTimeout } from "./dockerEngine";

/** An engine that does not answer a ping for this long is hung (the client gives up on a silent connection then too). */
export const HUNG_AFTER_MS = CONNECT_TIMEOUT_MS;
const PING_EVERY_MS = 1_000;

/** When and how the engine was lost. */
export interface EngineLoss {
    /** Milliseconds since the watch started (the start of the probe). */
    readonly afterMs: number;
    /** What the audit was doing. */
    readonly during: string;
    readonly message: string;
}

export interface EngineWatch {
    /** Resolves (never rejects) when the engine is lost; pending while it answers. */
    readonly lost: Promise<EngineLoss>;
    /** The loss, once it happened. */
    loss(): EngineLoss | undefined;
    /** Checks the engine now (e.g. after a request failed): the loss, if it is gone. */
    check(): Promise<EngineLoss | undefined>;
    stop(): void;
}

/** The message for an engine lost `afterMs` into `during`. */
export function engineLossMessage(engine: DockerEngine, during: string, afterMs: number, reason: string): string {
    return (
        `the Docker engine at ${engine.location.address} (${engine.location.source}) was lost ${(afterMs / 1000).toFixed(1)}s into ${during}: ${reason}. ` +
        "The measurement is incomplete; nothing measured is reported as reachability."
    );
}

export function watchEngine(engine: DockerEngine, during: string): EngineWatch {
    const started = Date.now();
    let loss: EngineLoss | undefined;
    let settle: (loss: EngineLoss) => void = () => undefined;
    const lost = new Promise<EngineLoss>((resolve) => (settle = resolve));
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;

    const check = async (): Promise<EngineLoss | undefined> => {
        if (loss || stopped) return loss;
        const at = Date.now();
        try {
            await withTimeout(engine.docker.ping(), HUNG_AFTER_MS, `no answer to a ping within ${HUNG_AFTER_MS / 1000}s (hung)`);
        } catch (err) {
            if (!loss && !stopped) {
                const afterMs = at - started;
                // A silent connection ends in the client's own timeout ("socket hang up"): say what it means.
                const silent = Date.now() - at >= HUNG_AFTER_MS * 0.9;
                const reason = silent ? `no answer to a ping within ${HUNG_AFTER_MS / 1000}s (hung)` : reasonOf(err);
                loss = { afterMs, during, message: engineLossMessage(engine, during, afterMs, reason) };
                settle(loss);
            }
        }
        return loss;
    };
    const tick = () => {
        timer = setTimeout(() => {
            void check().then(() => {
                if (!stopped && !loss) tick();
            });
        }, PING_EVERY_MS);
    };
    tick();
    return {
        lost,
        loss: () => loss,
        check,
        stop() {
            stopped = true;
            clearTimeout(timer);
        },
    };
}
