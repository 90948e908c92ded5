/**
 * The probe of one container: what it tries, the shell script that tries it
 * all in one `exec` (every attempt a background job, then `wait`), and what
 * the output proves.
 *
 * By address: every address of every other running container on a local
 * bridge network, in private address space — shared networks show who is
 * reachable, the others show isolation. By name: the names Docker itself
 * serves to the source, read from its /etc/hosts (links) and asked of
 * Docker's embedded DNS (127.0.0.11) only for targets on a user-defined
 * network the source shares, where the DNS answers locally. A name the
 * embedded DNS does not know would be forwarded to the host's DNS servers,
 * so it is never asked: no probe traffic leaves the project's containers.
 * A pair counts as by name when a name resolves to an address of the target
 * that answered.
 */
import { PRIVATE_RANGES, cidrContainsIp, parseCidr, tryParseIp } from "../../../../addressing/cidr";
import { OVERLAY_DRIVER } from "../../../../topology/driverOptions";
import { LiveTopology } from "../../../../readers/docker/fromDocker";
import { taskRunning } from "../../../../readers/swarm/fromSwarm";
import { ContainerNode, NetworkNode, Topology, containerNames, isKnown, networksByKey, workloadKind } from "../../../../topology/model";
import { ReachablePair } from "../../../../topology/reachability";
import { SkippedAddress } from "../../../../document/auditDocument";

/** One address of a target that the source pings. */
export interface AddressProbe {
    readonly target: ContainerNode;
    readonly network: NetworkNode;
    readonly address: string;
    /** A service's virtual IP on this network: its name resolves there, and it answers no ping, so a name that resolves to it counts. */
    readonly virtualIp?: string;
}

/** Where a target can be found: each address by network key. */
export interface Addressing {
    /** A container's addresses are its attachments'; a service's, its running tasks'. */
    addressesOf(target: ContainerNode): readonly { readonly network: string; readonly address: string }[];
    /** A service's virtual IP on a network (by key), when it has one. */
    virtualIpOf(target: ContainerNode, network: string): string | undefined;
}

/** Containers as the topology has them: each attachment's address. */
export const ATTACHMENT_ADDRESSING: Addressing = {
    addressesOf: (target) =>
        target.attachments.flatMap((attachment) => {
            const address = attachment.ipv4Address !== undefined && isKnown(attachment.ipv4Address) ? attachment.ipv4Address : undefined;
            return attachment.network !== undefined && address !== undefined ? [{ network: attachment.network, address }] : [];
        }),
    virtualIpOf: () => undefined,
};

/** One name of a target that the source asks Docker's embedded DNS for. */
export interface NameLookup {
    readonly target: ContainerNode;
    readonly name: string;
}

/** Everything one source container tries. */
export interface ProbePlan {
    readonly source: ContainerNode;
    readonly addresses: readonly AddressProbe[];
    readonly lookups: readonly NameLookup[];
    /** Per target, the names to look for in the source's /etc/hosts (its names and the source's link aliases for it). */
    readonly hostsNames: ReadonlyMap<ContainerNode, readonly string[]>;
    readonly skipped: readonly SkippedAddress[];
}

/** What a probe established about one source. */
export type ProbeOutcome =
    | { readonly probed: true; readonly pairs: ReachablePair[] }
    | { readonly probed: false; readonly reason: string };

const PRIVATE = PRIVATE_RANGES.map(parseCidr);

/** Lines the script prints, each tagged so that output of parallel jobs can interleave by line. */
const TAG = { ready: "NG-READY", noProbe: "NG-NOPROBE", hosts: "NG-H", address: "NG-A", dns: "NG-D", done: "NG-DONE" } as const;

/**
 * Why a container cannot be probed from inside, or undefined when it can be
 * tried (whether it has a shell and ping shows only when the probe runs).
 */
export function sourceUnprobeable(source: ContainerNode, running: boolean): string | undefined {
    if (workloadKind(source) === "service") return running ? undefined : "no task of it runs";
    if (!running) return "not running";
    const mode = source.networkMode !== undefined && isKnown(source.networkMode) ? source.networkMode : undefined;
    // The host's namespace: probed like the host itself (its plan has addresses only, no name lookups to send to the host's resolver).
    if (mode === "host") return undefined;
    if (mode !== undefined && /^(container|service):/.test(mode)) return `shares the network namespace of ${mode.replace(":", " ")} (network mode ${mode}): probing from it would measure that one`;
    if (!source.attachments.some((attachment) => attachment.network !== undefined && attachment.ipv4Address !== undefined)) {
        return "is on no network (network mode none, or no address)";
    }
    return undefined;
}

/** Live state: a service's addresses are its running tasks'; its name resolves to its virtual IP on each network. */
export function liveAddressing(live: LiveTopology): Addressing {
    return {
        addressesOf: (target) =>
            workloadKind(target) !== "service"
                ? ATTACHMENT_ADDRESSING.addressesOf(target)
                : live.tasks
                      .filter((task) => task.serviceKey === target.key && taskRunning(task))
                      .flatMap((task) => task.attachments.flatMap((a) => (a.network !== undefined && a.ipv4Address ? [{ network: a.network, address: a.ipv4Address }] : []))),
        virtualIpOf: (target, network) => live.virtualIps.get(target.key)?.get(network),
    };
}

/** Why an address is not pinged, or undefined when it may be. */
function addressUnprobeable(network: NetworkNode, address: string): string | undefined {
    const ip = tryParseIp(address);
    if (!ip || ip.version !== 4) return "not an IPv4 address";
    if (!PRIVATE.some((range) => cidrContainsIp(range, ip))) return "outside private address space: the probe pings private addresses only";
    if (network.driver !== "bridge" && network.driver !== OVERLAY_DRIVER) return `on a ${network.driver} network: the probe pings bridge and overlay networks only`;
    return undefined;
}

/**
 * An overlay's addresses are pinged only from its own members: the host
 * has no route to an overlay, so from anywhere else the packet would leave
 * the machine by its default route, toward no container of the audit.
 */
function outOfReach(network: NetworkNode, sourceNetworks: ReadonlySet<string>): boolean {
    return network.driver === OVERLAY_DRIVER && !sourceNetworks.has(network.key);
}

/** The names Docker's embedded DNS serves for a target on a network: a service's also as `tasks.<name>` (every task's address). */
function dnsNames(target: ContainerNode, aliases: readonly string[]): string[] {
    const names = [...(target.dockerName !== undefined && isKnown(target.dockerName) ? [target.dockerName] : []), ...aliases];
    return workloadKind(target) === "service" ? [...names, ...names.map((name) => `tasks.${name}`)] : names;
}

/**
 * The plan of one source: the addresses of every other running container,
 * and the names to resolve. `running` says which containers run now.
 */
export function planProbe(
    topology: Topology,
    source: ContainerNode,
    running: (container: ContainerNode) => boolean,
    addressing: Addressing = ATTACHMENT_ADDRESSING,
): ProbePlan {
    const networks = networksByKey(topology);
    const sourceNetworks = new Set(source.attachments.map((attachment) => attachment.network).filter((key): key is string => key !== undefined));
    const addresses: AddressProbe[] = [];
    const lookups: NameLookup[] = [];
    const hostsNames = new Map<ContainerNode, string[]>();
    const skipped: SkippedAddress[] = [];

    for (const target of topology.containers) {
        if (target === source || !running(target)) continue;
        const names = new Set<string>();
        for (const { network: key, address } of addressing.addressesOf(target)) {
            const network = networks.get(key);
            if (!network || outOfReach(network, sourceNetworks)) continue;
            const reason = addressUnprobeable(network, address);
            const virtualIp = addressing.virtualIpOf(target, key);
            if (reason) skipped.push({ target: target.name, network: network.name, address, reason });
            else addresses.push({ target, network, address, ...(virtualIp ? { virtualIp } : {}) });
        }
        for (const attachment of target.attachments) {
            const network = attachment.network !== undefined ? networks.get(attachment.network) : undefined;
            // Docker's embedded DNS serves a container's name and its aliases on each user-defined network to that network's members
            // (not on the routing mesh's `ingress`, which has no name service).
            if (network && !network.defaultBridge && !network.ingress && sourceNetworks.has(network.key)) dnsNames(target, attachment.aliases).forEach((name) => names.add(name));
        }
        names.forEach((name) => lookups.push({ target, name }));
        const targetNames = containerNames(target);
        const linkAliases = source.links.filter((link) => targetNames.includes(link.target) && link.alias).map((link) => link.alias as string);
        hostsNames.set(target, [...new Set([...targetNames, ...linkAliases])]);
    }
    return { source, addresses, lookups, hostsNames, skipped };
}

/** Quotes a word for a POSIX shell. */
export function quote(word: string): string {
    return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The script for `sh -c`: find a working ping (it needs CAP_NET_RAW), copy
 * /etc/hosts, then every ping (`-c 1 -W 1`) and every lookup as a background
 * job, and `wait`. Each job prints one line.
 */
export function probeScript(plan: ProbePlan): string {
    const lines = [
        "if command -v ping >/dev/null 2>&1; then P=ping",
        "elif command -v busybox >/dev/null 2>&1; then P='busybox ping'",
        `else echo '${TAG.noProbe} has no ping command'; exit 0; fi`,
        `$P -c 1 -W 1 127.0.0.1 >/dev/null 2>&1 || { echo '${TAG.noProbe} has a ping that does not work (it needs CAP_NET_RAW)'; exit 0; }`,
        // Without nslookup, ping resolves the name (through /etc/hosts, then the same embedded DNS) and prints the address.
        "if command -v nslookup >/dev/null 2>&1; then L='nslookup'; else L=''; fi",
        `echo ${TAG.ready}`,
        `if [ -r /etc/hosts ]; then while IFS= read -r l; do echo "${TAG.hosts} $l"; done < /etc/hosts; fi`,
        `a() { if $P -c 1 -W 1 "$2" >/dev/null 2>&1; then echo "${TAG.address} $1 ok"; else echo "${TAG.address} $1 no"; fi; }`,
        `d() { if [ -n "$L" ]; then o=$(nslookup "$2" 127.0.0.11 2>&1); else o=$($P -c 1 -W 1 "$2" 2>&1); fi; echo "${TAG.dns} $1 $(echo "$o" | tr '\\n' ' ')"; }`,
        ...plan.addresses.map((probe, i) => `a ${i} ${quote(probe.address)} &`),
        ...plan.lookups.map((lookup, i) => `d ${i} ${quote(lookup.name)} &`),
        "wait",
        `echo ${TAG.done}`,
    ];
    return lines.join("\n");
}

const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;

/** The addresses a name lookup printed, without the DNS server's own. */
function answeredAddresses(text: string): string[] {
    return (text.match(IPV4) ?? []).filter((address) => address !== "127.0.0.11");
}

/**
 * Reads the script's output. Without the ready line, or without the done
 * line, nothing is claimed: the source is reported as not probed.
 */
export function readProbeOutput(plan: ProbePlan, output: string): ProbeOutcome {
    const lines = output.split(/\r?\n/);
    const noProbe = lines.find((line) => line.startsWith(`${TAG.noProbe} `));
    if (noProbe) return { probed: false, reason: noProbe.slice(TAG.noProbe.length + 1) };
    if (!lines.includes(TAG.ready) || !lines.includes(TAG.done)) {
        const shown = output.trim().split("\n").slice(0, 3).join(" / ");
        return { probed: false, reason: `the probe did not run to the end${shown ? ` (it printed: ${shown})` : " (it printed nothing)"}` };
    }

    const answered = new Set<AddressProbe>();
    const resolved = new Map<ContainerNode, Set<string>>();
    const resolve = (target: ContainerNode, addresses: string[]) => {
        const set = resolved.get(target) ?? new Set<string>();
        addresses.forEach((address) => set.add(address));
        resolved.set(target, set);
    };
    for (const line of lines) {
        const [tag, index, ...rest] = line.split(" ");
        if (tag === TAG.address && rest[0] === "ok" && plan.addresses[Number(index)]) answered.add(plan.addresses[Number(index)]);
        if (tag === TAG.dns && plan.lookups[Number(index)]) resolve(plan.lookups[Number(index)].target, answeredAddresses(rest.join(" ")));
    }
    const hostsLines = lines.filter((line) => line.startsWith(`${TAG.hosts} `)).map((line) => line.slice(TAG.hosts.length + 1).replace(/#.*/, "").trim().split(/\s+/));
    for (const [target, names] of plan.hostsNames) {
        for (const [address, ...aliases] of hostsLines) {
            if (address && aliases.some((alias) => names.includes(alias))) resolve(target, [address]);
        }
    }

    const byTarget = new Map<ContainerNode, AddressProbe[]>();
    for (const probe of plan.addresses) {
        if (answered.has(probe)) byTarget.set(probe.target, [...(byTarget.get(probe.target) ?? []), probe]);
    }
    const pairs = [...byTarget].map(([target, probes]) => ({
        from: plan.source.name,
        to: target.name,
        networks: [...new Set(probes.map((probe) => probe.network.name))].sort(),
        // A service's name resolves to its virtual IP, which answers no ping: resolving to it on a network where a task answered counts.
        byName: probes.some((probe) => resolved.get(target)?.has(probe.address) || (probe.virtualIp !== undefined && resolved.get(target)?.has(probe.virtualIp)) || false),
    }));
    return { probed: true, pairs };
}
