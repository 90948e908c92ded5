/**
 * A resolved Compose project: the shape `docker compose config --format json`
 * prints (networks and services after interpolation, merging, `extends` and
 * profiles, ports in long syntax, `published` as a string), which the
 * built-in reader (`composeFiles.ts`) produces too. Only the fields the
 * topology needs are typed; the rest is kept as it comes.
 *
 * A variable with no value is never guessed: both readers give it the value
 * {@link unknownValue} (a text Compose accepts wherever a name is), and the
 * mapping reads any text holding it as `UNKNOWN`.
 */

export interface ComposeIpamBlock {
    readonly subnet?: string;
    readonly gateway?: string;
    readonly ip_range?: string;
    readonly aux_addresses?: Readonly<Record<string, string>>;
}

export interface ComposeNetwork {
    readonly name?: string;
    readonly driver?: string;
    readonly driver_opts?: Readonly<Record<string, string>>;
    readonly ipam?: { readonly driver?: string; readonly config?: readonly ComposeIpamBlock[] };
    readonly internal?: boolean;
    readonly attachable?: boolean;
    readonly enable_ipv6?: boolean;
    readonly enable_ipv4?: boolean;
    readonly external?: boolean;
    readonly [key: string]: unknown;
}

export interface ComposeServiceNetwork {
    readonly aliases?: readonly string[];
    readonly ipv4_address?: string;
    readonly ipv6_address?: string;
    readonly [key: string]: unknown;
}

export interface ComposePort {
    readonly target: number;
    /** A port or a `LOW-HIGH` range, as a string (as the plugin prints it). */
    readonly published?: string;
    readonly host_ip?: string;
    readonly protocol?: string;
    readonly mode?: string;
}

export interface ComposeService {
    readonly container_name?: string;
    readonly hostname?: string;
    readonly network_mode?: string;
    /** Absent with a `network_mode`; otherwise at least `{ default: null }`. */
    readonly networks?: Readonly<Record<string, ComposeServiceNetwork | null>>;
    readonly links?: readonly string[];
    readonly external_links?: readonly string[];
    readonly ports?: readonly ComposePort[];
    readonly expose?: readonly string[];
    readonly scale?: number;
    readonly deploy?: { readonly replicas?: number; readonly [key: string]: unknown };
    readonly profiles?: readonly string[];
    /** As a map (the plugin prints the list form as one). */
    readonly labels?: Readonly<Record<string, string>>;
    readonly [key: string]: unknown;
}

export interface ComposeProject {
    readonly name: string;
    readonly services: Readonly<Record<string, ComposeService>>;
    readonly networks?: Readonly<Record<string, ComposeNetwork>>;
    readonly [key: string]: unknown;
}

/** A project file Compose refuses, or a feature the built-in reader does not read: the file, the key and Compose's (or our) reason. */
export class ComposeError extends Error {
    constructor(
        message: string,
        readonly file?: string,
        readonly key?: string,
    ) {
        super(message);
        this.name = "ComposeError";
    }
}

const UNKNOWN_MARK = "netguard.unknown.";

/** The value both readers give a variable that has none. */
export function unknownValue(variable: string): string {
    return `${UNKNOWN_MARK}${variable}`;
}

/** True when the text holds a variable that had no value. */
export function holdsUnknown(text: string): boolean {
    return text.includes(UNKNOWN_MARK);
}

/** The variables without value that a text holds. */
export function unknownVariables(text: string): string[] {
    return [...text.matchAll(/netguard\.unknown\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1]);
}
