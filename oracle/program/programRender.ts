/**
 * A program spec as declarations (what each resource or component is given,
 * references to earlier ones kept symbolic), which become both the program
 * the harness runs (`programOf`, a function that declares the resources, as
 * tests run inline programs) and its TypeScript text (`programSource`, for
 * people and fixtures). One builder, two outputs: the text is what ran.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { DualHomedContainer } from "../../components/dualHomedContainer";
import { IsolatedServiceNet } from "../../components/isolatedServiceNet";
import { IMAGE } from "../caseModel";
import { ProgramNames, ProgramSpec } from "./programModel";

/** A reference to an earlier declaration: a network's or container's `name` (with a prefix), or a component. */
export interface Ref {
    readonly ref: string;
    readonly prefix?: string;
}

type Value = string | number | boolean | Ref | Value[] | { [key: string]: Value };

export interface Declaration {
    readonly kind: "network" | "container" | "isolated" | "dualHomed";
    /** The variable (and logical) name. */
    readonly variable: string;
    readonly args: { [key: string]: Value };
}

const isRef = (value: unknown): value is Ref => typeof value === "object" && value !== null && "ref" in value;

export function declarations(spec: ProgramSpec, names: ProgramNames): Declaration[] {
    const out: Declaration[] = [];
    const netRef = (net: number, isolated: boolean): Ref => (isolated ? { ref: `${names.isolated(net)}.network` } : { ref: `n${net}` });
    spec.networks.forEach((network, n) => {
        const ipamConfigs = network.blocks.map((block) => ({
            subnet: block.family === 4 ? names.subnet4(block.slot) : names.subnet6(block.slot),
            ...(block.gateway ? { gateway: block.family === 4 ? names.gateway4(block.slot) : names.gateway6(block.slot) } : {}),
        }));
        out.push({
            kind: "network",
            variable: `n${n}`,
            args: {
                name: names.network(n),
                ...(network.writeDriver ? { driver: "bridge" } : {}),
                ...(network.internal ? { internal: true } : {}),
                ...(network.ipv6 ? { ipv6: true } : {}),
                ...(network.icc ? { options: { "com.docker.network.bridge.enable_icc": network.icc } } : {}),
                ...(ipamConfigs.length > 0 ? { ipamConfigs } : {}),
            },
        });
    });
    spec.isolated.forEach((net, i) => {
        const services: { [key: string]: Value } = {};
        net.services.forEach((service, s) => {
            services[`s${s}`] = {
                image: IMAGE,
                ...(service.aliases > 0 ? { aliases: [`${names.id}-i${i}s${s}`] } : {}),
                ...(service.staticAddress ? { ipv4Address: names.address4(net.slot, 10 + s, "in") } : {}),
            };
        });
        out.push({
            kind: "isolated",
            variable: names.isolated(i),
            args: { subnet: names.subnet4(net.slot), internal: net.internal, interContainer: net.interContainer, services },
        });
    });
    spec.containers.forEach((container, c) => {
        const mode = container.mode;
        const networkMode: Value | undefined =
            mode === undefined ? undefined : mode.kind === "network" ? netRef(mode.net, false) : mode.kind === "container" ? { ref: `c${mode.container}`, prefix: "container:" } : mode.kind;
        const slotOf = (attachment: { net: number; isolated: boolean }, family: 4 | 6) => {
            if (attachment.isolated) return spec.isolated[attachment.net].slot;
            const blocks = spec.networks[attachment.net].blocks;
            return (blocks.find((block) => block.family === family) ?? blocks[0])?.slot ?? attachment.net;
        };
        const networksAdvanced = container.attachments.map((attachment, k) => ({
            name: netRef(attachment.net, attachment.isolated),
            ...(attachment.aliases > 0 ? { aliases: [...Array(attachment.aliases).keys()].map((x) => names.alias(c, k * 2 + x)) } : {}),
            ...(attachment.ipv4 ? { ipv4Address: names.address4(slotOf(attachment, 4), 100 + c * 4 + k, attachment.ipv4) } : {}),
            ...(attachment.ipv6 ? { ipv6Address: names.address6(slotOf(attachment, 6), 0x100 + c * 4 + k, attachment.ipv6) } : {}),
        }));
        const ports = container.ports.map((port, k) => ({
            internal: port.internal,
            ...(port.fixedHost ? { external: names.hostPort(c, k) } : {}),
            ...(port.ip ? { ip: port.ip } : {}),
            ...(port.protocol ? { protocol: port.protocol } : {}),
        }));
        out.push({
            kind: "container",
            variable: `c${c}`,
            args: {
                name: names.container(c),
                image: IMAGE,
                ...(networkMode !== undefined ? { networkMode } : {}),
                ...(networksAdvanced.length > 0 ? { networksAdvanced } : {}),
                ...(ports.length > 0 ? { ports } : {}),
                ...(container.publishAll ? { publishAllPorts: true } : {}),
                ...(container.links.length > 0 ? { links: container.links.map((target): Ref => ({ ref: `c${target}` })) } : {}),
            },
        });
    });
    spec.dualHomed.forEach((dual, d) => {
        const attachments = dual.nets.map((net, k) => ({
            net: { ref: names.isolated(net) },
            ...(dual.aliases > 0 ? { aliases: [`${names.id}-d${d}x${k}`] } : {}),
            ...(dual.staticAddress ? { ipv4Address: names.address4(spec.isolated[net].slot, 200 + d, "in") } : {}),
        }));
        out.push({ kind: "dualHomed", variable: names.dualHomed(d), args: { image: IMAGE, attachments } });
    });
    return out;
}

/** The program: a function that declares the resources (run under mocks for the preview). */
export function programOf(decls: readonly Declaration[]): () => void {
    return () => {
        const scope: Record<string, unknown> = {};
        const lookup = (path: string): unknown => path.split(".").reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], scope);
        const resolve = (value: Value): unknown => {
            if (isRef(value)) {
                const target = lookup(value.ref);
                if (target instanceof IsolatedServiceNet) return target;
                return value.prefix ? pulumi.interpolate`${value.prefix}${(target as docker.Network).name}` : (target as docker.Network).name;
            }
            if (Array.isArray(value)) return value.map(resolve);
            if (typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item)]));
            return value;
        };
        for (const decl of decls) {
            const args = resolve(decl.args) as never;
            if (decl.kind === "network") scope[decl.variable] = new docker.Network(decl.variable, args);
            else if (decl.kind === "container") scope[decl.variable] = new docker.Container(decl.variable, args);
            else if (decl.kind === "isolated") scope[decl.variable] = new IsolatedServiceNet(decl.variable, args);
            else scope[decl.variable] = new DualHomedContainer(decl.variable, args);
        }
    };
}

function sourceOf(value: Value, indent: string): string {
    if (isRef(value)) {
        if (!value.ref.includes(".") && value.ref.startsWith("i")) return value.ref;
        return value.prefix ? `pulumi.interpolate\`${value.prefix}\${${value.ref}.name}\`` : `${value.ref}.name`;
    }
    if (Array.isArray(value)) return `[${value.map((item) => sourceOf(item, indent)).join(", ")}]`;
    if (typeof value === "object") {
        const inner = `${indent}    `;
        const fields = Object.entries(value).map(([key, item]) => `${inner}${/^[a-zA-Z_]\w*$/.test(key) ? key : JSON.stringify(key)}: ${sourceOf(item, inner)},`);
        return fields.length === 0 ? "{}" : `{\n${fields.join("\n")}\n${indent}}`;
    }
    return JSON.stringify(value);
}

const CONSTRUCTORS = { network: "docker.Network", container: "docker.Container", isolated: "IsolatedServiceNet", dualHomed: "DualHomedContainer" };

/** The program as TypeScript text. */
export function programSource(decls: readonly Declaration[], names: ProgramNames): string {
    const lines = [
        `// project ${names.id}, stack o`,
        'import * as docker from "@pulumi/docker";',
        'import * as pulumi from "@pulumi/pulumi";',
        'import { DualHomedContainer, IsolatedServiceNet } from "docker-netguard";',
        "",
        ...decls.map((decl) => `const ${decl.variable} = new ${CONSTRUCTORS[decl.kind]}("${decl.variable}", ${sourceOf(decl.args, "")});`),
    ];
    return `${lines.join("\n")}\n`;
}
