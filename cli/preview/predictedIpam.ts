/**
 * A stand-in for Docker's IPAM during an offline run, so that stack outputs
 * that read `container.networkDatas` show the addresses Docker would most
 * likely hand out: static ones as requested, dynamic ones lowest-first from
 * the ip range (or the subnet), skipping the gateway and addresses taken.
 */
import { Cidr, IpAddress, formatIp, tryParseCidr, tryParseIp } from "../../topology/cidr";

interface NetworkPool {
    readonly subnet: Cidr;
    readonly range: Cidr;
    readonly gateway?: IpAddress;
    readonly taken: Set<bigint>;
}

/** The `networkDatas` entry the Docker provider reports for one attachment. */
export interface PredictedNetworkData {
    networkName: string;
    ipAddress: string;
    gateway: string;
    ipPrefixLength: number;
}

export class PredictedIpam {
    private readonly pools = new Map<string, NetworkPool>();

    /** Records a network from its inputs (`name`, `ipamConfigs`). */
    addNetwork(inputs: Record<string, unknown>): void {
        const block = (inputs.ipamConfigs as Record<string, string>[] | undefined)?.[0] ?? {};
        const subnet = block.subnet ? tryParseCidr(block.subnet) : undefined;
        if (typeof inputs.name !== "string" || !subnet || subnet.version !== 4) return;
        const gateway = block.gateway ? tryParseIp(block.gateway) : undefined;
        const range = (block.ipRange && tryParseCidr(block.ipRange)) || subnet;
        this.pools.set(inputs.name, { subnet, range, gateway, taken: new Set(gateway ? [gateway.value] : []) });
    }

    /** Addresses for a container from its `networksAdvanced` inputs. */
    attach(inputs: Record<string, unknown>): PredictedNetworkData[] {
        const entries = (inputs.networksAdvanced as { name?: string; ipv4Address?: string }[] | undefined) ?? [];
        return entries.flatMap((entry) => {
            const pool = entry.name ? this.pools.get(entry.name) : undefined;
            if (!pool || !entry.name) return [];
            const address = this.take(pool, entry.ipv4Address);
            if (address === undefined) return [];
            return [{
                networkName: entry.name,
                ipAddress: address,
                gateway: pool.gateway ? formatIp(pool.gateway.value, 4) : "",
                ipPrefixLength: pool.subnet.prefix,
            }];
        });
    }

    private take(pool: NetworkPool, requested: string | undefined): string | undefined {
        const fixed = requested ? tryParseIp(requested) : undefined;
        if (fixed) {
            pool.taken.add(fixed.value);
            return fixed.text;
        }
        // The network address and, for IPv4, the broadcast address are never handed out.
        for (let value = pool.range.first; value <= pool.range.last; value++) {
            if (value === pool.subnet.first || value === pool.subnet.last || pool.taken.has(value)) continue;
            pool.taken.add(value);
            return formatIp(value, 4);
        }
        return undefined;
    }
}
