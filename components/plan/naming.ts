/**
 * Docker names and netguard's labels, from the stack a plan runs in, so that
 * two stacks (say `dev` and a PR preview) can share one Docker host.
 */
import { PlanContext } from "../programState";

/** The stack a name or label is made for. */
export type StackIdentity = Pick<PlanContext, "project" | "stack">;

/**
 * The Docker name of a network, container or service: project, stack and
 * logical name. Docker allows `[a-zA-Z0-9][a-zA-Z0-9_.-]*`; anything else becomes `-`.
 */
export function dockerName(stack: StackIdentity, logicalName: string): string {
    const raw = `${stack.project}-${stack.stack}-${logicalName}`;
    return raw.replace(/[^a-zA-Z0-9_.-]/g, "-").replace(/^[^a-zA-Z0-9]+/, "");
}

/** Labels every netguard resource carries, so audits and clean-ups can find them, then `extra`. */
export function managedLabels(stack: StackIdentity, extra: Record<string, string>): Record<string, string> {
    return {
        "netguard.managed-by": "docker-netguard",
        "netguard.stack": `${stack.project}/${stack.stack}`,
        ...extra,
    };
}
