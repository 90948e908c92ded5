/**
 * A stand-in for Docker's IPAM during an offline run, so that stack outputs
 * that read `container.networkDatas` show the addresses Docker would most
 * likely hand out: static ones as requested, dynamic ones lowest-first from
 * the ip range (or the subnet), skipping the gateway (written or Docker's
 * default), reserved and aux addresses and addresses taken. The rules of
 * that are topology/ipam.ts's; this only keeps the books per network.
 */
import { tryParseIp } from "../../../addressing/cidr";
import { AddressAllocator } from "../../../addressing/ipam";
import { ipv4Block, planOfBlock } from "../../../topology/ipamBlocks";
import { IpamBlock, UNKNOWN } from "../../../topology/model";

/** The `networkDatas` entry the Docker provider reports for one attachment. */
export interface PredictedNetworkData {
    networkName: string;
    ipAddress: string;
    gateway: string;
    ipPrefixLength: number;
}

function text(value: unknown): string | undefined {
    return typeof value === "string" && value !== "" ? value : undefined;
}

function record(value: unknown): Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** An `ipamConfigs` entry of the provider's inputs as a model block. */
function blockOf(config: unknown): IpamBlock {
    const fields = record(config);
    const auxAddresses: Record<string, string> = {};
    for (const [host, address] of Object.entries(record(fields.auxAddress))) {
        if (typeof address === "string") auxAddresses[host] = address;
    }
    return { subnet: text(fields.subnet), gateway: text(fields.gateway), ipRange: text(fields.ipRange), auxAddresses };
}

export class PredictedIpam {
    private readonly pools = new Map<string, AddressAllocator>();

    /** Records a network from its inputs (`name`, `ipamConfigs`). */
    addNetwork(inputs: Record<string, unknown>): void {
        const name = text(inputs.name);
        const blocks = Array.isArray(inputs.ipamConfigs) ? inputs.ipamConfigs.map(blockOf) : [];
        const block = ipv4Block(blocks);
        const plan = block ? planOfBlock(block) : undefined;
        if (name === undefined || plan === undefined || plan === UNKNOWN || plan.subnet.version !== 4) return;
        this.pools.set(name, new AddressAllocator(plan));
    }

    /**
     * Addresses for a container from its `networksAdvanced` inputs, and from
     * `networkMode` when it names a network of its own (the provider keeps
     * that attachment beside the advanced ones).
     */
    attach(inputs: Record<string, unknown>): PredictedNetworkData[] {
        const entries = (Array.isArray(inputs.networksAdvanced) ? inputs.networksAdvanced : []).map(record);
        const mode = text(inputs.networkMode);
        if (mode !== undefined && this.pools.has(mode) && !entries.some((entry) => entry.name === mode)) entries.unshift({ name: mode });
        return entries.flatMap((entry) => {
            const name = text(entry.name);
            const pool = name !== undefined ? this.pools.get(name) : undefined;
            if (!pool || name === undefined) return [];
            const requested = text(entry.ipv4Address);
            const fixed = requested !== undefined ? tryParseIp(requested) : undefined;
            if (fixed) pool.claim(fixed);
            const address = fixed ?? pool.next();
            if (address === undefined) return [];
            return [{
                networkName: name,
                ipAddress: address.text,
                gateway: pool.plan.gateway?.text ?? "",
                ipPrefixLength: pool.plan.subnet.prefix,
            }];
        });
    }
}
