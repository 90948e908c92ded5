/**
 * Stack names as Pulumi accepts them (`pulumi stack init`): 1 to 100
 * letters, digits, `-`, `_` and `.`. The name picks `Pulumi.<stack>.yaml`
 * and becomes part of every Docker name, so anything else (a path, a line
 * break) is refused. Qualified names (`org/stack`, `org/project/stack`) are
 * refused too: the config file is named by the stack's own name.
 */
import { excerpt } from "../../../../text/excerpt";
import { UserError } from "../../../errors";

export const MAX_STACK_NAME_LENGTH = 100;
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

/** Returns `name` when Pulumi would accept it as a stack name; throws a {@link UserError} saying why not. */
export function validateStackName(name: string): string {
    const shown = `--stack ${excerpt(name)}`;
    if (name.includes("/")) {
        throw new UserError(`${shown}: qualified stack names (org/stack, org/project/stack) are not supported; pass the stack's own name, the one in Pulumi.<stack>.yaml`);
    }
    if (name.length === 0 || name.length > MAX_STACK_NAME_LENGTH) {
        throw new UserError(`${shown}: a stack name has 1 to ${MAX_STACK_NAME_LENGTH} characters, this one ${name.length}`);
    }
    if (!STACK_NAME.test(name)) {
        throw new UserError(`${shown}: stack names may only contain letters, digits, hyphens, underscores and periods (as in Pulumi)`);
    }
    return name;
}
