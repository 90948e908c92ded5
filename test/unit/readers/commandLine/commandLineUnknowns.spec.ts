/**
 * An unknown value in a command line never adds a violation: whatever a
 * policy reports when one value of a generated script is an unknown
 * variable, it also reports for every value that variable could take from
 * the same pool (here: given through the resource's `environment`).
 */
import * as assert from "assert";
import fc from "fast-check";
import { policyResources } from "../../../../policies/engineArgs";
import { readResources } from "../../../../readers/pulumi/fromPulumi";
import { LOCAL_COMMAND, resource, runPack } from "../../../helpers/policyHarness";

/** Values each kind of slot takes; the first network names are created by the script. */
const POOLS = {
    net: ["front", "back", "bridge", "host", "none", "container:web", "default", "elsewhere"],
    subnet: ["10.30.0.0/24", "10.30.0.0/16", "10.31.0.0/24", "192.169.0.0/16", "172.17.0.0/16", "10.30.0.1/24", "garbage"],
    gateway: ["10.30.0.1", "10.31.0.1", "10.30.0.0", "10.30.0.255"],
    ip: ["10.30.0.1", "10.30.0.5", "10.31.0.5", "10.30.0.0", "10.30.0.200"],
    name: ["web", "api", "db"],
    /** Names of further networks (a second `docker network create front` fails and creates nothing). */
    newNet: ["extra", "more"],
    link: ["db", "web:alias"],
} as const;
type Kind = keyof typeof POOLS;

/** Command line templates: `{kind}` marks a slot. */
const TEMPLATES = [
    "docker network create --subnet {subnet} --gateway {gateway} front",
    "docker network create --subnet {subnet} --ip-range {subnet} back",
    "docker network create {newNet}",
    "docker run -d --name {name} --network {net} img",
    "docker run -d --name {name} --network {net} --ip {ip} img",
    "docker run -d --name {name} --link {link} img",
    "docker network connect {net} {name}",
    "docker network connect --ip {ip} {net} {name}",
    "docker run -d --network {net} --network {net} img",
];

interface Slot {
    readonly kind: Kind;
    readonly value: string;
}

const line = fc.constantFrom(...TEMPLATES).chain((template) => {
    const kinds = [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as Kind);
    return fc
        .tuple(...kinds.map((kind) => fc.constantFrom(...POOLS[kind]).map((value): Slot => ({ kind, value }))))
        .map((slots) => ({ template, slots }));
});

const scenario = fc
    .array(line, { minLength: 1, maxLength: 5 })
    .chain((lines) => {
        const slotCount = lines.reduce((n, l) => n + l.slots.length, 0);
        return fc.record({ lines: fc.constant(lines), unknownAt: fc.nat({ max: Math.max(0, slotCount - 1) }), quoted: fc.boolean() });
    })
    .filter(({ lines }) => lines.some((l) => l.slots.length > 0));

/** The script with slot `unknownAt` written as `$U`, and that slot's kind. */
function render(lines: { template: string; slots: Slot[] }[], unknownAt: number, quoted: boolean): { script: string; kind: Kind } {
    let index = 0;
    let kind: Kind = "net";
    const script = lines
        .map(({ template, slots }) => {
            let slot = 0;
            return template.replace(/\{\w+\}/g, () => {
                const current = slots[slot++];
                if (index++ !== unknownAt) return current.value;
                kind = current.kind;
                return quoted ? '"$U"' : "$U";
            });
        })
        .join("\n");
    return { script, kind };
}

/**
 * True when Docker refuses a line of the script, which then changes nothing:
 * a second container of one name, or connecting a container to a network
 * it was started on, or one that shares another namespace (host, none, container:).
 */
/** `default` is Docker's other name for `bridge`, the network of a container started without one. */
function sameNetwork(a: string | undefined, b: string): boolean {
    const canonical = (name: string | undefined) => (name === undefined || name === "default" ? "bridge" : name);
    return canonical(a) === canonical(b);
}

function refusedByDocker(script: string): boolean {
    const runs = [...script.matchAll(/^docker run -d --name (\S+)(?: --network (\S+))?/gm)].map((match) => [match[1], match[2]]);
    if (new Set(runs.map(([name]) => name)).size < runs.length) return true;
    return [...script.matchAll(/^docker network connect (?:--ip \S+ )?(\S+) (\S+)$/gm)].some((connect) =>
        runs.some(([name, network]) => name === connect[2] && (sameNetwork(network, connect[1]) || /^(host|none|container:)/.test(network ?? ""))),
    );
}

/** A value that makes Docker refuse a line (as the reader models it): that line is then not judged, nothing to compare. */
function refusedByReader(script: string, value: string): boolean {
    const { notJudged } = readResources(policyResources([resource(LOCAL_COMMAND, "setup", { create: script, environment: { U: value } })]));
    return notJudged.some((entry) => /refuses this command/.test(entry.reason));
}

async function violatedPolicies(script: string, environment?: Record<string, string>): Promise<Set<string>> {
    const inputs: Record<string, unknown> = { create: script, ...(environment ? { environment } : {}) };
    const violations = await runPack([resource(LOCAL_COMMAND, "setup", inputs)]);
    return new Set(violations.map((violation) => violation.policy));
}

describe("command lines: unknown values", () => {
    it("never add a violation that some value of the unknown would not cause (property)", async () => {
        await fc.assert(
            fc.asyncProperty(scenario, async ({ lines, unknownAt, quoted }) => {
                const { script, kind } = render(lines, unknownAt, quoted);
                const withUnknown = await violatedPolicies(script);
                for (const value of POOLS[kind]) {
                    if (refusedByDocker(script.replace(/"?\$U"?/, value)) || refusedByReader(script, value)) continue;
                    const known = await violatedPolicies(script, { U: value });
                    const added = [...withUnknown].filter((policy) => !known.has(policy));
                    assert.deepStrictEqual(added, [], `${script}\nwith U unknown reports ${added.join(", ")}, not reported with U=${value}`);
                }
            }),
            { numRuns: 200 },
        );
    });
});
