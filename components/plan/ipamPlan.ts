/**
 * The addressing of one isolated net, worked out and checked before any
 * resource is declared: subnet (pinned or allocated), gateway, dynamic range,
 * and the static addresses handed out on it.
 */
import {
    AddressSyntaxError,
    Cidr,
    IpAddress,
    canonicalCidr,
    cidrContainsCidr,
    cidrContainsIp,
    cidrSize,
    parseCidr,
    parseIp,
} from "../../addressing/cidr";
import { AddressPlan, defaultGateway, isReservedByDocker, staticAddressProblem } from "../../addressing/ipam";
import { DEFAULT_PREFIX_LENGTH, allocateSubnet } from "./subnetAllocation";
import { fail as failWith } from "./validate";

export interface IpamRequest {
    subnet?: string;
    gateway?: string;
    ipRange?: string;
    addressPool: string;
    prefixLength?: number;
    /** Stable identity for allocation: project, stack and logical name. */
    identity: string;
}

/** The planned addressing of a net; static addresses are claimed on it as members are planned. */
export class IpamPlan {
    private readonly staticOwners = new Map<string, string>();

    private constructor(
        /** e.g. `IsolatedServiceNet "order"`, for error messages. */
        readonly component: string,
        readonly subnet: Cidr,
        readonly gateway: IpAddress,
        readonly ipRange: Cidr | undefined,
        readonly allocated: boolean,
    ) {}

    /** Checks the request and returns the plan; throws {@link NetguardInputError}. */
    static create(component: string, request: IpamRequest): IpamPlan {
        const fail = (field: string, value: unknown, problem: string): never => failWith(component, field, value, problem);
        const parsed = <T>(field: string, text: string, parse: (text: string) => T): T => {
            try {
                return parse(text);
            } catch (err) {
                if (err instanceof AddressSyntaxError) fail(field, text, err.message);
                throw err;
            }
        };
        const cidr = (field: string, text: string): Cidr => {
            const block = parsed(field, text, parseCidr);
            if (block.version !== 4) fail(field, text, "only IPv4 blocks are supported");
            if (block.hostBitsSet) fail(field, text, `host bits are set; did you mean ${canonicalCidr(block)}?`);
            return block;
        };
        const address = (field: string, text: string): IpAddress => parsed(field, text, parseIp);

        let subnet: Cidr;
        let allocated = false;
        if (request.subnet !== undefined) {
            subnet = cidr("subnet", request.subnet);
        } else {
            const pool = cidr("addressPool", request.addressPool);
            const prefix = request.prefixLength ?? DEFAULT_PREFIX_LENGTH;
            if (!Number.isInteger(prefix) || prefix < pool.prefix || prefix > 30) {
                fail("prefixLength", prefix, `must be a whole number from ${pool.prefix} (the pool's) to 30`);
            }
            subnet = allocateSubnet(request.identity, pool, prefix) ?? fail("addressPool", request.addressPool, "cannot hold the subnet");
            allocated = true;
        }
        if (subnet.prefix > 30) fail("subnet", subnet.text, "is too small: a /30 or larger is needed for a gateway and a container");

        // The component writes its gateway out, so its documented default (the subnet's first host,
        // whatever the ip range) is what Docker gets; Docker's own choice would follow the ip range.
        const gateway = request.gateway !== undefined ? address("gateway", request.gateway) : (defaultGateway(subnet) as IpAddress);
        if (!cidrContainsIp(subnet, gateway)) fail("gateway", gateway.text, `is outside the subnet ${canonicalCidr(subnet)}`);
        if (isReservedByDocker(subnet, gateway)) {
            fail("gateway", gateway.text, `is the network or broadcast address of ${canonicalCidr(subnet)}`);
        }

        let ipRange: Cidr | undefined;
        if (request.ipRange !== undefined) {
            ipRange = cidr("ipRange", request.ipRange);
            if (!cidrContainsCidr(subnet, ipRange)) fail("ipRange", request.ipRange, `is not inside the subnet ${canonicalCidr(subnet)}`);
        }
        return new IpamPlan(component, subnet, gateway, ipRange, allocated);
    }

    /** The plan in the terms of topology/ipam.ts, which judges static addresses for components and rules alike. Components reserve no aux addresses. */
    get addressPlan(): AddressPlan {
        return { subnet: this.subnet, ipRange: this.ipRange, gateway: this.gateway, gatewayDefaulted: false, auxAddresses: new Map() };
    }

    get subnetText(): string {
        return canonicalCidr(this.subnet);
    }

    /** Addresses a container can get: the block less network, broadcast and gateway. */
    get usableAddresses(): bigint {
        return cidrSize(this.subnet) - 3n;
    }

    /** Addresses Docker hands out dynamically: the ip range if given, else the usable block. */
    get dynamicAddresses(): bigint {
        if (!this.ipRange) return this.usableAddresses - BigInt(this.staticOwners.size);
        const gatewayInside = cidrContainsIp(this.ipRange, this.gateway) ? 1n : 0n;
        return cidrSize(this.ipRange) - gatewayInside;
    }

    /**
     * Checks a static address for `claimant`'s `field` and returns it parsed;
     * throws when it is outside the subnet, the gateway, inside the dynamic
     * range, or already taken. Records nothing: see {@link claimStatic}.
     */
    checkStatic(field: string, text: string, claimant = this.component): IpAddress {
        const fail = (problem: string): never => failWith(claimant, field, text, problem);
        let ip: IpAddress;
        try {
            ip = parseIp(text);
        } catch (err) {
            if (err instanceof AddressSyntaxError) fail(err.message);
            throw err;
        }
        if (!cidrContainsIp(this.subnet, ip)) fail(`is outside the subnet ${this.subnetText} of ${this.component}`);
        const problem = staticAddressProblem(this.addressPlan, ip);
        if (problem?.kind === "gateway") fail(`is the gateway of ${this.component}`);
        if (problem?.kind === "network" || problem?.kind === "broadcast") fail(`is the network or broadcast address of ${this.subnetText}`);
        if (problem?.kind === "dynamic-range") {
            fail(`is inside the dynamic ip range ${canonicalCidr(problem.ipRange)} of ${this.component}, where Docker may hand it to another container`);
        }
        const holder = this.staticOwners.get(ip.text);
        if (holder !== undefined) fail(`is already taken by ${holder} on ${this.component}`);
        return ip;
    }

    /** Checks a static address (see {@link checkStatic}) and records it for `owner` (e.g. `service "db"`). */
    claimStatic(owner: string, field: string, text: string, claimant = this.component): void {
        this.staticOwners.set(this.checkStatic(field, text, claimant).text, owner);
    }
}
