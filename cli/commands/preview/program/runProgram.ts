/**
 * Runs a Pulumi program in-process under Pulumi's mock runtime: no Pulumi
 * CLI, no backend, no Docker daemon. It runs as `pulumi preview` runs it
 * (dry run): nothing exists yet, so a resource's state is its inputs and
 * whatever the provider would compute (ids, a Command's `stdout`, a
 * container's `networkDatas`, …) is unknown; `apply` callbacks on unknown
 * values are skipped, exactly as during a real preview. Every resource
 * registration is recorded with its inputs, parent and property
 * dependencies, the way the engine hands them to a policy pack.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import Module from "module";
import * as path from "path";
import { resetProgramState } from "../../../../components/programState";
import { SECRET_PLACEHOLDER, UNKNOWN_SENTINEL, analyzerProps, isSecretWrapper } from "../../../../policies/analyzerProps";
import { RegisteredResource } from "../../../../policies/engineArgs";
import { CONTAINER_TYPE, NETWORK_TYPE } from "../../../../readers/pulumi/resourceFields";
import { UserError } from "../../../errors";
import { EngineUrns } from "./engineUrns";
import { DEFAULT_PROGRAM_TIMEOUT_SECONDS, ProgramStalled, describeFailure } from "./programFailure";
import { StackSettings } from "../stack/stackSettings";

export interface ProgramRun {
    /** Every resource the program registered, in registration order (the stack first). */
    readonly resources: RegisteredResource[];
    /**
     * The stack's outputs as a preview shows them: values unknown during a
     * preview as {@link UNKNOWN_OUTPUT}, secrets as `[secret]`.
     */
    readonly outputs: Record<string, unknown>;
}

/** How a stack output that is unknown during a preview is shown. */
export const UNKNOWN_OUTPUT = "(unknown during preview)";

/** The package root: its own sources (cli, components, ...) are below it. */
const PACKAGE_ROOT = path.resolve(__dirname, "..", "..", "..", "..");

/**
 * Fills in what the Docker provider's `Check` would before the engine sees
 * the inputs: an auto-name for networks and containers without one (known
 * during a preview, as Check computes it).
 */
function withProviderDefaults(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    if ((type === NETWORK_TYPE || type === CONTAINER_TYPE) && (inputs.name === undefined || inputs.name === "")) {
        const suffix = createHash("sha256").update(name).digest("hex").slice(0, 7);
        return { ...inputs, name: `${name}-${suffix}` };
    }
    return inputs;
}

/**
 * Mocks that answer as the engine does during a preview of a new stack: the
 * state of a resource to create is its checked inputs; its id and every
 * computed output are left out, which a dry run resolves as unknown.
 */
const previewMocks: pulumi.runtime.Mocks = {
    newResource(args: pulumi.runtime.MockResourceArgs) {
        return { id: undefined, state: withProviderDefaults(args.type, args.name, args.inputs) };
    },
    call(args: pulumi.runtime.MockCallArgs) {
        return args.inputs;
    },
};

interface ProtoStruct {
    toJavaScript(): Record<string, unknown>;
}
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): ProtoStruct;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): Map<string, { getUrnsList(): string[] }> | undefined;
}
type RegisterCallback = (err: Error | null, response?: { getUrn(): string; getObject(): ProtoStruct | undefined }) => void;
interface RegisterOutputsRequest {
    getUrn(): string;
    getOutputs(): ProtoStruct | undefined;
}
interface RecordableMonitor {
    registerResource(req: RegisterRequest, callback: RegisterCallback): void;
    registerResourceOutputs(req: RegisterOutputsRequest, callback: (err: Error | null, response?: unknown) => void): void;
}

/** Wraps the mock monitor so every registration is recorded once it has its URN. */
function recordRegistrations(monitor: RecordableMonitor, resources: RegisteredResource[]): void {
    const register = monitor.registerResource.bind(monitor);
    const urns = new EngineUrns();
    const engineUrns = (mockUrns: string[]) => mockUrns.map((urn) => urns.of(urn));
    monitor.registerResource = (req, callback) => {
        register(req, (err, response) => {
            if (!err && response) {
                const propertyDependencies: Record<string, string[]> = {};
                for (const [key, deps] of req.getPropertydependenciesMap()?.entries() ?? []) propertyDependencies[key] = engineUrns(deps.getUrnsList());
                const { props, secrets } = analyzerProps(req.getObject().toJavaScript());
                resources.push({
                    urn: urns.add(response.getUrn(), req.getType(), req.getName(), req.getParent() || null),
                    type: req.getType(),
                    name: req.getName(),
                    custom: req.getCustom(),
                    parent: req.getParent() ? urns.of(req.getParent()) : null,
                    inputs: withProviderDefaults(req.getType(), req.getName(), props),
                    propertyDependencies,
                    dependencies: engineUrns(req.getDependenciesList()),
                    secrets,
                    outputs: response.getObject()?.toJavaScript() ?? {},
                });
            }
            callback(err, response);
        });
    };
}

/** A serialized value as a preview prints it: unknowns and secrets by a placeholder. */
function displayValue(value: unknown): unknown {
    if (value === UNKNOWN_SENTINEL) return UNKNOWN_OUTPUT;
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map(displayValue);
    if (isSecretWrapper(value)) return SECRET_PLACEHOLDER;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, displayValue(item)]));
}

/**
 * Wraps the mock monitor so the stack's own outputs are kept as they were
 * serialized (knowing what is unknown or secret). Outputs of a resource this
 * monitor never registered come from an earlier run in this process that
 * failed before its stack registered its outputs: they are dropped, not
 * taken for a failure of this run.
 */
function recordStackOutputs(monitor: RecordableMonitor & { resources?: Map<string, unknown> }, outputs: { value: Record<string, unknown> }): void {
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, callback) => {
        if (monitor.resources && !monitor.resources.has(req.getUrn())) {
            callback(null, {});
            return;
        }
        if (req.getUrn().split("::")[2] === "pulumi:pulumi:Stack") {
            outputs.value = Object.fromEntries(Object.entries(req.getOutputs()?.toJavaScript() ?? {}).map(([key, item]) => [key, displayValue(item)]));
        }
        registerOutputs(req, callback);
    };
}

/**
 * The Pulumi SDKs, which must be the copy this CLI mocked: a program with its
 * own copy would register with no engine at all. Everything else, including
 * `docker-netguard`, resolves from the program's own node_modules, as it would
 * under `pulumi preview`.
 */
const SHARED_PACKAGES = /^@pulumi\/(pulumi|docker|command|policy)(\/|$)/;

type Resolve = (request: string, parent: unknown, isMain: boolean, options?: { paths?: string[] }) => string;

/** Resolves the Pulumi SDKs from where this CLI resolves them. */
function withSharedPackages<T>(run: () => T): T {
    const loader = Module as unknown as { _resolveFilename: Resolve };
    const original = loader._resolveFilename;
    loader._resolveFilename = function (request, parent, isMain, options) {
        if (!SHARED_PACKAGES.test(request)) return original.call(this, request, parent, isMain, options);
        return original.call(this, request, parent, isMain, { paths: [__dirname] });
    };
    try {
        return run();
    } finally {
        loader._resolveFilename = original;
    }
}

/** This tool's own modules: kept loaded across runs (the program's are not). */
const OWN_SOURCES = ["cli", "components", "policies", "topology"].map((dir) => path.join(PACKAGE_ROOT, dir) + path.sep);

/** Forgets the program's own modules, so that a second run in one process runs it again. */
function forgetProgramModules(): void {
    for (const id of Object.keys(require.cache)) {
        const ours = id.includes(`${path.sep}node_modules${path.sep}`) || OWN_SOURCES.some((dir) => id.startsWith(dir));
        if (!ours) delete require.cache[id];
    }
}

/** A program: the path of its entry module, or (for tests) a function that declares resources. */
export type Program = string | (() => unknown);

function loadProgram(program: Program): unknown {
    if (typeof program === "function") return program();
    forgetProgramModules();
    const exported = withSharedPackages(() => require(program));
    // `export = async () => {...}` programs return their outputs from a function.
    if (typeof exported === "function") return exported();
    return typeof exported?.default === "function" ? exported.default() : exported;
}

export interface RunOptions {
    /**
     * Keep stack traces of errors (for `--debug`). Off by default: Pulumi's
     * runtime records a stack trace for every promise it creates, which
     * dominates the run time of large programs.
     */
    readonly stackTraces?: boolean;
    /** Give the program up after this many seconds (default {@link DEFAULT_PROGRAM_TIMEOUT_SECONDS}). */
    readonly timeoutSeconds?: number;
}

/** Errors a failed run was reported with: when they surface again later (in-process callers run again), they are not the new run's. */
const reported = new WeakSet<object>();

/** Pulumi's list of promises it reports as leaked at exit (internal to `@pulumi/pulumi`). */
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { leakedPromises?(): unknown };

/** Where an error nobody handled goes: the run being watched, if any. */
let activeRunFailed: ((err: unknown) => void) | undefined;

/**
 * Installed once: unhandled rejections go to the run being watched. Between
 * runs they are leftovers of a failed run (already reported; in-process
 * callers may run again) and are absorbed rather than crash the process.
 */
function listenForUnhandledRejections(): void {
    if (process.listeners("unhandledRejection").includes(forwardRejection)) return;
    process.on("unhandledRejection", forwardRejection);
}
function forwardRejection(err: unknown): void {
    if (!(err instanceof Object && reported.has(err))) activeRunFailed?.(err);
}

/**
 * Settles with `run`, or rejects as soon as the run has failed or can no
 * longer finish:
 * - the program left an error nobody handles (a rejected promise, a throw in a
 *   callback): that error, at once, since what waits on it would never finish;
 * - Node's event loop ran dry while the run was pending (it waits on a promise
 *   nothing will settle): {@link ProgramStalled};
 * - the time ran out: {@link ProgramStalled}. The timer does not keep the
 *   process alive, so a dry loop is still noticed at once.
 */
function watchRun<T>(run: Promise<T>, timeoutSeconds: number): Promise<T> {
    let stopWatching = () => undefined as void;
    const watched = new Promise<T>((resolve, reject) => {
        const drained = () => reject(new ProgramStalled("never finished: it waits on values that nothing will resolve (a promise that never settles, or resources that wait on each other)"));
        const timer = setTimeout(
            () => reject(new ProgramStalled(`did not finish within ${timeoutSeconds} s (raise the limit with --timeout SECONDS or NETGUARD_PROGRAM_TIMEOUT)`)),
            timeoutSeconds * 1000,
        );
        timer.unref();
        listenForUnhandledRejections();
        activeRunFailed = reject;
        process.on("uncaughtException", reject);
        process.once("beforeExit", drained);
        stopWatching = () => {
            clearTimeout(timer);
            if (activeRunFailed === reject) activeRunFailed = undefined;
            process.off("uncaughtException", reject);
            process.off("beforeExit", drained);
        };
        run.then(resolve, reject);
    });
    return watched.finally(() => stopWatching());
}

/**
 * Runs the program with the given settings and returns what it registered.
 * Every way a program can fail is a {@link UserError} (exit 2) that starts
 * with the program's own message: a throw at load, in a component's
 * constructor or in an apply (also one that a resource's input waits on), a
 * rejected promise nobody handles, an error thrown from a callback, a run
 * that can never finish or does not finish in time.
 */
export async function runProgram(program: Program, settings: StackSettings, options: RunOptions = {}): Promise<ProgramRun> {
    const stackTraceLimit = Error.stackTraceLimit;
    if (!options.stackTraces) Error.stackTraceLimit = 0;
    resetProgramState();
    pulumi.runtime.setAllConfig(settings.config, settings.secretKeys);
    await pulumi.runtime.setMocks(previewMocks, settings.project, settings.stack, true);
    const resources: RegisteredResource[] = [];
    const stackOutputs = { value: {} as Record<string, unknown> };
    const monitor = pulumi.runtime.getMonitor() as unknown as RecordableMonitor;
    recordRegistrations(monitor, resources);
    recordStackOutputs(monitor, stackOutputs);

    const loggedErrorsBefore = pulumi.log.hasErrors();
    try {
        const run = async () => {
            await pulumi.runtime.runInPulumiStack(async () => loadProgram(program));
            await pulumi.runtime.disconnect(); // waits for every outstanding registration
            // Let rejected registrations surface before deciding the run succeeded.
            await new Promise((resolve) => setImmediate(resolve));
        };
        await watchRun(run(), options.timeoutSeconds ?? DEFAULT_PROGRAM_TIMEOUT_SECONDS);
        // `pulumi.log.error` fails a real deployment too; Pulumi has printed the message on stderr.
        if (!loggedErrorsBefore && pulumi.log.hasErrors()) throw new Error("it logged an error with pulumi.log.error (printed above)");
        return { resources, outputs: stackOutputs.value };
    } catch (err) {
        if (err instanceof Object) reported.add(err);
        // What a failed run leaves pending is not a leak for Pulumi to report when the process exits.
        debuggable.leakedPromises?.();
        const subject = typeof program === "string" ? `the program ${path.relative(process.cwd(), program) || program}` : "the program";
        if (err instanceof ProgramStalled) throw new UserError(`${subject} ${err.message}`, err);
        throw new UserError(`${subject} failed: ${describeFailure(err)}`, err);
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
    }
}
