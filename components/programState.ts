/**
 * What the components share across one program run: the child names and the
 * subnets claimed so far. Plans read and extend it; the CLI's preview runner
 * starts each program with {@link resetProgramState}.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cidr, canonicalCidr, cidrsOverlap } from "../addressing/cidr";

/**
 * The logical names of the containers and services components create in one
 * program run. `<net>-<service>` is not injective (net `a` with service `b-c`,
 * net `a-b` with service `c`): two such children would share a URN and a
 * Docker name, so the second is refused at construction, naming both.
 */
export class ChildNames {
    private readonly owners = new Map<string, string>();

    /** Who holds `name` already (e.g. `IsolatedServiceNet "a" (services.b-c)`), if anyone. */
    holderOf(name: string): string | undefined {
        return this.owners.get(name);
    }

    /** Records `name` for `owner`, or returns who holds it already and records nothing. */
    claim(name: string, owner: string): string | undefined {
        const holder = this.owners.get(name);
        if (holder === undefined) this.owners.set(name, owner);
        return holder;
    }
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

    /** The claim `claim` would collide with, if any; records nothing. */
    clashOf(claim: SubnetClaim): SubnetClaim | undefined {
        return this.claims.find((other) => (claim.allocated || other.allocated) && cidrsOverlap(other.subnet, claim.subnet));
    }

    /** Records a claim, or returns the claim it collides with and records nothing. */
    claim(claim: SubnetClaim): SubnetClaim | undefined {
        const clash = this.clashOf(claim);
        if (!clash) this.claims.push(claim);
        return clash;
    }

    describe(claim: SubnetClaim): string {
        return `${claim.owner} (${canonicalCidr(claim.subnet)}, ${claim.allocated ? "allocated" : "pinned"})`;
    }
}

/** The program-scope state: one per program run. */
export class ProgramState {
    readonly childNames = new ChildNames();
    readonly subnets = new SubnetRegistry();
}

/** What a plan reads of the program it runs in. */
export interface PlanContext {
    /** Pulumi project and stack: they prefix Docker names and seed subnet allocation. */
    readonly project: string;
    readonly stack: string;
    /** Stack config `netguard:addressPool`, the pool of a net whose args give none. */
    readonly configuredAddressPool?: string;
    /** This program run's child names and subnets. */
    readonly state: ProgramState;
}

let current = new ProgramState();

/** The state of the current program run. */
export function programState(): ProgramState {
    return current;
}

/** Starts a new program run (tests and the preview runner call this between programs). */
export function resetProgramState(): void {
    current = new ProgramState();
}

/** The running Pulumi program as a plan sees it: the one place components read the ambient stack and config. */
export function currentPlanContext(): PlanContext {
    return {
        project: pulumi.getProject(),
        stack: pulumi.getStack(),
        configuredAddressPool: new pulumi.Config("netguard").get("addressPool"),
        state: current,
    };
}
