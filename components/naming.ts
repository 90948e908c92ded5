import * as pulumi from "@pulumi/pulumi";

/**
 * The Docker name of a network or container: project, stack and logical name,
 * so that two stacks (say `dev` and a PR preview) can share one Docker host.
 * Docker allows `[a-zA-Z0-9][a-zA-Z0-9_.-]*`; anything else becomes `-`.
 */
export function dockerName(logicalName: string): string {
    const raw = `${pulumi.getProject()}-${pulumi.getStack()}-${logicalName}`;
    return raw.replace(/[^a-zA-Z0-9_.-]/g, "-").replace(/^[^a-zA-Z0-9]+/, "");
}

/** Labels every netguard resource carries, so audits and clean-ups can find them. */
export function managedLabels(extra: Record<string, string>): { label: string; value: string }[] {
    const labels: Record<string, string> = {
        "netguard.managed-by": "docker-netguard",
        "netguard.stack": `${pulumi.getProject()}/${pulumi.getStack()}`,
        ...extra,
    };
    return Object.entries(labels).map(([label, value]) => ({ label, value }));
}

/**
 * The logical names of the containers components create in one program run.
 * `<net>-<service>` is not injective (net `a` with service `b-c`, net `a-b`
 * with service `c`): two such children would share a URN and a Docker name,
 * so the second is refused at construction, naming both.
 */
export class ChildNames {
    private readonly owners = new Map<string, string>();

    /** Records `name` for `owner` (e.g. `IsolatedServiceNet "a", services.b-c`), or returns who holds it already. */
    claim(name: string, owner: string): string | undefined {
        const holder = this.owners.get(name);
        if (holder !== undefined) return holder;
        this.owners.set(name, owner);
        return undefined;
    }
}

let childNames = new ChildNames();

/** The child names of the current program run. */
export function programChildNames(): ChildNames {
    return childNames;
}

/** Starts a new program run (the preview runner calls this between programs). */
export function resetProgramChildNames(): void {
    childNames = new ChildNames();
}
