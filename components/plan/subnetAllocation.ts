/**
 * Deterministic subnet allocation for nets that do not pin a subnet.
 *
 * A net's subnet depends only on its own identity (project, stack, logical
 * name), the pool and the prefix length: hashing picks the block. So adding
 * or removing one net never moves another (a moved subnet would replace the
 * network and every container on it). The price: two identities can hash to
 * the same block, which is reported as an error asking the user to pin one.
 */
import { createHash } from "crypto";
import { Cidr, cidrsOverlap, parseCidr, subnetAt, subnetCount } from "../../addressing/cidr";

/** Default pool when neither the args nor stack config `netguard:addressPool` give one. */
export const DEFAULT_ADDRESS_POOL = "10.128.0.0/9";
export const DEFAULT_PREFIX_LENGTH = 24;

/** Ranges an allocated subnet must avoid: Docker's default bridge. */
const AVOIDED = [parseCidr("172.17.0.0/16")];

/** How many hash candidates to try before giving up on avoided ranges. */
const CANDIDATES = 8;

function hashIndex(identity: string, attempt: number, count: bigint): bigint {
    const digest = createHash("sha256").update(`${identity}#${attempt}`).digest("hex");
    return BigInt(`0x${digest.slice(0, 24)}`) % count;
}

/**
 * The block of length `prefix` in `pool` for `identity`, or undefined when the
 * pool cannot hold one. Pure: the same inputs always give the same block.
 */
export function allocateSubnet(identity: string, pool: Cidr, prefix: number): Cidr | undefined {
    const count = subnetCount(pool, prefix);
    if (count === 0n) return undefined;
    let fallback: Cidr | undefined;
    for (let attempt = 0; attempt < CANDIDATES; attempt++) {
        const candidate = subnetAt(pool, prefix, hashIndex(identity, attempt, count));
        if (!candidate) continue;
        fallback ??= candidate;
        if (!AVOIDED.some((avoided) => cidrsOverlap(avoided, candidate))) return candidate;
    }
    return fallback;
}
