/**
 * Bad component input: thrown at construction, so that `pulumi up` and
 * `netguard preview` stop before anything is created. The message names the
 * component, the field and the value.
 */
export class NetguardInputError extends Error {
    constructor(
        /** e.g. `IsolatedServiceNet "order"`. */
        readonly component: string,
        /** The argument path, e.g. `services.db.ipv4Address`. */
        readonly field: string,
        readonly value: unknown,
        problem: string,
    ) {
        super(`${component}: ${field} = ${JSON.stringify(value)}: ${problem}`);
        this.name = "NetguardInputError";
    }
}
