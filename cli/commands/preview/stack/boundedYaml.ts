/**
 * YAML from a pull request (`Pulumi.yaml`, `Pulumi.<stack>.yaml`), read
 * within limits: nesting is bounded while parsing, and aliases may not
 * expand the document beyond {@link MAX_YAML_VALUES} values (a few hundred
 * bytes of nested aliases otherwise expand to gigabytes when the config is
 * serialized), nor refer to themselves.
 */
import * as yaml from "js-yaml";
import { escapeControls } from "../../../../text/excerpt";
import { UserError } from "../../../errors";
import { InputLimits, tooDeep } from "../../../inputFile";

/** Values (scalars and collections) a document may hold once its aliases are expanded. */
export const MAX_YAML_VALUES = 100_000;

interface Measure {
    readonly values: number;
    readonly depth: number;
}

function isCollection(value: unknown): value is object {
    if (Array.isArray(value)) return true;
    if (value === null || typeof value !== "object") return false;
    const prototype = Object.getPrototypeOf(value);
    return prototype === Object.prototype || prototype === null;
}

/**
 * Counts the values of `root` as if every alias were a copy, and its depth,
 * without recursion (an alias chain may be long) and sharing the work of
 * repeated aliases. Undefined when an alias refers to a collection that
 * contains it.
 */
function measure(root: unknown, maxValues: number): Measure | undefined {
    const done = new Map<object, Measure>();
    const open = new Set<object>();
    const stack: { node: object; children: unknown[]; next: number; values: number; depth: number }[] = [];
    const enter = (node: object) => {
        open.add(node);
        stack.push({ node, children: Object.values(node), next: 0, values: 1, depth: 1 });
    };
    if (!isCollection(root)) return { values: 1, depth: 0 };
    enter(root);
    while (stack.length > 0) {
        const frame = stack[stack.length - 1];
        if (frame.next < frame.children.length) {
            const child = frame.children[frame.next++];
            if (!isCollection(child)) {
                frame.values++;
                continue;
            }
            if (open.has(child)) return undefined;
            const known = done.get(child);
            if (known === undefined) {
                enter(child);
                continue;
            }
            frame.values = Math.min(frame.values + known.values, maxValues + 1);
            frame.depth = Math.max(frame.depth, known.depth + 1);
            continue;
        }
        stack.pop();
        open.delete(frame.node);
        const result = { values: frame.values, depth: frame.depth };
        done.set(frame.node, result);
        const parent = stack[stack.length - 1];
        if (parent) {
            parent.values = Math.min(parent.values + result.values, maxValues + 1);
            parent.depth = Math.max(parent.depth, result.depth + 1);
        }
    }
    return done.get(root);
}

/** Parses YAML `text` read from `file`; throws a {@link UserError} naming the file and the limit it breaks. */
export function loadBoundedYaml(text: string, file: string, limits: InputLimits): unknown {
    let depth = 0;
    let document: unknown;
    try {
        document = yaml.load(text, {
            filename: file,
            listener(event, state) {
                depth += event === "open" ? 1 : -1;
                // The document itself is one open node: collections nest below it.
                if (depth > limits.maxDepth + 1) throw tooDeep(file, limits, `line ${state.line + 1}`);
            },
        });
    } catch (err) {
        if (err instanceof UserError) throw err;
        const reason = err instanceof yaml.YAMLException ? `${err.reason} (line ${err.mark.line + 1}, column ${err.mark.column + 1})` : (err as Error).message;
        throw new UserError(`cannot read ${file}: ${escapeControls(reason).slice(0, 200)}`, err);
    }
    const size = measure(document, MAX_YAML_VALUES);
    if (size === undefined) throw new UserError(`cannot read ${file}: a YAML alias refers to a collection that contains it`);
    if (size.values > MAX_YAML_VALUES) {
        throw new UserError(`cannot read ${file}: its YAML aliases expand it to more than ${MAX_YAML_VALUES.toLocaleString("en-US")} values; write the values out instead of nesting aliases`);
    }
    if (size.depth > limits.maxDepth) throw tooDeep(file, limits, "an alias that nests it further");
    return document;
}
