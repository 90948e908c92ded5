/**
 * URNs as the Pulumi engine writes them. Pulumi's mock monitor builds a
 * child's URN from only the last type of its parent's chain and counts the
 * stack as a parent (`pulumi:pulumi:Stack$docker:index/network:Network`);
 * the engine uses the parent's whole type chain and leaves the stack out
 * (`netguard:index:IsolatedServiceNet$docker:index/network:Network`). The
 * preview reports and exports the engine's, so its verdicts name the
 * resources exactly as `pulumi preview` and `pulumi policy analyze` do.
 */
const STACK_TYPE = "pulumi:pulumi:Stack";

/** The `parent$type` chain of a URN. */
function qualifiedType(urn: string): string {
    return urn.split("::")[2] ?? "";
}

export class EngineUrns {
    private readonly byMockUrn = new Map<string, string>();

    /** Records a registration and returns its engine URN. Parents register before their children. */
    add(mockUrn: string, type: string, name: string, mockParent: string | null): string {
        const parent = mockParent ? this.of(mockParent) : null;
        const chain = parent && qualifiedType(parent) !== STACK_TYPE ? `${qualifiedType(parent)}$${type}` : type;
        const [stackAndProject] = mockUrn.split(`::${qualifiedType(mockUrn)}::`);
        const urn = `${stackAndProject}::${chain}::${name}`;
        this.byMockUrn.set(mockUrn, urn);
        return urn;
    }

    /** The engine URN of a registered resource (unchanged if not registered through {@link add}). */
    of(mockUrn: string): string {
        return this.byMockUrn.get(mockUrn) ?? mockUrn;
    }
}
