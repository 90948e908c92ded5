/** Published ports as people read them, and which ones expose a container on every host interface. */
import { publishedOnAllInterfaces } from "../../topology/model";
import { ContainerEntry, PortEntry } from "../../document/previewDocument";

/** `0.0.0.0:8080->80/tcp`, as `docker ps` shows it; `*` where Docker binds every interface by default, `?` for a host port Docker picks. */
export function portText(port: PortEntry): string {
    return `${port.ip ?? "*"}:${port.external ?? "?"}->${port.internal}/${port.protocol}`;
}

/** True when the port is published on every host interface (no address, `0.0.0.0` or `::`). */
export function isOpenPort(port: PortEntry): boolean {
    return publishedOnAllInterfaces({ internal: port.internal, protocol: port.protocol, ip: port.ip ?? undefined });
}

/** A port a change publishes that the base did not: new exposure of a container on the host. */
export interface Exposure {
    readonly container: string;
    readonly port: PortEntry;
    /** On every host interface. */
    readonly open: boolean;
}

/** Ports of `after` that `before` (absent for a new container) did not publish; open ones first. */
export function newExposure(before: ContainerEntry | undefined, after: ContainerEntry): Exposure[] {
    const old = new Set((before?.ports ?? []).map(portText));
    return after.ports
        .filter((port) => !old.has(portText(port)))
        .map((port) => ({ container: after.name, port, open: isOpenPort(port) }))
        .sort((a, b) => Number(b.open) - Number(a.open));
}
