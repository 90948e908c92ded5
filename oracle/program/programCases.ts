/**
 * The fast-check generator of `@pulumi/docker` programs: raw networks (IPv4
 * and IPv6 `ipamConfigs`, gateways, `internal`, `ipv6`, a written driver,
 * `enable_icc`), raw containers (`networkMode` bridge/host/none/a network/
 * `container:`, `networksAdvanced` with aliases and static IPv4/IPv6
 * addresses, `ports`, `publishAllPorts`, `links`), IsolatedServiceNets with
 * services, and a DualHomedContainer across two of them. Combinations Docker
 * or the provider refuse are drawn on purpose (an address outside its
 * subnet, an IPv6 address on a network without IPv6, overlapping subnets,
 * `networkMode: host` with `networksAdvanced`, links on a user network, …).
 */
import fc from "fast-check";
import {
    Placement,
    ProgramAttachment,
    ProgramBlock,
    ProgramContainer,
    ProgramDualHomed,
    ProgramIsolatedNet,
    ProgramMode,
    ProgramNetwork,
    ProgramPort,
    ProgramSpec,
} from "./programModel";

const MAX_NETS = 3;
const MAX_ISOLATED = 2;
const MAX_CONTAINERS = 4;

/** Mostly inside the network's subnet, sometimes outside. */
const placement = fc.constantFrom<Placement>("in", "in", "in", "in", "in", "out");

const optional = <T>(arb: fc.Arbitrary<T>, freq = 2) => fc.option(arb, { nil: undefined, freq });

/** Drops undefined fields, so that a spec is the same after a JSON round trip (fixtures). */
function defined<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

function blockArb(family: 4 | 6): fc.Arbitrary<ProgramBlock> {
    // Slots 0-5 (raw networks); IsolatedServiceNets use 8-11.
    return fc.record({ family: fc.constant(family), slot: fc.integer({ min: 0, max: 5 }), gateway: fc.boolean() });
}

const networkArb: fc.Arbitrary<ProgramNetwork> = fc
    .record({
        v4: fc.array(blockArb(4), { maxLength: 1 }),
        v6: fc.array(blockArb(6), { maxLength: 1 }),
        ipv6: fc.boolean(),
        internal: fc.boolean(),
        writeDriver: fc.boolean(),
        icc: optional(fc.constantFrom<"true" | "false">("false", "false", "true")),
    })
    .map(({ v4, v6, ipv6, ...rest }) =>
        // An IPv6 block mostly comes with `ipv6: true`.
        defined({ ...rest, ipv6, blocks: [...v4, ...(ipv6 || v4.length === 0 ? v6 : [])] }),
    );

function isolatedArb(slot: number): fc.Arbitrary<ProgramIsolatedNet> {
    return fc.record({
        slot: fc.constant(slot),
        internal: fc.boolean(),
        interContainer: fc.boolean(),
        services: fc.array(fc.record({ aliases: fc.integer({ min: 0, max: 1 }), staticAddress: fc.boolean() }), { maxLength: 2 }),
    });
}

function modeArb(nets: number, container: number): fc.Arbitrary<ProgramMode | undefined> {
    const choices: fc.Arbitrary<ProgramMode | undefined>[] = [fc.constant(undefined), fc.constant(undefined), fc.constantFrom<ProgramMode>({ kind: "bridge" }, { kind: "host" }, { kind: "none" })];
    if (nets > 0) choices.push(fc.integer({ min: 0, max: nets - 1 }).map((net): ProgramMode => ({ kind: "network", net })));
    if (container > 0) choices.push(fc.integer({ min: 0, max: container - 1 }).map((target): ProgramMode => ({ kind: "container", container: target })));
    return fc.oneof(...choices);
}

function attachmentArb(nets: number, isolated: number): fc.Arbitrary<ProgramAttachment> {
    const target = fc.oneof(
        ...(nets > 0 ? [fc.integer({ min: 0, max: nets - 1 }).map((net) => ({ net, isolated: false }))] : []),
        ...(isolated > 0 ? [fc.integer({ min: 0, max: isolated - 1 }).map((net) => ({ net, isolated: true }))] : []),
    );
    return fc
        .record({ target, aliases: fc.integer({ min: 0, max: 2 }), ipv4: optional(placement), ipv6: optional(placement, 4) })
        .map(({ target, ...rest }) => defined({ ...target, ...rest }));
}

const portArb: fc.Arbitrary<ProgramPort> = fc
    .record({
        internal: fc.constantFrom(80, 443, 5432, 8080),
        fixedHost: fc.boolean(),
        ip: optional(fc.constantFrom<"127.0.0.1" | "0.0.0.0">("127.0.0.1", "0.0.0.0")),
        protocol: optional(fc.constantFrom<"tcp" | "udp">("tcp", "udp")),
    })
    .map(defined);

function containerArb(nets: number, isolated: number, container: number): fc.Arbitrary<ProgramContainer> {
    return fc
        .record({
            mode: modeArb(nets, container),
            attachments: nets + isolated > 0 ? fc.array(attachmentArb(nets, isolated), { maxLength: 2 }) : fc.constant<ProgramAttachment[]>([]),
            ports: fc.array(portArb, { maxLength: 2 }),
            publishAll: fc.boolean(),
            links: container > 0 ? fc.subarray([...Array(container).keys()], { maxLength: 1 }) : fc.constant<number[]>([]),
        })
        .map(({ attachments, ...rest }) =>
            defined({
                ...rest,
                // One attachment per network: the provider keeps `networksAdvanced` as a set by name.
                attachments: attachments.filter((a, i) => attachments.findIndex((b) => b.net === a.net && b.isolated === a.isolated) === i),
            }),
        );
}

function dualHomedArb(isolated: number): fc.Arbitrary<ProgramDualHomed[]> {
    if (isolated < 2) return fc.constant([]);
    return fc.array(fc.record({ nets: fc.constant([...Array(isolated).keys()]), aliases: fc.integer({ min: 0, max: 1 }), staticAddress: fc.boolean() }), { maxLength: 1 });
}

export function programSpecArb(): fc.Arbitrary<ProgramSpec> {
    return fc
        .record({ nets: fc.integer({ min: 0, max: MAX_NETS }), isolated: fc.integer({ min: 0, max: MAX_ISOLATED }), containers: fc.integer({ min: 0, max: MAX_CONTAINERS }) })
        .chain(({ nets, isolated, containers }) =>
            fc.record({
                networks: fc.tuple(...[...Array(nets)].map(() => networkArb)),
                isolated: fc.tuple(...[...Array(isolated)].map((_, i) => isolatedArb(8 + i))),
                containers: fc.tuple(...[...Array(containers)].map((_, c) => containerArb(nets, isolated, c))),
                dualHomed: dualHomedArb(isolated),
            }),
        );
}
