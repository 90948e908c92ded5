/**
 * Network driver options (`options` of a `docker.Network`, `-o` of `docker
 * network create`, `Options` of a live network) read as Docker reads them.
 *
 * Docker parses boolean options with Go's `strconv.ParseBool`: exactly
 * "1", "t", "T", "TRUE", "true", "True" are true and "0", "f", "F", "FALSE",
 * "false", "False" false; anything else (" true", "yes", "on", "") makes the
 * bridge driver refuse the network, which the `docker-network-ipam-consistent`
 * policy reports.
 */
import { Maybe, NetworkScope, isKnown } from "./model";

/** Docker's switch for traffic between members of a bridge network. */
export const ENABLE_ICC = "com.docker.network.bridge.enable_icc";

/** A bridge network's host address for published ports written without one. */
export const HOST_BINDING_IPV4 = "com.docker.network.bridge.host_binding_ipv4";

/** The bridge driver's boolean options (moby's `libnetwork/drivers/bridge`). */
export const BRIDGE_BOOLEAN_OPTIONS: readonly string[] = [
    ENABLE_ICC,
    "com.docker.network.bridge.enable_ip_masquerade",
    "com.docker.network.bridge.inhibit_ipv4",
];

const GO_TRUE: ReadonlySet<string> = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const GO_FALSE: ReadonlySet<string> = new Set(["0", "f", "F", "FALSE", "false", "False"]);

/** Go's `strconv.ParseBool`: the boolean, or undefined where Go returns an error. */
export function parseGoBool(text: string): boolean | undefined {
    if (GO_TRUE.has(text)) return true;
    if (GO_FALSE.has(text)) return false;
    return undefined;
}

/**
 * Whether members of a network reach each other. Off only when `enable_icc`
 * is a false value; unknown or refused values count as on, so that flows are
 * never hidden (a refused value is reported on its own).
 */
export function interContainerEnabled(options: Readonly<Record<string, Maybe<string> | undefined>>): boolean {
    const value = options[ENABLE_ICC];
    return value === undefined || !isKnown(value) || parseGoBool(value) !== false;
}

/** One boolean option Docker would refuse, for a message. */
export interface RefusedOption {
    readonly option: string;
    readonly value: string;
}

/** The known boolean options of a bridge network whose values Go's ParseBool rejects. */
export function refusedBooleanOptions(driver: string, options: Readonly<Record<string, Maybe<string> | undefined>>): RefusedOption[] {
    if (driver !== "bridge") return [];
    return BRIDGE_BOOLEAN_OPTIONS.flatMap((option) => {
        const value = options[option];
        return value !== undefined && isKnown(value) && parseGoBool(value) === undefined ? [{ option, value }] : [];
    });
}

/** Docker's driver for swarm-scope networks that span the nodes of a swarm. */
export const OVERLAY_DRIVER = "overlay";

/**
 * The overlay driver's switch for IPsec between nodes (`--opt encrypted`).
 * libnetwork encrypts when the KEY is present, whatever its value: `--opt
 * encrypted` sends "", and even "false" encrypts. So presence is the test,
 * never ParseBool.
 */
export const OVERLAY_ENCRYPTED = "encrypted";

/** Where a network of this driver lives: the overlay driver's on the swarm, every other one on one engine. */
export function driverScope(driver: string): NetworkScope {
    return driver === OVERLAY_DRIVER ? "swarm" : "local";
}

/** Whether an overlay network's traffic between nodes is encrypted: the option is there, with any value (or an unknown one). */
export function overlayEncrypted(options: Readonly<Record<string, Maybe<string> | undefined>> | undefined): boolean {
    return options !== undefined && Object.prototype.hasOwnProperty.call(options, OVERLAY_ENCRYPTED) && options[OVERLAY_ENCRYPTED] !== undefined;
}

/**
 * Whether members of a network of this driver reach each other. The overlay
 * driver has no ICC switch (the bridge driver's `enable_icc` means nothing
 * to it): its members always do.
 */
export function networkInterContainer(driver: string, options: Readonly<Record<string, Maybe<string> | undefined>>): boolean {
    return driver === OVERLAY_DRIVER || interContainerEnabled(options);
}
