/**
 * The TypeScript writer of `netguard import`: an {@link ImportPlan} → the
 * text of a Pulumi program that imports the components from the package's
 * public entry, as a user of the installed package writes it. Every note of
 * the plan becomes a comment at the top; values are written as JSON
 * literals, so any name or text the source had is quoted safely.
 */
import { PublishedPort } from "../../../topology/model";
import { ImportNote, ImportPlan, PlannedDualHomed, PlannedMember, PlannedNet, PlannedPlace, PlannedProcess } from "./importPlan";

/** Where the program imports the components from: the package's public entry. */
export const COMPONENTS_PACKAGE = "docker-netguard";

const INDENT = "    ";

/** A comment's lines: control characters out, so that no text of the source ends the comment or hides a line. */
function commentLines(text: string, prefix = ""): string[] {
    return [`// ${prefix}${text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ")}`];
}

/** A JSON literal; a list of strings on one line with a space after each comma, as a person writes it. */
const literal = (value: unknown): string => (Array.isArray(value) ? `[${value.map((item) => JSON.stringify(item)).join(", ")}]` : JSON.stringify(value));

/** A property key: bare when it is an identifier, else quoted. */
function key(name: string): string {
    return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : literal(name);
}

/** An object literal from [key, written value] entries, one line each. */
function object(entries: readonly (readonly [string, string | undefined])[], depth: number): string {
    const present = entries.filter((entry): entry is readonly [string, string] => entry[1] !== undefined);
    if (present.length === 0) return "{}";
    const pad = INDENT.repeat(depth + 1);
    return `{\n${present.map(([name, value]) => `${pad}${key(name)}: ${value},`).join("\n")}\n${INDENT.repeat(depth)}}`;
}

function portLiteral(port: PublishedPort): string {
    const fields: [string, unknown][] = [["internal", port.internal], ["external", port.external], ["ip", port.ip], ["protocol", port.protocol === "tcp" ? undefined : port.protocol]];
    return `{ ${fields.filter(([, value]) => value !== undefined).map(([name, value]) => `${name}: ${literal(value)}`).join(", ")} }`;
}

/** The fields of a process (image, command, environment, ports) in the components' args. */
function processEntries(process: PlannedProcess, depth: number): [string, string | undefined][] {
    const ports = process.ports.length > 0 ? object([["ports", `[${process.ports.map(portLiteral).join(", ")}]`]], depth + 1) : undefined;
    return [
        ["image", literal(process.image)],
        ["command", process.command ? literal(process.command) : undefined],
        ["envs", process.envs ? literal(process.envs) : undefined],
        ["containerArgs", ports],
    ];
}

function placeEntries(place: PlannedPlace): [string, string | undefined][] {
    return [
        ["aliases", place.aliases.length > 0 ? literal(place.aliases) : undefined],
        ["ipv4Address", place.ipv4Address !== undefined ? literal(place.ipv4Address) : undefined],
    ];
}

/** A net's variable name: its name as an identifier, unique, ending in `Net`. */
function variableNames(nets: readonly PlannedNet[]): Map<string, string> {
    const names = new Map<string, string>();
    const taken = new Set<string>();
    for (const net of nets) {
        const words = net.name.split(/[^A-Za-z0-9]+/).filter((word) => word !== "");
        const stem = words.map((word, i) => (i === 0 ? word.toLowerCase() : word[0].toUpperCase() + word.slice(1).toLowerCase())).join("") || "net";
        const base = `${/^[0-9]/.test(stem) ? `n${stem}` : stem}Net`;
        let name = base;
        for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
        taken.add(name);
        names.set(net.name, name);
    }
    return names;
}

function memberLiteral(member: PlannedMember, depth: number): string {
    return object([...processEntries(member, depth), ...placeEntries(member)], depth);
}

/** `variable` undefined: no dual-homed container refers to the net, so it needs no variable. */
function netStatement(net: PlannedNet, variable: string | undefined): string {
    const services = net.members.length > 0 ? object(net.members.map((member) => [member.key, memberLiteral(member, 2)] as const), 1) : undefined;
    const args = object(
        [
            ["subnet", literal(net.subnet)],
            ["gateway", net.gateway !== undefined ? literal(net.gateway) : undefined],
            ["ipRange", net.ipRange !== undefined ? literal(net.ipRange) : undefined],
            ["internal", net.internal ? "true" : undefined],
            ["interContainer", net.interContainer ? undefined : "false"],
            ["services", services],
        ],
        0,
    );
    return `${variable !== undefined ? `const ${variable} = ` : ""}new IsolatedServiceNet(${literal(net.name)}, ${args});`;
}

function dualHomedStatement(container: PlannedDualHomed, variables: ReadonlyMap<string, string>): string {
    const attachments = container.attachments.map((attachment) => object([["net", variables.get(attachment.net)!], ...placeEntries(attachment)], 2));
    const args = object([...processEntries(container, 0), ["attachments", `[\n${INDENT.repeat(2)}${attachments.join(`,\n${INDENT.repeat(2)}`)},\n${INDENT}]`]], 0);
    return `new DualHomedContainer(${literal(container.name)}, ${args});`;
}

function noteSection(title: string, notes: readonly ImportNote[]): string[] {
    if (notes.length === 0) return [];
    return [`//`, `// ${title}:`, ...notes.flatMap((note) => commentLines(`${note.subject}: ${note.text}`, "- "))];
}

/** The program's text. */
export function writeProgram(plan: ImportPlan): string {
    const variables = variableNames(plan.nets);
    const components = [...(plan.dualHomed.length > 0 ? ["DualHomedContainer"] : []), "IsolatedServiceNet"];
    const header = [
        ...commentLines(`Written by \`netguard import\` from ${plan.description}.`),
        "// Check it with `netguard preview`; subnets the source did not pin are allocated, clear of each other and of docker0.",
        ...noteSection("Changed, so that no mandatory policy is violated", plan.notes.filter((note) => note.kind === "changed")),
        ...noteSection("Not carried over", plan.notes.filter((note) => note.kind === "not-carried")),
    ];
    const referenced = new Set(plan.dualHomed.flatMap((container) => container.attachments.map((attachment) => attachment.net)));
    const body = [
        ...plan.nets.map((net) => netStatement(net, referenced.has(net.name) ? variables.get(net.name) : undefined)),
        ...plan.dualHomed.map((container) => dualHomedStatement(container, variables)),
    ];
    return [...header, "", `import { ${components.join(", ")} } from ${literal(COMPONENTS_PACKAGE)};`, "", ...body.flatMap((statement) => [statement, ""])].join("\n");
}
