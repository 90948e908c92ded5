/**
 * Runs a Pulumi program in-process under Pulumi's mock runtime: no Pulumi
 * CLI, no backend, no Docker daemon. Every resource registration is recorded
 * with its inputs, parent and property dependencies, the way the engine
 * would hand them to a policy pack.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import Module from "module";
import * as path from "path";
import { resetProgramChildNames } from "../../components/naming";
import { resetProgramSubnets } from "../../components/subnetAllocator";
import { RegisteredResource } from "../../policies/engineArgs";
import { CONTAINER_TYPE, NETWORK_TYPE } from "../../topology/fromPulumi";
import { UserError } from "../errors";
import { EngineUrns } from "./engineUrns";
import { PredictedIpam } from "./predictedIpam";
import { StackSettings } from "./stackSettings";

export interface ProgramRun {
    /** Every resource the program registered, in registration order (the stack first). */
    readonly resources: RegisteredResource[];
    /** The stack's outputs, resolved. */
    readonly outputs: Record<string, unknown>;
}

/** The package root: its own sources (cli, components, ...) are below it. */
const PACKAGE_ROOT = path.resolve(__dirname, "..", "..");

/**
 * Fills in what the Docker provider's `Check` would before the engine sees
 * the inputs: an auto-name for networks and containers without one.
 */
function withProviderDefaults(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    if ((type === NETWORK_TYPE || type === CONTAINER_TYPE) && (inputs.name === undefined || inputs.name === "")) {
        const suffix = createHash("sha256").update(name).digest("hex").slice(0, 7);
        return { ...inputs, name: `${name}-${suffix}` };
    }
    return inputs;
}

/** Mocks that echo inputs as state, as the provider would after create, with predicted addresses. */
function dockerMocks(ipam: PredictedIpam): pulumi.runtime.Mocks {
    return {
        newResource(args: pulumi.runtime.MockResourceArgs) {
            const state = withProviderDefaults(args.type, args.name, args.inputs);
            if (args.type === NETWORK_TYPE) ipam.addNetwork(state);
            if (args.type === CONTAINER_TYPE) state.networkDatas = ipam.attach(state);
            return { id: args.custom ? `${args.name}-id` : undefined, state };
        },
        call(args: pulumi.runtime.MockCallArgs) {
            return args.inputs;
        },
    };
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): unknown;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): Map<string, { getUrnsList(): string[] }> | undefined;
}
type RegisterCallback = (err: Error | null, response?: { getUrn(): string }) => void;
interface RecordableMonitor {
    registerResource(req: RegisterRequest, callback: RegisterCallback): void;
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
                const inputs = pulumi.runtime.deserializeProperties(req.getObject() as never) as Record<string, unknown>;
                resources.push({
                    urn: urns.add(response.getUrn(), req.getType(), req.getName(), req.getParent() || null),
                    type: req.getType(),
                    name: req.getName(),
                    custom: req.getCustom(),
                    parent: req.getParent() ? urns.of(req.getParent()) : null,
                    inputs: withProviderDefaults(req.getType(), req.getName(), inputs),
                    propertyDependencies,
                    dependencies: engineUrns(req.getDependenciesList()),
                });
            }
            callback(err, response);
        });
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

/** Turns whatever a program threw into one readable paragraph. */
function describeFailure(err: unknown): string {
    if (err instanceof Error) return err.message.replace(/\s+/g, " ").trim();
    return String(err);
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
}

/**
 * Runs the program with the given settings and returns what it registered.
 * A program that throws (at load or in an apply) is a {@link UserError}
 * carrying its message.
 */
export async function runProgram(program: Program, settings: StackSettings, options: RunOptions = {}): Promise<ProgramRun> {
    const stackTraceLimit = Error.stackTraceLimit;
    if (!options.stackTraces) Error.stackTraceLimit = 0;
    resetProgramSubnets();
    resetProgramChildNames();
    pulumi.runtime.setAllConfig(settings.config, settings.secretKeys);
    await pulumi.runtime.setMocks(dockerMocks(new PredictedIpam()), settings.project, settings.stack, false);
    const resources: RegisteredResource[] = [];
    recordRegistrations(pulumi.runtime.getMonitor() as unknown as RecordableMonitor, resources);

    const failures: unknown[] = [];
    const onFailure = (err: unknown) => failures.push(err);
    process.on("unhandledRejection", onFailure);
    try {
        const outputs = await pulumi.runtime.runInPulumiStack(async () => loadProgram(program));
        await pulumi.runtime.disconnect(); // waits for every outstanding registration
        // Let rejected registrations surface before deciding the run succeeded.
        await new Promise((resolve) => setImmediate(resolve));
        if (failures.length > 0) throw failures[0];
        return { resources, outputs: (outputs ?? {}) as Record<string, unknown> };
    } catch (err) {
        const name = typeof program === "string" ? path.relative(process.cwd(), program) || program : "program";
        throw new UserError(`the ${name === "program" ? "program" : `program ${name}`} failed: ${describeFailure(err)}`, err);
    } finally {
        process.off("unhandledRejection", onFailure);
        Error.stackTraceLimit = stackTraceLimit;
    }
}
