/**
 * The fast-check generator of docker command scripts: networks (IPv4 and
 * IPv6 blocks, gateways, ranges, aux addresses, `--internal`, bridge
 * options, `--ipv4=false` on engine 29), containers (`docker run -d` or
 * `docker create` + `docker start`, every spelling of `--network`, `--ip`,
 * `--ip6`, aliases, links, published ports, `-P`, namespace modes),
 * `docker network connect`/`disconnect`, `docker rm -f` and re-creation,
 * written plainly or through variables, `&&`, `;`, functions, aliases and
 * an early `exit`. Combinations Docker refuses are drawn on purpose (an
 * address outside its subnet, overlapping subnets, an alias on the default
 * bridge, ports with `container:` mode, duplicate names, …).
 */
import fc from "fast-check";
import { BlockSpec, CaseSpec, Connect, Disconnect, NetCreate, NetFlag, NetTarget, PortSpec, Remove, Run, Step, WrappedStep, Wrapping } from "./caseModel";

const MAX_NETS = 3;
const MAX_CONTAINERS = 4;

const placement = fc.constantFrom<"in" | "out">("in", "in", "in", "in", "in", "in", "in", "out");

function blockArb(family: 4 | 6): fc.Arbitrary<BlockSpec> {
    return fc.record(
        {
            family: fc.constant(family),
            slot: fc.integer({ min: 0, max: 5 }),
            wide: family === 4 ? fc.boolean() : fc.constant(false),
            gateway: placement,
            ipRange: fc.boolean(),
            aux: placement,
        },
        { requiredKeys: ["family", "slot", "wide"] },
    );
}

function netCreateArb(engine: string): fc.Arbitrary<NetCreate> {
    return fc
        .record({
            net: fc.integer({ min: 0, max: MAX_NETS - 1 }),
            writeDriver: fc.boolean(),
            v4: fc.array(blockArb(4), { maxLength: 2 }),
            v6: fc.array(blockArb(6), { maxLength: 1 }),
            ipv6: fc.boolean(),
            internal: fc.boolean(),
            icc: fc.option(fc.constantFrom<"true" | "false">("false", "false", "true"), { nil: undefined }),
            masquerade: fc.option(fc.constant<"false">("false"), { nil: undefined, freq: 4 }),
            ipv4False: engine === "29" ? fc.boolean() : fc.constant(false),
        })
        .map(({ v4, v6, ipv6, ipv4False, icc, masquerade, ...rest }) => ({
            op: "netCreate" as const,
            ...rest,
            // An IPv6 block mostly comes with --ipv6, and --ipv4=false mostly with --ipv6.
            blocks: [...v4, ...(ipv6 ? v6 : v6.slice(0, v6.length > 0 && v4.length === 0 ? 1 : 0))],
            ipv6,
            ipv4False: ipv4False && ipv6,
            ...(icc ? { icc } : {}),
            ...(masquerade ? { masquerade } : {}),
        }));
}

const targetArb: fc.Arbitrary<NetTarget> = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max: MAX_NETS - 1 }).map((net) => ({ kind: "user" as const, net })) },
    { weight: 2, arbitrary: fc.constantFrom("host", "none", "bridge", "default").map((mode) => ({ kind: "mode" as const, mode })) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: MAX_CONTAINERS - 1 }).map((container) => ({ kind: "container" as const, container })) },
);

const netFlagArb: fc.Arbitrary<NetFlag> = fc
    .record(
        {
            target: targetArb,
            spelling: fc.constantFrom("space", "equals", "net", "netEquals", "long"),
            longAlias: fc.boolean(),
            longIp: placement,
        },
        { requiredKeys: ["target", "spelling"] },
    )
    .map(({ longAlias, longIp, ...flag }) => (flag.spelling === "long" ? { ...flag, ...(longAlias ? { longAlias } : {}), ...(longIp ? { longIp } : {}) } : flag));

const portArb: fc.Arbitrary<PortSpec> = fc.record(
    {
        ip: fc.constantFrom<"127.0.0.1" | "0.0.0.0" | "::1">("127.0.0.1", "0.0.0.0", "::1"),
        host: fc.constantFrom<"none" | "fixed" | "range">("none", "fixed", "fixed", "range"),
        container: fc.constantFrom(80, 81, 53),
        protocol: fc.constantFrom<"tcp" | "udp">("tcp", "udp"),
        spelling: fc.constantFrom<"-p" | "--publish" | "--publish=">("-p", "--publish", "--publish="),
    },
    { requiredKeys: ["host", "container", "spelling"] },
);

const containerArb = fc.integer({ min: 0, max: MAX_CONTAINERS - 1 });

const runArb: fc.Arbitrary<Run> = fc
    .record(
        {
            container: containerArb,
            createThenStart: fc.boolean(),
            networks: fc.array(netFlagArb, { maxLength: 2 }),
            ip: placement,
            ip6: placement,
            aliases: fc.integer({ min: 0, max: 2 }),
            aliasFlag: fc.constantFrom<"--network-alias" | "--net-alias">("--network-alias", "--net-alias"),
            links: fc.array(containerArb, { maxLength: 1 }),
            ports: fc.array(portArb, { maxLength: 2 }),
            publishAll: fc.boolean(),
        },
        { requiredKeys: ["container", "createThenStart", "networks", "aliases", "aliasFlag", "links", "ports", "publishAll"] },
    )
    .map((run) => ({ op: "run" as const, ...run }));

const connectArb: fc.Arbitrary<Connect> = fc
    .record(
        { net: fc.integer({ min: 0, max: MAX_NETS - 1 }), container: containerArb, alias: fc.boolean(), ip: placement },
        { requiredKeys: ["net", "container", "alias"] },
    )
    .map((connect) => ({ op: "connect" as const, ...connect }));

const disconnectArb: fc.Arbitrary<Disconnect> = fc
    .record({ net: fc.integer({ min: 0, max: MAX_NETS - 1 }), container: containerArb })
    .map((step) => ({ op: "disconnect" as const, ...step }));

const removeArb: fc.Arbitrary<Remove> = containerArb.map((container) => ({ op: "rm" as const, container }));

const wrappingArb: fc.Arbitrary<Wrapping> = fc.constantFrom<Wrapping>(
    "plain", "plain", "plain", "plain", "plain", "plain", "variable", "chain", "semicolon", "function", "alias",
);

function wrap(step: fc.Arbitrary<Step>): fc.Arbitrary<WrappedStep> {
    return fc.record({ step, wrapping: wrappingArb });
}

/** A case: its networks first, then containers and what is done with them; now and then an `exit 0` among them. */
export function caseSpecArb(engine: string): fc.Arbitrary<CaseSpec> {
    const later = fc.oneof(
        { weight: 6, arbitrary: runArb as fc.Arbitrary<Step> },
        { weight: 2, arbitrary: connectArb as fc.Arbitrary<Step> },
        { weight: 1, arbitrary: disconnectArb as fc.Arbitrary<Step> },
        { weight: 1, arbitrary: removeArb as fc.Arbitrary<Step> },
    );
    return fc
        .record({
            nets: fc.array(wrap(netCreateArb(engine)), { minLength: 1, maxLength: 3 }),
            others: fc.array(wrap(later), { minLength: 1, maxLength: 5 }),
            exit: fc.option(fc.nat({ max: 8 }), { nil: undefined, freq: 8 }),
        })
        .map(({ nets, others, exit }) => {
            const steps = [...nets, ...others];
            return exit !== undefined && exit < steps.length ? { steps, exitBefore: exit } : { steps };
        });
}
