/**
 * The Compose oracle's cases: a project (networks with or without IPAM of
 * both families, `internal`, ICC off, `name:`; services on networks with
 * aliases and static addresses, `network_mode` bridge/host/none/service:,
 * `links`, `ports`, `deploy.replicas`, `container_name`) as a structure the
 * generator draws, and its YAML. Combinations Docker refuses are drawn on
 * purpose (a static address outside its subnet, or on a network without
 * one). What Compose or Docker would refuse for reasons of their own (a
 * cycle, two containers on one host port, a link to a service on no shared
 * network) is not drawn.
 *
 * Every network and service carries `netguard.fuzz=<runId>`, names start
 * with the case's id, and subnets come from the command oracle's scratch
 * ranges (CaseNames), so a case touches nothing but what it made.
 */
import fc from "fast-check";
import * as yaml from "js-yaml";
import { BlockSpec, CaseNames, FUZZ_LABEL, IMAGE, Placement } from "../caseModel";

export interface ComposeNetSpec {
    /** IPv4 IPAM: the scratch slot, and whether the gateway is written. */
    readonly v4?: { readonly slot: number; readonly gateway: boolean };
    /** An IPv6 block, with or without `enable_ipv6`. */
    readonly v6?: { readonly slot: number; readonly enable: boolean; readonly gateway: boolean };
    readonly internal: boolean;
    readonly iccOff: boolean;
    /** `name:` the case's own name rather than `<project>_<key>`. */
    readonly named: boolean;
}

export interface ComposeAttach {
    /** A network of the project by index; -1 is `default`. */
    readonly net: number;
    readonly aliases: number;
    readonly ipv4?: Placement;
    readonly ipv6?: Placement;
}

export interface ComposeServiceSpec {
    /** Empty: the implicit default network. */
    readonly networks: readonly ComposeAttach[];
    readonly mode?: "bridge" | "host" | "none" | { readonly service: number };
    readonly links: readonly number[];
    readonly ports: readonly { readonly loopback: boolean; readonly fixed: boolean; readonly container: 80 | 81 }[];
    readonly replicas: 1 | 2;
    readonly containerName: boolean;
}

export interface ComposeSpec {
    /** IPv4 IPAM of the default network. */
    readonly defaultV4?: { readonly slot: number };
    readonly networks: readonly ComposeNetSpec[];
    readonly services: readonly ComposeServiceSpec[];
}

const MAX_NETS = 3;
const MAX_SERVICES = 4;

const netArb: fc.Arbitrary<ComposeNetSpec> = fc.record(
    {
        v4: fc.option(fc.record({ slot: fc.integer({ min: 0, max: 5 }), gateway: fc.boolean() }), { nil: undefined, freq: 4 }),
        v6: fc.option(fc.record({ slot: fc.integer({ min: 0, max: 5 }), enable: fc.boolean(), gateway: fc.boolean() }), { nil: undefined, freq: 3 }),
        internal: fc.boolean(),
        iccOff: fc.boolean(),
        named: fc.boolean(),
    },
    { requiredKeys: ["internal", "iccOff", "named"] },
);

const serviceArb = (nets: number): fc.Arbitrary<ComposeServiceSpec> =>
    fc.record(
        {
            networks: fc.uniqueArray(
                fc.record({
                    net: fc.integer({ min: -1, max: nets - 1 }),
                    aliases: fc.integer({ min: 0, max: 2 }),
                    ipv4: fc.constantFrom<Placement | undefined>(undefined, undefined, "in", "in", "out"),
                    ipv6: fc.constantFrom<Placement | undefined>(undefined, undefined, undefined, "in", "out"),
                }),
                { maxLength: 2, selector: (attach) => attach.net },
            ),
            mode: fc.option(fc.oneof(fc.constantFrom<"bridge" | "host" | "none">("bridge", "host", "none"), fc.record({ service: fc.integer({ min: 0, max: MAX_SERVICES - 1 }) })), { nil: undefined, freq: 5 }),
            links: fc.uniqueArray(fc.integer({ min: 0, max: MAX_SERVICES - 1 }), { maxLength: 1 }),
            ports: fc.array(fc.record({ loopback: fc.boolean(), fixed: fc.boolean(), container: fc.constantFrom<80 | 81>(80, 81) }), { maxLength: 2 }),
            replicas: fc.constantFrom<1 | 2>(1, 1, 1, 2),
            containerName: fc.boolean(),
        },
        { requiredKeys: ["networks", "links", "ports", "replicas", "containerName"] },
    );

/** The networks a service is on, by index (-1: default); none in a network mode. */
function networksOf(service: ComposeServiceSpec): number[] {
    if (service.mode !== undefined) return [];
    return service.networks.length === 0 ? [-1] : service.networks.map((attach) => attach.net);
}

/** Drops what Compose or Docker refuses for reasons the oracle does not test (see the module's comment). */
function feasible(spec: ComposeSpec): ComposeSpec {
    const services: ComposeServiceSpec[] = [];
    spec.services.forEach((drawn, i) => {
        let service = drawn;
        const mode = service.mode;
        // service:X only on an earlier service that runs one container on networks of its own: no cycles.
        if (mode !== undefined && typeof mode !== "string" && (mode.service >= i || services[mode.service].mode !== undefined || services[mode.service].replicas !== 1)) {
            service = { ...service, mode: undefined };
        }
        if (service.mode !== undefined) service = { ...service, networks: [], links: [], ports: [] };
        const single = service.replicas === 1;
        service = {
            ...service,
            containerName: service.containerName && single,
            // Two containers cannot hold one static address or one host port.
            networks: service.networks.map((attach) => (single ? attach : { net: attach.net, aliases: attach.aliases })),
            ports: service.ports.map((port) => ({ ...port, fixed: port.fixed && single })),
            links: service.links.filter((j) => j < i && services[j].replicas === 1 && networksOf(services[j]).some((net) => networksOf(service).includes(net))),
        };
        services.push(service);
    });
    return { ...spec, services };
}

export function composeSpecArb(): fc.Arbitrary<ComposeSpec> {
    return fc
        .integer({ min: 0, max: MAX_NETS })
        .chain((nets) =>
            fc.record(
                {
                    defaultV4: fc.option(fc.record({ slot: fc.integer({ min: 6, max: 7 }) }), { nil: undefined }),
                    networks: fc.array(netArb, { minLength: nets, maxLength: nets }),
                    services: fc.array(serviceArb(nets), { minLength: 1, maxLength: MAX_SERVICES }),
                },
                { requiredKeys: ["networks", "services"] },
            ),
        )
        .map(feasible);
}

/** The project's names: `<id>` is the project, so every name Compose makes starts with it. */
export class ComposeNames extends CaseNames {
    get project(): string {
        return this.id;
    }

    networkKey(net: number): string {
        return net < 0 ? "default" : `n${net}`;
    }

    service(s: number): string {
        return `s${s}`;
    }
}

function block4(slot: number): BlockSpec {
    return { family: 4, slot, wide: false };
}

function block6(slot: number): BlockSpec {
    return { family: 6, slot, wide: false };
}

/** The project as a Compose file. */
export function composeYaml(spec: ComposeSpec, names: ComposeNames, runId: string): string {
    const labels = { [FUZZ_LABEL]: runId };
    const ipamOf = (v4: { slot: number; gateway?: boolean } | undefined, v6: { slot: number; gateway?: boolean } | undefined) => {
        const config = [
            ...(v4 ? [{ subnet: names.subnet4(block4(v4.slot)), ...(v4.gateway ? { gateway: names.address4(block4(v4.slot), 1, "in") } : {}) }] : []),
            ...(v6 ? [{ subnet: names.subnet6(block6(v6.slot)), ...(v6.gateway ? { gateway: names.address6(block6(v6.slot), 1, "in") } : {}) }] : []),
        ];
        return config.length > 0 ? { ipam: { config } } : {};
    };
    const networks: Record<string, unknown> = { default: { labels, ...ipamOf(spec.defaultV4, undefined) } };
    spec.networks.forEach((net, n) => {
        networks[names.networkKey(n)] = {
            ...(net.named ? { name: names.net(n) } : {}),
            labels,
            ...(net.internal ? { internal: true } : {}),
            ...(net.iccOff ? { driver_opts: { "com.docker.network.bridge.enable_icc": "false" } } : {}),
            ...(net.v6?.enable ? { enable_ipv6: true } : {}),
            ...ipamOf(net.v4, net.v6),
        };
    });
    const services: Record<string, unknown> = {};
    spec.services.forEach((service, s) => {
        const body: Record<string, unknown> = { image: IMAGE, labels };
        if (service.mode !== undefined) body.network_mode = typeof service.mode === "string" ? service.mode : `service:${names.service(service.mode.service)}`;
        if (service.mode === undefined && service.networks.length > 0) {
            body.networks = Object.fromEntries(
                service.networks.map((attach) => {
                    const v4 = attach.net < 0 ? spec.defaultV4 : spec.networks[attach.net].v4;
                    const v6 = attach.net < 0 ? undefined : spec.networks[attach.net].v6;
                    const settings = {
                        ...(attach.aliases > 0 ? { aliases: Array.from({ length: attach.aliases }, (_, k) => names.alias(s, k)) } : {}),
                        ...(attach.ipv4 !== undefined ? { ipv4_address: names.address4(block4(v4?.slot ?? 15), 40 + s, attach.ipv4) } : {}),
                        ...(attach.ipv6 !== undefined ? { ipv6_address: names.address6(block6(v6?.slot ?? 15), 40 + s, attach.ipv6) } : {}),
                    };
                    return [names.networkKey(attach.net), Object.keys(settings).length > 0 ? settings : null];
                }),
            );
        }
        if (service.links.length > 0) body.links = service.links.map((j) => names.service(j));
        if (service.ports.length > 0) {
            body.ports = service.ports.map((port, k) => {
                // `[IP:][HOST_PORT:]PORT`, with the host port left empty after an address: `127.0.0.1::80`.
                const host = port.fixed ? `${41000 + (names.index % 500) * 8 + s * 2 + k}` : "";
                return port.loopback ? `127.0.0.1:${host}:${port.container}` : `${host ? `${host}:` : ""}${port.container}`;
            });
        }
        if (service.replicas !== 1) body.deploy = { replicas: service.replicas };
        if (service.containerName) body.container_name = `${names.project}-cn${s}`;
        services[names.service(s)] = body;
    });
    return yaml.dump({ name: names.project, services, networks }, { lineWidth: -1, noRefs: true });
}
