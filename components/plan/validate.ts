/**
 * Field checks every plan shares. Each throws {@link NetguardInputError},
 * naming the component, the field and the value.
 */
import { NetguardInputError } from "../inputError";

/** Throws the input error; typed `never` so that checks read as expressions. */
export function fail(component: string, field: string, value: unknown, problem: string): never {
    throw new NetguardInputError(component, field, value, problem);
}

/** `prefix.name`, or `name` alone for a component's own args. */
export function fieldPath(prefix: string, name: string): string {
    return prefix === "" ? name : `${prefix}.${name}`;
}

/** DNS labels Docker's embedded DNS can serve: letters, digits, `-`, `_` and `.`. */
export const DNS_NAME = /^[a-zA-Z0-9]([a-zA-Z0-9_.-]{0,61}[a-zA-Z0-9])?$/;

/** Checks a DNS name (service key or alias). */
export function checkDnsName(component: string, field: string, name: unknown): string {
    if (typeof name !== "string" || !DNS_NAME.test(name)) {
        fail(component, field, name, "is not a valid DNS name (letters, digits, '-', '_', '.'; at most 63 characters)");
    }
    return name;
}

/** Checks an optional list of aliases. */
export function checkAliases(component: string, field: string, aliases: unknown): string[] {
    if (aliases === undefined) return [];
    if (!Array.isArray(aliases)) fail(component, field, aliases, "must be a list of names");
    return aliases.map((alias, i) => checkDnsName(component, `${field}[${i}]`, alias));
}

/** A workload's DNS names on one net: `own` (its key or name) first, then the checked aliases, each once. */
export function dnsNames(component: string, field: string, own: string, aliases: unknown): string[] {
    return [...new Set([own, ...checkAliases(component, field, aliases)])];
}

/** Checks that an optional field is a string, so that CIDR math never sees a number or an Output. */
export function optionalString(component: string, field: string, value: unknown): string | undefined {
    // Narrowed by typeof alone: Pulumi's TypeScript loader may compile without strictNullChecks.
    if (value === undefined || typeof value === "string") return value as string | undefined;
    return fail(component, field, value, "must be a plain string (not an Output or a number)");
}

/** Checks that an optional field is true or false. */
export function optionalBoolean(component: string, field: string, value: unknown): boolean | undefined {
    if (value === undefined || typeof value === "boolean") return value as boolean | undefined;
    return fail(component, field, value, "must be true or false");
}
