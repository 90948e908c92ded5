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
import { Cidr, canonicalCidr, cidrsOverlap, parseCidr, subnetAt, subnetCount } from "../addressing/cidr";

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

/** A subnet held by one net of the program. */
export interface SubnetClaim {
    readonly owner: string;
    readonly subnet: Cidr;
    readonly allocated: boolean;
}

/**
 * The subnets of one program run. An allocated subnet that overlaps another
 * claim is an error the allocator cannot avoid without moving a net, so it
 * names both and asks for a pinned subnet. Overlaps between pinned subnets
 * are the user's choice and left to the `docker-network-no-overlap` policy.
 */
export class SubnetRegistry {
    private readonly claims: SubnetClaim[] = [];

    /** Records a claim, or returns the claim it collides with and records nothing. */
    claim(claim: SubnetClaim): SubnetClaim | undefined {
        const clash = this.claims.find(
            (other) => (claim.allocated || other.allocated) && cidrsOverlap(other.subnet, claim.subnet),
        );
        if (!clash) this.claims.push(claim);
        return clash;
    }

    describe(claim: SubnetClaim): string {
        return `${claim.owner} (${canonicalCidr(claim.subnet)}, ${claim.allocated ? "allocated" : "pinned"})`;
    }
}

let registry = new SubnetRegistry();

/** The registry of the current program run. */
export function programSubnets(): SubnetRegistry {
    return registry;
}

/** Starts a new program run (tests and the preview runner call this between programs). */
export function resetProgramSubnets(): void {
    registry = new SubnetRegistry();
}
