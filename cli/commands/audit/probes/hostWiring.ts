/**
 * The veth pair behind each attachment, read on the engine's host: inside a
 * container's network namespace `ip -o link` shows `eth0@ifN`, N being the
 * index of the host-side peer; on the host, interface N is that veth and
 * names its `master`, the bridge (docker0, br-…). Interfaces are matched to
 * networks by MAC address. Read from netlink (`ip`), not from /sys: /sys
 * belongs to the mount namespace, which `nsenter --net` does not change.
 */
import { spawnSync } from "child_process";
import { DockerContainerInspect } from "../../../../readers/docker/engineState";

/** The host side of one attachment. */
export interface Wiring {
    readonly hostInterface: string;
    /** Null when the veth hangs on no bridge. */
    readonly bridge: string | null;
}

/** One line of `ip -o link`. */
export interface LinkLine {
    readonly index: number;
    readonly name: string;
    /** The peer's interface index (`name@ifN`), when the line shows one. */
    readonly peerIndex: number | null;
    readonly master: string | null;
    readonly mac: string | null;
}

/** Parses `ip -o link` output. */
export function parseIpLink(output: string): LinkLine[] {
    const links: LinkLine[] = [];
    for (const line of output.split("\n")) {
        const head = /^(\d+):\s+([^:@\s]+)(?:@(?:if(\d+)|[^:\s]+))?:/.exec(line);
        if (!head) continue;
        links.push({
            index: Number(head[1]),
            name: head[2],
            peerIndex: head[3] !== undefined ? Number(head[3]) : null,
            master: /\smaster\s+(\S+)/.exec(line)?.[1] ?? null,
            mac: /link\/ether\s+([0-9a-f:]{17})/i.exec(line)?.[1].toLowerCase() ?? null,
        });
    }
    return links;
}

function ipLink(prefix: string[]): string | undefined {
    const [command, ...args] = [...prefix, "ip", "-o", "link"];
    const result = spawnSync(command, args, { encoding: "utf8", timeout: 10_000 });
    return result.status === 0 ? result.stdout : undefined;
}

/**
 * Per running container (by id), per network name, the host side of its
 * interface. Empty where it cannot be read (not root, engine elsewhere, no
 * `ip` or `nsenter`): the fields are then unknown, nothing is guessed.
 */
export function readHostWiring(containers: readonly DockerContainerInspect[]): Map<string, Map<string, Wiring>> {
    const wiring = new Map<string, Map<string, Wiring>>();
    const hostOutput = ipLink([]);
    if (hostOutput === undefined) return wiring;
    const hostLinks = new Map(parseIpLink(hostOutput).map((link) => [link.index, link]));
    for (const container of containers) {
        const pid = container.State?.Pid;
        if (!container.State?.Running || !pid) continue;
        const inside = ipLink(["nsenter", `--net=/proc/${pid}/ns/net`, "--"]);
        if (inside === undefined) continue;
        const byMac = new Map(parseIpLink(inside).filter((link) => link.mac).map((link) => [link.mac as string, link]));
        const perNetwork = new Map<string, Wiring>();
        for (const [network, endpoint] of Object.entries(container.NetworkSettings?.Networks ?? {})) {
            const own = endpoint.MacAddress ? byMac.get(endpoint.MacAddress.toLowerCase()) : undefined;
            const peer = own?.peerIndex != null ? hostLinks.get(own.peerIndex) : undefined;
            if (peer) perNetwork.set(network, { hostInterface: peer.name, bridge: peer.master });
        }
        wiring.set(container.Id, perNetwork);
    }
    return wiring;
}
