/**
 * Compares our reader's view of a case with what the engine did. Each
 * difference is a disagreement: a network or container on one side only,
 * a field that differs, a command the engine or the CLI refused that the
 * reader judged as if it ran (not in its not-judged list), a hang.
 */
import { NotJudgedLine } from "../readers/commandLine";
import { ScriptRun } from "./measure";
import { NState } from "./normalized";
import { RenderedCommand } from "./render";

export interface Disagreement {
    /** The case's id (its names' prefix). */
    readonly case: string;
    readonly seed: number;
    readonly index: number;
    /** What differs: `network NAME.blocks`, `container NAME.attachments`, `refused: …`, `time limit`, … */
    readonly field: string;
    readonly predicted: unknown;
    readonly measured: unknown;
}

export interface CaseIdentity {
    readonly id: string;
    readonly seed: number;
    readonly index: number;
}

function same(a: unknown, b: unknown): boolean {
    return JSON.stringify(a) === JSON.stringify(b);
}

function compareRecords<T extends object>(
    kind: string,
    predicted: Record<string, T>,
    measured: Record<string, T>,
    push: (field: string, predicted: unknown, measured: unknown) => void,
    fields: (a: T, b: T, name: string) => void,
): void {
    const names = [...new Set([...Object.keys(predicted), ...Object.keys(measured)])].sort();
    for (const name of names) {
        const p = predicted[name];
        const m = measured[name];
        if (p === undefined || m === undefined) push(`${kind} ${name}`, p === undefined ? "absent" : "present", m === undefined ? "absent" : "present");
        else fields(p, m, name);
    }
}

/**
 * `explain(name)`: the reader's not-judged reasons for the commands that
 * name a network or container; a node the reader left out is then "absent,
 * listed as not judged" rather than silently absent.
 */
export function compareStates(identity: CaseIdentity, predicted: NState, measured: NState, explain: (name: string) => string[] = () => []): Disagreement[] {
    const out: Disagreement[] = [];
    const push = (field: string, p: unknown, m: unknown) => {
        const name = / (\S+)$/.exec(field)?.[1];
        const reasons = p === "absent" && name !== undefined ? explain(name) : [];
        const predictedText = reasons.length > 0 ? `absent (listed as not judged: ${reasons.join("; ")})` : p;
        out.push({ case: identity.id, seed: identity.seed, index: identity.index, field, predicted: predictedText, measured: m });
    };
    compareRecords("network", predicted.networks, measured.networks, push, (p, m, name) => {
        for (const key of ["driver", "internal", "interContainer", "blocks", "options"] as const) {
            if (!same(p[key], m[key])) push(`network ${name}.${key}`, p[key], m[key]);
        }
    });
    compareRecords("container", predicted.containers, measured.containers, push, (p, m, name) => {
        if (p.mode !== m.mode) push(`container ${name}.mode`, p.mode, m.mode);
        const networks = (record: Record<string, unknown>) => Object.keys(record).sort();
        if (!same(networks(p.attachments), networks(m.attachments))) {
            push(`container ${name}.networks`, networks(p.attachments), networks(m.attachments));
        }
        for (const network of Object.keys(p.attachments)) {
            const a = p.attachments[network];
            const b = m.attachments[network];
            if (b === undefined) continue;
            if (!same(a.aliases, b.aliases)) push(`container ${name}@${network}.aliases`, a.aliases, b.aliases);
            if (a.ipv4 !== b.ipv4) push(`container ${name}@${network}.ipv4`, a.ipv4 ?? null, b.ipv4 ?? null);
            if (a.ipv6 !== b.ipv6) push(`container ${name}@${network}.ipv6`, a.ipv6 ?? null, b.ipv6 ?? null);
        }
        if (!same(p.ports, m.ports)) push(`container ${name}.ports`, p.ports, m.ports);
        if (!same(p.links, m.links)) push(`container ${name}.links`, p.links, m.links);
    });
    return out;
}

/** The lines of a CLI's stderr that say why, without its usage hints. */
export function stderrGist(stderr: string): string {
    const lines = stderr.split("\n").map((line) => line.trim()).filter((line) => line !== "" && !/^(See|Run) 'docker .*--help'/.test(line));
    return lines.join(" ").slice(0, 300);
}

/** The rendered command an invocation ran, by its words (the first not matched yet). */
function commandOf(argv: readonly string[], commands: readonly RenderedCommand[], used: Set<number>): number {
    const index = commands.findIndex((command, i) => !used.has(i) && same(command.argv, argv));
    if (index >= 0) used.add(index);
    return index;
}

/**
 * Every command the engine or the CLI refused must be in the reader's
 * not-judged list (on one of the lines it may be reported on); a command
 * that did not end within the time limit is a hang.
 */
export function compareRefusals(
    identity: CaseIdentity,
    run: ScriptRun,
    commands: readonly RenderedCommand[],
    notJudged: readonly NotJudgedLine[],
): Disagreement[] {
    const out: Disagreement[] = [];
    const push = (field: string, p: unknown, m: unknown) => out.push({ case: identity.id, seed: identity.seed, index: identity.index, field, predicted: p, measured: m });
    const used = new Set<number>();
    for (const invocation of run.invocations) {
        const index = commandOf(invocation.argv, commands, used);
        const excerpt = invocation.argv.join(" ");
        if (invocation.status === 0) continue;
        if (invocation.status === null) {
            push(`time limit: ${excerpt}`, "ends", "did not end within the case's time limit");
            continue;
        }
        const lines = index >= 0 ? commands[index].lines : [];
        const listed = notJudged.filter((entry) => entry.line !== null && lines.includes(entry.line));
        if (listed.length === 0) {
            push(`refused: ${excerpt}`, `judged as if it ran (lines ${lines.join(", ") || "?"} not in notJudged)`, `exit ${invocation.status}: ${stderrGist(invocation.stderr)}`);
        }
    }
    if (run.timedOut && !run.invocations.some((invocation) => invocation.status === null)) {
        push("time limit: script", "ends", "the script did not end within the case's time limit");
    }
    return out;
}

/** A short name for a disagreement's cause, for grouping: the field without the case's names. */
export function causeOf(disagreement: Disagreement): string {
    const field = disagreement.field;
    const anonymous = (text: string) => text.replace(/f[zp]\d+-\d+-(o-)?[a-z]\d+([a-z]\d+)?(-s\d+)?/g, "X");
    const program = /^(refused|accepted): (fp\d+-\d+-\S+)$/.exec(field);
    if (program) {
        const side = program[1] === "refused" ? disagreement.measured : disagreement.predicted;
        const said = anonymous(String(side)).replace(/[0-9a-f]{12,64}/g, "ID").replace(/\d+\.\d+\.\d+\.\d+(\/\d+)?/g, "IP").replace(/[0-9a-f:]+::[0-9a-f:/]*/g, "IP6");
        return `${program[1]} ${anonymous(program[2])}: ${said.slice(0, 140)}`;
    }
    if (field.startsWith("refused: ")) {
        const words = field.slice("refused: ".length).split(" ");
        const verb = words[1] === "network" ? `network ${words[2]}` : words[1];
        const stderr = String(disagreement.measured).replace(/fz\d+-\d+-[a-z0-9]+/g, "X").replace(/[0-9a-f]{12,64}/g, "ID").replace(/\d+\.\d+\.\d+\.\d+(\/\d+)?/g, "IP").replace(/[0-9a-f:]+::[0-9a-f:/]*/g, "IP6");
        return `refused ${verb}: ${stderr.replace(/^exit \d+: /, "").slice(0, 140)}`;
    }
    const named = anonymous(field);
    if (/^(network|container) X$/.test(named)) {
        const listed = String(disagreement.predicted).startsWith("absent (listed") ? ", listed as not judged" : "";
        return `${named.split(" ")[0]} predicted ${String(disagreement.predicted).split(" ")[0]}${listed}, measured ${String(disagreement.measured)}`;
    }
    return named;
}
