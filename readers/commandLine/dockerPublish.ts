/**
 * Published ports as Docker's CLI reads them: `-p`/`--publish` of `docker
 * run` (`[IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`) and of `docker service
 * create` (the same short syntax, or the long syntax
 * `published=8080,target=80,protocol=udp,mode=host`).
 */
import { Refused, csvRecord, isLongSyntax, isRefused } from "./dockerCliArgs";
import { tryParseIp } from "../../addressing/cidr";
import { parseContainerPort, portRange } from "../../topology/dockerSemantics";
import { PublishedPort } from "../../topology/model";

/**
 * One `-p`/`--publish` value, read as Docker's CLI reads it:
 * `[IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`, the IP in brackets when it is
 * IPv6 (unbracketed, all but the last two parts are the IP), ranges paired
 * port by port. A host range for one container port lets Docker pick the
 * port (external unknown). Undefined when Docker would refuse the value.
 */
export function parsePublish(text: string): PublishedPort[] | undefined {
    let ip: string | undefined;
    let rest = text;
    if (text.startsWith("[")) {
        const close = text.indexOf("]:");
        if (close < 0) return undefined;
        ip = text.slice(1, close);
        rest = text.slice(close + 2);
    }
    const parts = rest.split(":");
    const containerPart = parts.pop() ?? "";
    const hostPart = parts.length > 0 ? parts.pop() ?? "" : "";
    if (parts.length > 0) {
        if (ip !== undefined) return undefined;
        ip = parts.join(":");
    }
    if (ip !== undefined && ip !== "" && !tryParseIp(ip)) return undefined;
    const container = parseContainerPort(containerPart);
    if (!container) return undefined;
    const host = hostPart === "" ? undefined : portRange(hostPart);
    if (hostPart !== "" && !host) return undefined;
    const [low, high] = container.range;
    const count = high - low + 1;
    if (host && count > 1 && host[1] - host[0] + 1 !== count) return undefined;
    const ports: PublishedPort[] = [];
    for (let i = 0; i < count; i++) {
        const external = host === undefined ? undefined : count > 1 || host[0] === host[1] ? host[0] + i : undefined;
        ports.push({ internal: low + i, ...(external === undefined ? {} : { external }), ...(ip ? { ip } : {}), protocol: container.protocol });
    }
    return ports;
}

const SERVICE_PORT_KEYS = new Set(["target", "published", "protocol", "mode"]);

/** Go's `strconv.ParseUint(text, 10, 16)`. */
function parseUint16(text: string): number | undefined {
    return /^\d+$/.test(text) && Number(text) <= 65535 ? Number(text) : undefined;
}

/** The long syntax of a service's `--publish` (`opts.PortOpt`). */
function parseServicePortFields(text: string): PublishedPort[] | Refused {
    const fields = csvRecord(text);
    if (isRefused(fields)) return fields;
    let internal = 0;
    let external = 0;
    let protocol = "tcp";
    let hostMode = false;
    for (const field of fields) {
        const eq = field.indexOf("=");
        const key = field.slice(0, Math.max(eq, 0));
        const value = field.slice(eq + 1);
        if (eq <= 0) return { refused: `invalid field ${field}` };
        if (!SERVICE_PORT_KEYS.has(key)) return { refused: `invalid field key: ${key}` };
        if (key === "protocol") {
            if (!["tcp", "udp", "sctp"].includes(value)) return { refused: `invalid protocol value '${value}'` };
            protocol = value;
        } else if (key === "mode") {
            if (value !== "ingress" && value !== "host") return { refused: `invalid publish mode value ${value}` };
            hostMode = value === "host";
        } else {
            const port = parseUint16(value);
            if (port === undefined) return { refused: `invalid ${key === "target" ? "target" : "published"} port (${value}): value must be an integer` };
            if (key === "target") internal = port;
            else external = port;
        }
    }
    if (internal === 0) return { refused: 'missing mandatory field "target"' };
    return [{ internal, ...(external === 0 ? {} : { external }), protocol, ...(hostMode ? { publishMode: "host" as const } : {}) }];
}

/**
 * One `--publish` value of `docker service create`: the long syntax, or the
 * short one without a host address (the CLI refuses one: a service listens
 * on every address of every node). A host range for one container port
 * publishes each port of the range (`docker run` would pick one). Published
 * port 0 or none: the swarm picks one (external unknown).
 */
export function parseServicePublish(text: string): PublishedPort[] | Refused {
    if (isLongSyntax(text)) return parseServicePortFields(text);
    const ports = parsePublish(text);
    if (ports === undefined) return { refused: `invalid port ${JSON.stringify(text)}` };
    if (ports.some((port) => port.ip !== undefined && port.ip !== "")) return { refused: "hostip is not supported" };
    const hostRange = /^(\d+)-(\d+):\d+(\/\w+)?$/.exec(text);
    if (hostRange && ports.length === 1) {
        const [low, high] = [Number(hostRange[1]), Number(hostRange[2])];
        return Array.from({ length: high - low + 1 }, (_, i) => ({ ...ports[0], external: low + i }));
    }
    return ports;
}
