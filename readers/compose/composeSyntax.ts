/**
 * The short and long syntaxes of a service's network fields, written the way
 * `docker compose config --format json` prints them: `ports` in long syntax
 * (ranges expanded as Docker pairs them, `published` a string, no `host_ip`
 * when none is written), `networks` as a map, `expose` as strings, and the
 * booleans and numbers Compose casts after interpolation.
 */
import { ComposeError, ComposePort, holdsUnknown } from "./composeProject";

/** Where a value sits, for errors: the file and the key. */
export interface Place {
    readonly file: string;
    readonly key: string;
}

export function refuse(place: Place, reason: string): never {
    throw new ComposeError(`validating ${place.file}: ${place.key} ${reason}`, place.file, place.key);
}

export function isMapping(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A boolean as Compose casts it after interpolation (`true`, `"true"`, `"yes"`…). */
export function toBoolean(value: unknown, place: Place): boolean {
    if (typeof value === "boolean") return value;
    if (typeof value === "string" && /^(y|yes|true|on)$/i.test(value)) return true;
    if (typeof value === "string" && /^(n|no|false|off)$/i.test(value)) return false;
    return refuse(place, `must be a boolean, not ${JSON.stringify(value)}`);
}

export function toInteger(value: unknown, place: Place): number {
    const number = typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
    return Number.isInteger(number) ? number : refuse(place, `must be an integer, not ${JSON.stringify(value)}`);
}

export function toText(value: unknown, place: Place): string {
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return refuse(place, `must be a string, not ${JSON.stringify(value)}`);
}

export function toTextList(value: unknown, place: Place): string[] {
    if (!Array.isArray(value)) return refuse(place, "must be a list");
    return value.map((item, index) => toText(item, { ...place, key: `${place.key}[${index}]` }));
}

/** `KEY=VALUE` lists or mappings, as Compose accepts both for options and addresses. */
export function toTextMap(value: unknown, place: Place): Record<string, string> {
    if (Array.isArray(value)) {
        return Object.fromEntries(
            toTextList(value, place).map((entry) => {
                const eq = entry.indexOf("=");
                return eq < 0 ? [entry, ""] : [entry.slice(0, eq), entry.slice(eq + 1)];
            }),
        );
    }
    if (!isMapping(value)) return refuse(place, "must be a mapping");
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, item === null ? "" : toText(item, { ...place, key: `${place.key}.${key}` })]));
}

function range(text: string, place: Place): [number, number] | undefined {
    if (text === "") return undefined;
    const match = /^(\d+)(?:-(\d+))?$/.exec(text);
    if (!match) return refuse(place, `has an invalid port ${JSON.stringify(text)}`);
    const low = Number(match[1]);
    const high = match[2] === undefined ? low : Number(match[2]);
    if (low < 1 || high > 65535 || low > high) return refuse(place, `has an invalid port range ${JSON.stringify(text)}`);
    return [low, high];
}

/** One short-syntax port (`[host_ip:][published:]target[/protocol]`), expanded as Docker expands ranges. */
export function shortPort(text: string, place: Place): ComposePort[] {
    if (holdsUnknown(text)) refuse(place, `holds a variable without value: ${JSON.stringify(text)} (Compose cannot read the port)`);
    const slash = text.lastIndexOf("/");
    const protocol = slash < 0 ? "tcp" : text.slice(slash + 1).toLowerCase();
    const spec = slash < 0 ? text : text.slice(0, slash);
    let hostIp: string | undefined;
    let rest = spec;
    const bracket = /^\[([^\]]*)\]:(.*)$/.exec(spec);
    if (bracket) [, hostIp, rest] = bracket;
    const parts = rest.split(":");
    if (!bracket && parts.length === 3) hostIp = parts.shift();
    if (parts.length > 2 || (bracket && parts.length !== 2)) return refuse(place, `has an invalid port ${JSON.stringify(text)}`);
    const [publishedText, targetText] = parts.length === 2 ? parts : ["", parts[0]];
    const target = range(targetText, place);
    if (!target) return refuse(place, `has no container port: ${JSON.stringify(text)}`);
    const published = range(publishedText, place);
    const common = { mode: "ingress", ...(hostIp ? { host_ip: hostIp } : {}), protocol };
    const count = target[1] - target[0] + 1;
    if (published && published[1] - published[0] + 1 !== count) {
        if (count !== 1) return refuse(place, `has ranges of different sizes: ${JSON.stringify(text)}`);
        return [{ ...common, target: target[0], published: publishedText }];
    }
    return Array.from({ length: count }, (_, i) => ({
        ...common,
        target: target[0] + i,
        ...(published ? { published: String(published[0] + i) } : {}),
    }));
}

const LONG_PORT_KEYS = new Set(["name", "target", "published", "host_ip", "protocol", "mode", "app_protocol"]);

/** A service's `ports` in long syntax, whichever syntax each entry is written in. */
export function servicePorts(value: unknown, place: Place): ComposePort[] {
    if (!Array.isArray(value)) return refuse(place, "must be a list");
    const ports: ComposePort[] = [];
    value.forEach((entry, index) => {
        const at = { ...place, key: `${place.key}[${index}]` };
        if (typeof entry === "string" || typeof entry === "number") {
            ports.push(...shortPort(String(entry), at));
            return;
        }
        if (!isMapping(entry)) return refuse(at, "must be a string, a number or a mapping");
        for (const key of Object.keys(entry)) if (!LONG_PORT_KEYS.has(key) && !key.startsWith("x-")) refuse(at, `additional properties '${key}' not allowed`);
        const published = entry.published === undefined || entry.published === null ? undefined : toText(entry.published, { ...at, key: `${at.key}.published` });
        ports.push({
            mode: entry.mode === undefined ? "ingress" : toText(entry.mode, at),
            ...(entry.host_ip !== undefined && entry.host_ip !== "" ? { host_ip: toText(entry.host_ip, at) } : {}),
            target: toInteger(entry.target, { ...at, key: `${at.key}.target` }),
            ...(published !== undefined && published !== "" ? { published } : {}),
            protocol: entry.protocol === undefined ? "tcp" : toText(entry.protocol, at).toLowerCase(),
        });
    });
    const seen = new Set<string>();
    return ports.filter((port) => {
        const id = JSON.stringify([port.host_ip, port.target, port.published, port.protocol, port.mode]);
        return seen.has(id) ? false : (seen.add(id), true);
    });
}

const SERVICE_NETWORK_KEYS = new Set([
    "aliases", "ipv4_address", "ipv6_address", "link_local_ips", "mac_address", "priority", "gw_priority", "driver_opts", "interface_name",
]);

/** A service's `networks`, list or map form, as a map (`null` for a network with no settings). */
export function serviceNetworks(value: unknown, place: Place): Record<string, Record<string, unknown> | null> {
    if (Array.isArray(value)) return Object.fromEntries(toTextList(value, place).map((name) => [name, null]));
    if (!isMapping(value)) return refuse(place, "must be a list or a mapping");
    const networks: Record<string, Record<string, unknown> | null> = {};
    for (const [name, settings] of Object.entries(value)) {
        const at = { ...place, key: `${place.key}.${name}` };
        if (settings === null || settings === undefined) {
            networks[name] = null;
            continue;
        }
        if (!isMapping(settings)) return refuse(at, "must be a mapping or null");
        for (const key of Object.keys(settings)) if (!SERVICE_NETWORK_KEYS.has(key) && !key.startsWith("x-")) refuse(at, `additional properties '${key}' not allowed`);
        const out: Record<string, unknown> = { ...settings };
        if (settings.aliases !== undefined) out.aliases = toTextList(settings.aliases, { ...at, key: `${at.key}.aliases` });
        for (const key of ["ipv4_address", "ipv6_address"]) if (settings[key] !== undefined) out[key] = toText(settings[key], { ...at, key: `${at.key}.${key}` });
        networks[name] = out;
    }
    return networks;
}
