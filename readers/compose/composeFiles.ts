/**
 * The built-in reader, for machines without the Compose plugin: one or more
 * project files read as `docker compose config` reads them (YAML, `.env`
 * and the environment interpolated, `extends` within a file or from another
 * file, the files merged in order, `profiles`, the implicit `default`
 * network, networks no service uses left out), into the plugin's JSON shape.
 * What it does not read (`include`, keys it does not know) is an error
 * naming the file and the key, never skipped.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { ComposeError, ComposeNetwork, ComposeProject, ComposeService } from "./composeProject";
import { Place, isMapping, refuse, servicePorts, serviceNetworks, toBoolean, toInteger, toText, toTextList, toTextMap } from "./composeSyntax";
import { Environment, interpolateTree } from "./interpolation";

const TOP_LEVEL_KEYS = new Set(["version", "name", "services", "networks", "volumes", "secrets", "configs", "models"]);

const SERVICE_KEYS = new Set(
    (
        "annotations attach blkio_config build cap_add cap_drop cgroup cgroup_parent command configs container_name cpu_count cpu_percent " +
        "cpu_period cpu_quota cpu_rt_period cpu_rt_runtime cpu_shares cpus cpuset credential_spec depends_on deploy develop device_cgroup_rules " +
        "devices dns dns_opt dns_search domainname entrypoint env_file environment expose extends external_links extra_hosts gpus group_add " +
        "healthcheck hostname image init ipc isolation labels label_file links logging mac_address mem_limit mem_reservation mem_swappiness " +
        "memswap_limit models network_mode networks oom_kill_disable oom_score_adj pid pids_limit platform ports post_start pre_stop privileged " +
        "profiles pull_policy read_only restart runtime scale secrets security_opt shm_size stdin_open stop_grace_period stop_signal " +
        "storage_opt sysctls tmpfs tty ulimits use_api_socket user userns_mode uts volumes volumes_from working_dir"
    ).split(" "),
);

/** Service keys that change where the service's containers are and that this reader does not model: refused, not skipped. */
const UNSUPPORTED_SERVICE_KEYS: Readonly<Record<string, string>> = {
    provider: "a provider service is run by a plugin, not as a container",
};

const NETWORK_KEYS = new Set(["name", "driver", "driver_opts", "ipam", "external", "internal", "attachable", "enable_ipv6", "enable_ipv4", "labels"]);
const IPAM_KEYS = new Set(["driver", "config", "options"]);
const IPAM_BLOCK_KEYS = new Set(["subnet", "ip_range", "gateway", "aux_addresses"]);

/** Lists that several files (and `extends`) append to rather than replace. */
const APPENDED_LISTS = new Set(["ports", "expose", "links", "external_links", "aliases", "dns", "extra_hosts"]);

function checkKeys(value: Record<string, unknown>, allowed: ReadonlySet<string>, place: Place): void {
    for (const key of Object.keys(value)) {
        if (key.startsWith("x-")) continue;
        if (!allowed.has(key)) refuse(place, `additional properties '${key}' not allowed`);
    }
}

/** Two values merged as Compose merges an override file into a base: mappings key by key, some lists appended, the rest replaced. */
function merge(base: unknown, override: unknown, key = ""): unknown {
    if (isMapping(base) && isMapping(override)) {
        const out: Record<string, unknown> = { ...base };
        for (const [name, value] of Object.entries(override)) out[name] = name in base ? merge(base[name], value, name) : value;
        return out;
    }
    if (Array.isArray(base) && Array.isArray(override) && APPENDED_LISTS.has(key)) {
        const seen = new Set(base.map((item) => JSON.stringify(item)));
        return [...base, ...override.filter((item) => !seen.has(JSON.stringify(item)))];
    }
    return override === null && isMapping(base) ? base : override;
}

/** A service's fields in the plugin's shape: networks as a map, ports in long syntax, numbers and booleans cast. */
function normalizeService(name: string, raw: unknown, file: string): Record<string, unknown> {
    const place = { file, key: `services.${name}` };
    if (!isMapping(raw)) return refuse(place, "must be a mapping");
    checkKeys(raw, SERVICE_KEYS, place);
    for (const [key, reason] of Object.entries(UNSUPPORTED_SERVICE_KEYS)) {
        if (key in raw) throw new ComposeError(`${file}: services.${name}.${key} is not read by netguard's built-in Compose reader: ${reason}`, file, `services.${name}.${key}`);
    }
    const out: Record<string, unknown> = { ...raw };
    const at = (key: string) => ({ file, key: `services.${name}.${key}` });
    if (raw.networks !== undefined) out.networks = serviceNetworks(raw.networks, at("networks"));
    if (raw.ports !== undefined) out.ports = servicePorts(raw.ports, at("ports"));
    if (raw.expose !== undefined) out.expose = toTextList(raw.expose, at("expose"));
    for (const key of ["links", "external_links", "profiles"]) if (raw[key] !== undefined) out[key] = toTextList(raw[key], at(key));
    for (const key of ["container_name", "hostname", "network_mode"]) if (raw[key] !== undefined) out[key] = toText(raw[key], at(key));
    if (raw.labels !== undefined) out.labels = toTextMap(raw.labels, at("labels"));
    if (raw.scale !== undefined) out.scale = toInteger(raw.scale, at("scale"));
    if (isMapping(raw.deploy) && raw.deploy.replicas !== undefined) out.deploy = { ...raw.deploy, replicas: toInteger(raw.deploy.replicas, at("deploy.replicas")) };
    return out;
}

function normalizeNetwork(name: string, raw: unknown, file: string): Record<string, unknown> {
    const place = { file, key: `networks.${name}` };
    if (raw === null || raw === undefined) return {};
    if (!isMapping(raw)) return refuse(place, "must be a mapping or null");
    checkKeys(raw, NETWORK_KEYS, place);
    const at = (key: string) => ({ file, key: `networks.${name}.${key}` });
    const out: Record<string, unknown> = { ...raw };
    for (const key of ["internal", "attachable", "enable_ipv6", "enable_ipv4"]) if (raw[key] !== undefined) out[key] = toBoolean(raw[key], at(key));
    if (raw.external !== undefined) {
        if (isMapping(raw.external)) {
            // The old form `external: { name: x }`.
            out.external = true;
            if (raw.external.name !== undefined) out.name = toText(raw.external.name, at("external.name"));
        } else out.external = toBoolean(raw.external, at("external"));
    }
    for (const key of ["name", "driver"]) if (raw[key] !== undefined) out[key] = toText(raw[key], at(key));
    if (raw.driver_opts !== undefined) out.driver_opts = toTextMap(raw.driver_opts, at("driver_opts"));
    if (raw.ipam !== undefined) {
        if (!isMapping(raw.ipam)) return refuse(at("ipam"), "must be a mapping");
        checkKeys(raw.ipam, IPAM_KEYS, at("ipam"));
        const config = raw.ipam.config === undefined ? undefined : raw.ipam.config;
        if (config !== undefined && !Array.isArray(config)) return refuse(at("ipam.config"), "must be a list");
        out.ipam = {
            ...raw.ipam,
            ...(config !== undefined
                ? {
                      config: config.map((block: unknown, index: number) => {
                          const blockAt = at(`ipam.config[${index}]`);
                          if (!isMapping(block)) return refuse(blockAt, "must be a mapping");
                          checkKeys(block, IPAM_BLOCK_KEYS, blockAt);
                          const written: Record<string, unknown> = {};
                          for (const key of ["subnet", "gateway", "ip_range"]) if (block[key] !== undefined) written[key] = toText(block[key], { file, key: `${blockAt.key}.${key}` });
                          if (block.aux_addresses !== undefined) written.aux_addresses = toTextMap(block.aux_addresses, { file, key: `${blockAt.key}.aux_addresses` });
                          return written;
                      }),
                  }
                : {}),
        };
    }
    return out;
}

interface ParsedFile {
    readonly file: string;
    readonly document: Record<string, unknown>;
}

function readYaml(file: string): Record<string, unknown> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        throw new ComposeError(`open ${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (error as Error).message}`, file);
    }
    let document: unknown;
    try {
        document = yaml.load(text, { filename: file, schema: yaml.CORE_SCHEMA });
    } catch (error) {
        throw new ComposeError(`yaml: ${file}: ${(error as Error).message}`, file);
    }
    if (document === undefined || document === null) throw new ComposeError(`${file}: empty compose file`, file);
    if (!isMapping(document)) throw new ComposeError(`${file}: top-level object must be a mapping`, file);
    return document;
}

/** One file read, checked and interpolated, its services' `extends` resolved and their fields normalized. */
function parseFile(file: string, env: Environment, seen: ReadonlySet<string> = new Set()): ParsedFile {
    const raw = readYaml(file);
    if ("include" in raw) throw new ComposeError(`${file}: include is not read by netguard's built-in Compose reader (use the Compose plugin, or list the files with -f)`, file, "include");
    checkKeys(raw, TOP_LEVEL_KEYS, { file, key: "" });
    let document: Record<string, unknown>;
    try {
        document = interpolateTree(raw, env, "") as Record<string, unknown>;
    } catch (error) {
        if (error instanceof ComposeError) throw new ComposeError(`${file}: ${error.message}`, file, error.key);
        throw error;
    }
    const rawServices = document.services ?? {};
    if (!isMapping(rawServices)) refuse({ file, key: "services" }, "must be a mapping");
    const services: Record<string, Record<string, unknown>> = {};
    const resolving = new Set<string>();
    const resolve = (name: string): Record<string, unknown> => {
        if (services[name]) return services[name];
        if (!(name in rawServices)) throw new ComposeError(`${file}: service "${name}" not found (extends)`, file, `services.${name}`);
        if (resolving.has(name)) throw new ComposeError(`${file}: services.${name}.extends: circular reference`, file, `services.${name}.extends`);
        resolving.add(name);
        const own = normalizeService(name, rawServices[name], file);
        let result = own;
        if (own.extends !== undefined) {
            const spec = typeof own.extends === "string" ? { service: own.extends } : own.extends;
            if (!isMapping(spec) || typeof spec.service !== "string") return refuse({ file, key: `services.${name}.extends` }, "must name a service");
            const { extends: _, ...rest } = own;
            let base: Record<string, unknown>;
            if (spec.file !== undefined) {
                const other = path.resolve(path.dirname(file), toText(spec.file, { file, key: `services.${name}.extends.file` }));
                if (seen.has(other)) throw new ComposeError(`${file}: services.${name}.extends: circular reference to ${other}`, file, `services.${name}.extends.file`);
                const parsed = parseFile(other, env, new Set([...seen, file]));
                const services = parsed.document.services as Record<string, Record<string, unknown>>;
                if (!services[spec.service]) throw new ComposeError(`${other}: service "${spec.service}" not found (extends from ${file})`, other, `services.${spec.service}`);
                base = services[spec.service];
            } else base = resolve(spec.service);
            result = merge(base, rest) as Record<string, unknown>;
        }
        resolving.delete(name);
        services[name] = result;
        return result;
    };
    for (const name of Object.keys(rawServices)) resolve(name);
    const rawNetworks = document.networks ?? {};
    if (!isMapping(rawNetworks)) refuse({ file, key: "networks" }, "must be a mapping");
    const networks = Object.fromEntries(Object.entries(rawNetworks).map(([name, value]) => [name, normalizeNetwork(name, value, file)]));
    return { file, document: { ...document, services, networks } };
}

/** Compose's project name normalization: lower case, only `a-z0-9_-`, starting with a letter or digit. */
export function normalizeProjectName(name: string): string {
    return name.toLowerCase().replace(/[^a-z0-9_-]/g, "").replace(/^[^a-z0-9]+/, "");
}

export interface BuiltInOptions {
    readonly projectName?: string;
    /** Environment after the `.env` file (the environment wins over the file). */
    readonly env: Environment;
    readonly profiles: readonly string[];
    /** `--project-directory`: its folder names the project when nothing else does (the first file's folder otherwise). */
    readonly projectDirectory?: string;
}

/** The resolved project of `files` (absolute paths, first one's folder the project's). */
export function readProjectFiles(files: readonly string[], options: BuiltInOptions): ComposeProject {
    if (files.length === 0) throw new ComposeError("no configuration file provided: not found");
    let merged: Record<string, unknown> = {};
    for (const file of files) merged = merge(merged, parseFile(file, options.env).document) as Record<string, unknown>;
    const written = typeof merged.name === "string" && merged.name !== "" ? merged.name : undefined;
    const name = options.projectName ?? options.env.COMPOSE_PROJECT_NAME ?? written ?? normalizeProjectName(path.basename(options.projectDirectory ?? path.dirname(files[0])));
    if (name === "" || normalizeProjectName(name) !== name) {
        throw new ComposeError(`invalid project name ${JSON.stringify(name)}: must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number`);
    }
    const active = new Set(options.profiles);
    const allServices = (merged.services ?? {}) as Record<string, Record<string, unknown>>;
    const services: Record<string, ComposeService> = {};
    for (const [serviceName, service] of Object.entries(allServices)) {
        const profiles = (service.profiles as string[] | undefined) ?? [];
        if (profiles.length > 0 && !profiles.some((profile) => active.has(profile) || active.has("*"))) continue;
        const withNetworks = service.network_mode === undefined && service.networks === undefined ? { ...service, networks: { default: null } } : service;
        services[serviceName] = withNetworks as ComposeService;
    }
    for (const [serviceName, service] of Object.entries(services)) {
        for (const network of Object.keys(service.networks ?? {})) {
            if (network !== "default" && !(network in ((merged.networks ?? {}) as object))) {
                throw new ComposeError(`service "${serviceName}" refers to undefined network ${network}: invalid compose project`, undefined, `services.${serviceName}.networks.${network}`);
            }
        }
    }
    const used = new Set(Object.values(services).flatMap((service) => Object.keys(service.networks ?? {})));
    const declared = (merged.networks ?? {}) as Record<string, Record<string, unknown>>;
    const networks: Record<string, ComposeNetwork> = {};
    for (const key of [...new Set(["default", ...Object.keys(declared)])].sort()) {
        if (!used.has(key)) continue;
        const network = declared[key] ?? {};
        const external = network.external === true;
        networks[key] = { ...network, name: (network.name as string | undefined) ?? (external ? key : `${name}_${key}`), ...(external ? {} : { ipam: network.ipam ?? {} }) };
    }
    return { ...merged, name, services, networks };
}
