/**
 * Renders a case's steps to the shell script both our reader and `sh` get,
 * remembering for every docker command the words it runs with (after the
 * shell's expansions) and the script lines a reader may attribute it to.
 */
import { BlockSpec, CaseNames, CaseSpec, FUZZ_LABEL, IMAGE, NetCreate, NetFlag, NetTarget, OracleCase, PortSpec, Run, Step, WrappedStep } from "./caseModel";

export interface RenderedCommand {
    /** Index of the step it comes from. */
    readonly step: number;
    /** `docker` and its arguments as the shell runs them. */
    readonly argv: readonly string[];
    /** 1-based script lines it may be reported on (definition and call site for functions and aliases). */
    readonly lines: readonly number[];
}

export interface RenderedCase {
    readonly script: string;
    readonly commands: readonly RenderedCommand[];
}

const SAFE = /^[A-Za-z0-9_.,:=/@%+-]+$/;

export function shellQuote(word: string): string {
    return SAFE.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function firstCreate(spec: CaseSpec, net: number): NetCreate | undefined {
    for (const { step } of spec.steps) if (step.op === "netCreate" && step.net === net) return step;
    return undefined;
}

/** The block a static address on `net` is drawn from (a slot of its own when the network has none of that family). */
function blockOf(spec: CaseSpec, net: number | undefined, family: 4 | 6): BlockSpec {
    const create = net === undefined ? undefined : firstCreate(spec, net);
    return create?.blocks.find((block) => block.family === family) ?? { family, slot: 15, wide: false };
}

function targetText(names: CaseNames, target: NetTarget): string {
    if (target.kind === "user") return names.net(target.net);
    if (target.kind === "mode") return target.mode;
    return `container:${names.container(target.container)}`;
}

function networkWords(names: CaseNames, spec: CaseSpec, flag: NetFlag, container: number): string[] {
    const target = targetText(names, flag.target);
    switch (flag.spelling) {
        case "space":
            return ["--network", target];
        case "equals":
            return [`--network=${target}`];
        case "net":
            return ["--net", target];
        case "netEquals":
            return [`--net=${target}`];
        case "long": {
            const fields = [`name=${target}`];
            if (flag.longAlias) fields.push(`alias=${names.alias(container, 9)}`);
            if (flag.longIp !== undefined) {
                const net = flag.target.kind === "user" ? flag.target.net : undefined;
                fields.push(`ip=${names.address4(blockOf(spec, net, 4), 40 + container, flag.longIp)}`);
            }
            return ["--network", fields.join(",")];
        }
    }
}

function portWords(names: CaseNames, port: PortSpec, k: number): string[] {
    const hostPort = 41000 + (names.index % 500) * 8 + k;
    const host = port.host === "none" ? "" : port.host === "fixed" ? `${hostPort}` : `${hostPort}-${hostPort + 1}`;
    const ip = port.ip === undefined ? undefined : port.ip.includes(":") ? `[${port.ip}]` : port.ip;
    const container = `${port.container}${port.protocol ? `/${port.protocol}` : ""}`;
    const text = ip !== undefined ? `${ip}:${host}:${container}` : host !== "" ? `${host}:${container}` : container;
    return port.spelling === "--publish=" ? [`--publish=${text}`] : [port.spelling, text];
}

function netCreateArgv(names: CaseNames, step: NetCreate, runId: string): string[] {
    const argv = ["docker", "network", "create"];
    if (step.writeDriver) argv.push(step.blocks.length % 2 === 0 ? "--driver" : "-d", "bridge");
    if (step.ipv6) argv.push("--ipv6");
    if (step.ipv4False) argv.push("--ipv4=false");
    if (step.internal) argv.push("--internal");
    for (const [k, block] of step.blocks.entries()) {
        if (block.family === 4) {
            argv.push("--subnet", names.subnet4(block));
            if (block.gateway) argv.push("--gateway", names.address4(block, 1 + k * 2, block.gateway));
            if (block.ipRange) argv.push("--ip-range", names.ipRange4(block));
            if (block.aux) argv.push("--aux-address", `h${k}=${names.address4(block, 5 + k, block.aux)}`);
        } else {
            argv.push("--subnet", names.subnet6(block));
            if (block.gateway) argv.push("--gateway", names.address6(block, 1 + k * 2, block.gateway));
            if (block.ipRange) argv.push("--ip-range", names.ipRange6(block));
            if (block.aux) argv.push("--aux-address", `h${k}=${names.address6(block, 5 + k, block.aux)}`);
        }
    }
    if (step.icc) argv.push("-o", `com.docker.network.bridge.enable_icc=${step.icc}`);
    if (step.masquerade) argv.push("--opt", `com.docker.network.bridge.enable_ip_masquerade=${step.masquerade}`);
    argv.push("--label", `${FUZZ_LABEL}=${runId}`, names.net(step.net));
    return argv;
}

function runArgv(names: CaseNames, spec: CaseSpec, step: Run, runId: string): string[] {
    const argv = ["docker", ...(step.createThenStart ? ["create"] : ["run", "-d"]), "--name", names.container(step.container)];
    argv.push("--label", `${FUZZ_LABEL}=${runId}`);
    for (const flag of step.networks) argv.push(...networkWords(names, spec, flag, step.container));
    const first = step.networks[0]?.target;
    const firstNet = first?.kind === "user" ? first.net : undefined;
    if (step.ip !== undefined) argv.push("--ip", names.address4(blockOf(spec, firstNet, 4), 20 + step.container, step.ip));
    if (step.ip6 !== undefined) argv.push("--ip6", names.address6(blockOf(spec, firstNet, 6), 0x20 + step.container, step.ip6));
    for (let k = 0; k < step.aliases; k++) argv.push(step.aliasFlag, names.alias(step.container, k));
    for (const [k, link] of step.links.entries()) {
        argv.push("--link", k % 2 === 0 ? `${names.container(link)}:${names.id}-l${link}` : names.container(link));
    }
    for (const [k, port] of step.ports.entries()) argv.push(...portWords(names, port, k));
    if (step.publishAll) argv.push("-P");
    argv.push(IMAGE);
    return argv;
}

/** The docker commands of one step (a `docker create` is followed by its `docker start`). */
export function stepArgvs(names: CaseNames, spec: CaseSpec, step: Step, runId: string): string[][] {
    switch (step.op) {
        case "netCreate":
            return [netCreateArgv(names, step, runId)];
        case "run": {
            const run = runArgv(names, spec, step, runId);
            return step.createThenStart ? [run, ["docker", "start", names.container(step.container)]] : [run];
        }
        case "connect": {
            const argv = ["docker", "network", "connect"];
            if (step.alias) argv.push("--alias", names.alias(step.container, 7));
            if (step.ip !== undefined) argv.push("--ip", names.address4(blockOf(spec, step.net, 4), 60 + step.container, step.ip));
            return [[...argv, names.net(step.net), names.container(step.container)]];
        }
        case "disconnect":
            return [["docker", "network", "disconnect", names.net(step.net), names.container(step.container)]];
        case "rm":
            return [["docker", "rm", "-f", names.container(step.container)]];
    }
}

/** The index of the word a variable or a function parameter stands for: the step's main name. */
function nameIndex(argv: readonly string[], names: CaseNames): number {
    const index = argv.findIndex((word, i) => i > 0 && word.startsWith(`${names.id}-`) && !argv[i - 1].startsWith("--link"));
    return index < 0 ? argv.length - 1 : index;
}

export function renderCase(oracleCase: OracleCase): RenderedCase {
    const names = new CaseNames(oracleCase.id, oracleCase.index);
    const { spec } = oracleCase;
    const lines: string[] = [`# netguard oracle case ${oracleCase.id} (seed ${oracleCase.seed}, index ${oracleCase.index})`];
    const commands: RenderedCommand[] = [];
    const quoted = (argv: readonly string[]) => argv.map(shellQuote).join(" ");
    const emit = (text: string) => {
        lines.push(text);
        return lines.length;
    };
    spec.steps.forEach((wrapped: WrappedStep, i: number) => {
        if (spec.exitBefore === i) emit("exit 0");
        const argvs = stepArgvs(names, spec, wrapped.step, oracleCase.runId);
        const [main, ...rest] = argvs;
        const at = nameIndex(main, names);
        switch (wrapped.wrapping) {
            case "variable": {
                emit(`V${i}=${shellQuote(main[at])}`);
                const words = main.map(shellQuote);
                words[at] = `"$V${i}"`;
                commands.push({ step: i, argv: main, lines: [emit(words.join(" "))] });
                break;
            }
            case "chain":
            case "semicolon": {
                if (lines.length <= 1 || lines[lines.length - 1] === "exit 0" || /\(\) \{|^alias |^V\d+=/.test(lines[lines.length - 1])) {
                    commands.push({ step: i, argv: main, lines: [emit(quoted(main))] });
                } else {
                    lines[lines.length - 1] += `${wrapped.wrapping === "chain" ? " && " : "; "}${quoted(main)}`;
                    commands.push({ step: i, argv: main, lines: [lines.length] });
                }
                break;
            }
            case "function": {
                const words = main.map(shellQuote);
                words[at] = `"$1"`;
                const definition = emit(`f${i}() { ${words.join(" ")}; }`);
                commands.push({ step: i, argv: main, lines: [definition, emit(`f${i} ${shellQuote(main[at])}`)] });
                break;
            }
            case "alias": {
                // docker plus its verb words (`run -d`, `network create`, …) become the alias.
                const verbWords = main[1] === "network" ? 3 : main[1] === "run" || main[1] === "rm" ? 3 : 2;
                const definition = emit(`alias d${i}=${shellQuote(main.slice(0, verbWords).join(" "))}`);
                commands.push({ step: i, argv: main, lines: [definition, emit(`d${i} ${quoted(main.slice(verbWords))}`)] });
                break;
            }
            case "plain":
                commands.push({ step: i, argv: main, lines: [emit(quoted(main))] });
                break;
        }
        for (const argv of rest) commands.push({ step: i, argv, lines: [emit(quoted(argv))] });
    });
    return { script: `${lines.join("\n")}\n`, commands };
}
