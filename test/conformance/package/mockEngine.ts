/**
 * A Pulumi engine small enough for a test, over the same gRPC API the real
 * one serves: a resource monitor that records every registration and echoes
 * the inputs as state (as a preview would), and an engine service for logs
 * and the root resource. `@pulumi/pulumi/cmd/run` and policy packs connect
 * to it as they would to the CLI. It listens on 127.0.0.1 only.
 */
import * as grpc from "@grpc/grpc-js";

/* eslint-disable @typescript-eslint/no-require-imports */
const resourceGrpc = require("@pulumi/pulumi/proto/resource_grpc_pb");
const engineGrpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
const resourcePb = require("@pulumi/pulumi/proto/resource_pb");
const enginePb = require("@pulumi/pulumi/proto/engine_pb");
const emptyPb = require("google-protobuf/google/protobuf/empty_pb");

export interface Registration {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly parent: string;
    readonly custom: boolean;
    /** Inputs as the SDK serialized them (plain values stay plain). */
    readonly inputs: Record<string, unknown>;
}

export interface MockEngine {
    /** `127.0.0.1:PORT`, for `--monitor` / `--engine` and a policy pack's engine argument. */
    readonly address: string;
    readonly registrations: Registration[];
    /** Outputs registered per URN (the stack's exports among them). */
    readonly outputs: Map<string, Record<string, unknown>>;
    readonly logs: string[];
    stop(): Promise<void>;
}

interface Call<T> {
    request: T;
}
type Callback = (err: grpc.ServiceError | null, response?: unknown) => void;
interface StructLike {
    toJavaScript(): Record<string, unknown>;
}

export async function startMockEngine(project: string, stack: string): Promise<MockEngine> {
    const registrations: Registration[] = [];
    const outputs = new Map<string, Record<string, unknown>>();
    const logs: string[] = [];
    let root = "";
    const server = new grpc.Server();

    server.addService(resourceGrpc.ResourceMonitorService, {
        supportsFeature(_call: Call<unknown>, callback: Callback) {
            // No optional feature: the SDK then sends plain values and URNs.
            const response = new resourcePb.SupportsFeatureResponse();
            response.setHassupport(false);
            callback(null, response);
        },
        registerResource(call: Call<{ getType(): string; getName(): string; getParent(): string; getCustom(): boolean; getObject(): StructLike | undefined }>, callback: Callback) {
            const req = call.request;
            const parentType = registrations.find((r) => r.urn === req.getParent())?.type;
            const qualifiedType = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${req.getType()}` : req.getType();
            const urn = `urn:pulumi:${stack}::${project}::${qualifiedType}::${req.getName()}`;
            const inputs = req.getObject()?.toJavaScript() ?? {};
            registrations.push({ type: req.getType(), name: req.getName(), urn, parent: req.getParent(), custom: req.getCustom(), inputs });
            const response = new resourcePb.RegisterResourceResponse();
            response.setUrn(urn);
            response.setId(req.getCustom() ? `${req.getName()}-id` : "");
            if (req.getObject()) response.setObject(req.getObject());
            callback(null, response);
        },
        registerResourceOutputs(call: Call<{ getUrn(): string; getOutputs(): StructLike | undefined }>, callback: Callback) {
            outputs.set(call.request.getUrn(), call.request.getOutputs()?.toJavaScript() ?? {});
            callback(null, new emptyPb.Empty());
        },
    });
    server.addService(engineGrpc.EngineService, {
        log(call: Call<{ getMessage(): string }>, callback: Callback) {
            logs.push(call.request.getMessage());
            callback(null, new emptyPb.Empty());
        },
        getRootResource(_call: Call<unknown>, callback: Callback) {
            const response = new enginePb.GetRootResourceResponse();
            response.setUrn(root);
            callback(null, response);
        },
        setRootResource(call: Call<{ getUrn(): string }>, callback: Callback) {
            root = call.request.getUrn();
            callback(null, new enginePb.SetRootResourceResponse());
        },
    });

    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
    );
    return {
        address: `127.0.0.1:${port}`,
        registrations,
        outputs,
        logs,
        stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
    };
}
