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
