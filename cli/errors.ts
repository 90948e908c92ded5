/** Exit codes every netguard command uses: 0 no mandatory violation, 1 mandatory violations, 2 bad input or a failed program. */
export const EXIT_OK = 0;
export const EXIT_VIOLATIONS = 1;
export const EXIT_BAD_INPUT = 2;

/**
 * A problem with the user's program or input: printed as one paragraph,
 * without a stack trace (unless `--debug`), and exit code 2.
 */
export class UserError extends Error {
    constructor(message: string, readonly cause?: unknown) {
        super(message);
        this.name = "UserError";
    }
}
