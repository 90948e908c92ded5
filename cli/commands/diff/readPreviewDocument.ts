/**
 * Reads a `netguard preview --json` document from a file and checks the parts
 * that `netguard diff` relies on, so that a truncated file or the output of
 * some other command fails with a message naming the file and the field,
 * not with a TypeError deep inside the comparison.
 */
import { excerpt } from "../../../text/excerpt";
import { PreviewDocument } from "../../../document/previewDocument";
import { UserError } from "../../errors";
import { InputLimits, inputLimits, parseJsonInput, readInputFile } from "../../inputFile";

type Json = unknown;

/** A problem at one place in the document: `path` like `networks[2].name`. */
class ShapeError extends Error {
    constructor(readonly path: string, readonly expected: string, readonly actual: Json) {
        super(`${path} must be ${expected}, not ${describe(actual)}`);
    }
}

function describe(value: Json): string {
    return value === undefined ? "missing" : excerpt(value);
}

function isObject(value: Json): value is Record<string, Json> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function object(value: Json, path: string): Record<string, Json> {
    if (!isObject(value)) throw new ShapeError(path, "an object", value);
    return value;
}

function list(value: Json, path: string): Json[] {
    if (!Array.isArray(value)) throw new ShapeError(path, "a list", value);
    return value;
}

function string(value: Json, path: string): string {
    if (typeof value !== "string") throw new ShapeError(path, "a string", value);
    return value;
}

function stringOrNull(value: Json, path: string): string | null {
    if (value !== null && typeof value !== "string") throw new ShapeError(path, "a string or null", value);
    return value;
}

function boolean(value: Json, path: string): boolean {
    if (typeof value !== "boolean") throw new ShapeError(path, "true or false", value);
    return value;
}

function portNumber(value: Json, path: string): number {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 65535) throw new ShapeError(path, "a port number (0-65535)", value);
    return value;
}

function oneOf<T extends string>(value: Json, path: string, allowed: readonly T[]): T {
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) throw new ShapeError(path, allowed.map((a) => `"${a}"`).join(" or "), value);
    return value as T;
}

function count(value: Json, path: string): number {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) throw new ShapeError(path, "a whole number, 0 or more", value);
    return value;
}

function strings(value: Json, path: string): string[] {
    return list(value, path).map((item, i) => string(item, `${path}[${i}]`));
}

/** Checks the shape and returns a document with only the known fields. */
export function parsePreviewDocument(value: Json): PreviewDocument {
    const doc = object(value, "the document");
    const networks = list(doc.networks, "networks").map((item, i) => {
        const at = `networks[${i}]`;
        const network = object(item, at);
        return {
            name: string(network.name, `${at}.name`),
            dockerName: stringOrNull(network.dockerName ?? null, `${at}.dockerName`),
            driver: network.driver === undefined ? "bridge" : string(network.driver, `${at}.driver`),
            subnet: stringOrNull(network.subnet ?? null, `${at}.subnet`),
            gateway: stringOrNull(network.gateway ?? null, `${at}.gateway`),
            ipRange: stringOrNull(network.ipRange ?? null, `${at}.ipRange`),
            internal: boolean(network.internal ?? false, `${at}.internal`),
            interContainer: boolean(network.interContainer ?? true, `${at}.interContainer`),
            // Documents from before swarm was modelled have local networks only.
            scope: oneOf(network.scope ?? "local", `${at}.scope`, ["local", "swarm"] as const),
            attachable: boolean(network.attachable ?? false, `${at}.attachable`),
            encrypted: boolean(network.encrypted ?? false, `${at}.encrypted`),
            ...(boolean(network.ingress ?? false, `${at}.ingress`) ? { ingress: true as const } : {}),
        };
    });
    const containers = list(doc.containers, "containers").map((item, i) => {
        const at = `containers[${i}]`;
        const container = object(item, at);
        return {
            name: string(container.name, `${at}.name`),
            dockerName: stringOrNull(container.dockerName ?? null, `${at}.dockerName`),
            kind: oneOf(container.kind ?? "container", `${at}.kind`, ["container", "service"] as const),
            replicas: container.replicas === undefined || container.replicas === null ? null : count(container.replicas, `${at}.replicas`),
            networkMode: stringOrNull(container.networkMode ?? null, `${at}.networkMode`),
            attachments: list(container.attachments, `${at}.attachments`).map((entry, j) => {
                const attachment = object(entry, `${at}.attachments[${j}]`);
                return {
                    network: string(attachment.network, `${at}.attachments[${j}].network`),
                    aliases: strings(attachment.aliases ?? [], `${at}.attachments[${j}].aliases`),
                    ipv4Address: stringOrNull(attachment.ipv4Address ?? null, `${at}.attachments[${j}].ipv4Address`),
                    ...(boolean(attachment.routingMesh ?? false, `${at}.attachments[${j}].routingMesh`) ? { routingMesh: true as const } : {}),
                };
            }),
            dualHomed: boolean(container.dualHomed ?? false, `${at}.dualHomed`),
            // Documents from before ports were modelled have none.
            ports: list(container.ports ?? [], `${at}.ports`).map((entry, j) => {
                const portAt = `${at}.ports[${j}]`;
                const port = object(entry, portAt);
                return {
                    internal: portNumber(port.internal, `${portAt}.internal`),
                    external: port.external === undefined || port.external === null ? null : portNumber(port.external, `${portAt}.external`),
                    ip: stringOrNull(port.ip ?? null, `${portAt}.ip`),
                    protocol: port.protocol === undefined ? "tcp" : string(port.protocol, `${portAt}.protocol`),
                };
            }),
        };
    });
    const reachability = list(doc.reachability, "reachability").map((item, i) => {
        const at = `reachability[${i}]`;
        const pair = object(item, at);
        return {
            from: string(pair.from, `${at}.from`),
            to: string(pair.to, `${at}.to`),
            networks: strings(pair.networks, `${at}.networks`),
            byName: boolean(pair.byName, `${at}.byName`),
        };
    });
    const violations = list(doc.violations, "violations").map((item, i) => {
        const at = `violations[${i}]`;
        const violation = object(item, at);
        const level = string(violation.level, `${at}.level`);
        if (level !== "mandatory" && level !== "advisory") throw new ShapeError(`${at}.level`, `"mandatory" or "advisory"`, level);
        return {
            policy: string(violation.policy, `${at}.policy`),
            level: level as "mandatory" | "advisory",
            resource: stringOrNull(violation.resource ?? null, `${at}.resource`),
            name: stringOrNull(violation.name ?? null, `${at}.name`),
            message: string(violation.message, `${at}.message`),
        };
    });
    const resources = doc.resources === undefined ? [] : (list(doc.resources, "resources") as PreviewDocument["resources"]);
    // Not compared by diff; older documents have none.
    const notJudged = doc.notJudged === undefined ? [] : (list(doc.notJudged, "notJudged") as PreviewDocument["notJudged"]);
    return { resources, networks, containers, reachability, violations, notJudged };
}

/**
 * Reads and checks the document in `file` (`role` says which side it is,
 * e.g. "BASE"). Throws a {@link UserError} naming the file otherwise.
 */
export function readPreviewDocument(file: string, role: string, limits: InputLimits = inputLimits()): PreviewDocument {
    const label = `the ${role} preview ${file}`;
    const text = readInputFile(file, label, limits, "Pass the output of `netguard preview --json` saved to a file.");
    if (text.trim() === "") {
        throw new UserError(`${label} is empty: expected the JSON document that \`netguard preview --json\` prints (did the preview fail?).`);
    }
    const value = parseJsonInput(text, label, limits, "Expected the output of `netguard preview --json`.");
    try {
        return parsePreviewDocument(value);
    } catch (err) {
        if (err instanceof ShapeError) {
            throw new UserError(`${label} is not a \`netguard preview --json\` document: ${err.message}.`, err);
        }
        throw err;
    }
}
