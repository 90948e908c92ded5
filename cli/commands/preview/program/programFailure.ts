/**
 * How a failed program run is told to the user: the program's own message
 * first, then where Pulumi met it. Pulumi prefixes the errors it rethrows
 * ("error serializing property …", "failed to register new resource …");
 * those prefixes become a trailing "(while …)" so that the first words a CI
 * log shows are the program's.
 */
import { UserError } from "../../../errors";

/** Prefixes Pulumi's runtime puts before an error of the program, and what each says about where it happened. */
const PULUMI_PREFIXES: readonly { readonly pattern: RegExp; readonly where: (match: RegExpMatchArray) => string }[] = [
    { pattern: /^error serializing property "([^"]*)": /, where: (m) => `property "${m[1]}"` },
    { pattern: /^failed to register new resource (\S+) \[([^\]]*)\]: /, where: (m) => `resource ${m[1]} [${m[2]}]` },
    { pattern: /^Unable to set property '([^']*)' on resource '([^']*)' \[([^\]]*)\]; error: /, where: (m) => `property "${m[1]}" of resource ${m[2]} [${m[3]}]` },
];

/** The program's message, with Pulumi's prefixes moved behind it as context. */
export function describeFailure(err: unknown): string {
    let message = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, " ").trim();
    const context: string[] = [];
    for (let peeled = true; peeled; ) {
        peeled = false;
        for (const { pattern, where } of PULUMI_PREFIXES) {
            const match = message.match(pattern);
            if (!match) continue;
            context.push(where(match));
            message = message.slice(match[0].length);
            peeled = true;
        }
    }
    if (message === "") message = err instanceof Error ? `${err.name} without a message` : "an empty error";
    return context.length > 0 ? `${message} (while Pulumi resolved ${context.reverse().join(" of ")})` : message;
}

/** The run was given up: it stopped making progress, or ran out of time. */
export class ProgramStalled extends Error {}

/** Seconds a program may run before it is given up, unless `--timeout` or this variable says otherwise. */
export const PROGRAM_TIMEOUT_ENV = "NETGUARD_PROGRAM_TIMEOUT";
export const DEFAULT_PROGRAM_TIMEOUT_SECONDS = 300;

/** Parses a timeout in seconds (a positive number), naming where it came from when it is not one. */
export function parseTimeoutSeconds(value: string, source: string): number {
    const seconds = Number(value);
    if (value.trim() === "" || !Number.isFinite(seconds) || seconds <= 0) {
        throw new UserError(`${source} = ${JSON.stringify(value)}: must be a positive number of seconds`);
    }
    return seconds;
}
