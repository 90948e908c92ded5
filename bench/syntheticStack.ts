/**
 * Synthetic stacks for the benchmarks: `networks` IsolatedServiceNets with
 * pinned subnets (10.a.b.0/24, so the allocator never has to place 1,000
 * nets), their services on static addresses, and one DualHomedContainer in
 * ten joining two neighbouring nets, also on static addresses.
 */
import { DualHomedContainer, IsolatedServiceNet, ServiceSpec } from "../components";

export interface StackSize {
    readonly containers: number;
    readonly networks: number;
}

/** One container in this many is dual-homed. */
const DUAL_HOMED_EVERY = 10;

/** The pinned /24 of net `index`: 10.0.0.0/24, 10.0.1.0/24, … (up to 65,536 nets). */
function subnetOf(index: number): { prefix: string; cidr: string } {
    const prefix = `10.${Math.floor(index / 256)}.${index % 256}`;
    return { prefix, cidr: `${prefix}.0/24` };
}

/** A program (as a function, for `runProgram`) that declares a stack of the given size. */
export function syntheticProgram(size: StackSize): () => void {
    const { containers, networks } = size;
    if (networks < 2 || containers < networks) throw new Error(`a synthetic stack needs ≥ 2 nets and ≥ 1 container per net, got ${JSON.stringify(size)}`);
    const dualHomed = Math.floor(containers / DUAL_HOMED_EVERY);
    const services = containers - dualHomed;
    // Host addresses per net: services from .10 up, dual-homed containers from .200 up (≤ 190 + 55 each).
    return () => {
        const nets: IsolatedServiceNet[] = [];
        const dualOnNet = new Array<number>(networks).fill(0);
        for (let n = 0; n < networks; n++) {
            const { prefix, cidr } = subnetOf(n);
            const members: Record<string, ServiceSpec> = {};
            for (let s = n; s < services; s += networks) {
                const host = 10 + Math.floor(s / networks);
                members[`svc${s}`] = { image: "netguard-probe:local", ipv4Address: `${prefix}.${host}`, aliases: [`api${s}`] };
            }
            nets.push(new IsolatedServiceNet(`net${n}`, { subnet: cidr, interContainer: n % 7 !== 0, services: members }));
        }
        for (let d = 0; d < dualHomed; d++) {
            const a = d % networks;
            const spread = (a + 1 + Math.floor(d / networks)) % networks;
            const b = spread === a ? (a + 1) % networks : spread;
            const attach = (n: number) => {
                const host = 200 + dualOnNet[n]++;
                return { net: nets[n], ipv4Address: `${subnetOf(n).prefix}.${host}` };
            };
            new DualHomedContainer(`dual${d}`, { image: "netguard-probe:local", attachments: [attach(a), attach(b)] });
        }
    };
}
