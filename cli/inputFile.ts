/**
 * Reading the files a pull request controls (preview documents for `diff`,
 * the policy config, `Pulumi.yaml` and `Pulumi.<stack>.yaml`) within limits:
 * a size cap enforced while reading (so `/dev/zero` or a 300 MB file stops
 * at the cap instead of exhausting memory) and a nesting limit checked
 * before parsing (so deep documents are refused by name instead of
 * overflowing the stack). Both can be raised through the environment.
 */
import * as fs from "fs";
import { escapeControls } from "../text/excerpt";
import { UserError } from "./errors";

export interface InputLimits {
    /** Largest input file, in bytes. */
    readonly maxBytes: number;
    /** Deepest nesting of objects and arrays (JSON) or collections (YAML). */
    readonly maxDepth: number;
}

/** Environment variables that raise (or lower) the limits. */
export const MAX_INPUT_MB_ENV = "NETGUARD_MAX_INPUT_MB";
export const MAX_INPUT_DEPTH_ENV = "NETGUARD_MAX_INPUT_DEPTH";

export const DEFAULT_INPUT_LIMITS: InputLimits = { maxBytes: 64 * 1024 * 1024, maxDepth: 64 };

const MIB = 1024 * 1024;

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, integer: boolean): number {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
        throw new UserError(`${name} = ${JSON.stringify(escapeControls(raw.slice(0, 40)))}: must be a positive ${integer ? "whole number" : "number"}`);
    }
    return value;
}

/** The limits in force: the defaults, or what {@link MAX_INPUT_MB_ENV} and {@link MAX_INPUT_DEPTH_ENV} say. */
export function inputLimits(env: NodeJS.ProcessEnv = process.env): InputLimits {
    return {
        maxBytes: Math.floor(positiveNumber(env, MAX_INPUT_MB_ENV, DEFAULT_INPUT_LIMITS.maxBytes / MIB, false) * MIB),
        maxDepth: positiveNumber(env, MAX_INPUT_DEPTH_ENV, DEFAULT_INPUT_LIMITS.maxDepth, true),
    };
}

function megabytes(bytes: number): string {
    return `${Number((bytes / MIB).toFixed(2))} MiB`;
}

/** Why a file cannot be opened, as people say it. */
function openFailure(err: NodeJS.ErrnoException): string {
    switch (err.code) {
        case "ENOENT":
            return "it does not exist";
        case "ELOOP":
            return "it is a loop of symbolic links";
        case "EACCES":
        case "EPERM":
            return "permission denied";
        case "ENOTDIR":
            return "a part of its path is not a folder";
        default:
            return escapeControls(err.message);
    }
}

const CHUNK = 1024 * 1024;

/**
 * The text of `file`, described as `label` in messages (e.g. `the BASE
 * preview base.json`). Throws a {@link UserError} when it cannot be read or
 * holds more than `limits.maxBytes`; `hint` ends every message.
 */
export function readInputFile(file: string, label: string, limits: InputLimits = inputLimits(), hint = ""): string {
    const tail = hint ? ` ${hint}` : "";
    let fd: number;
    try {
        fd = fs.openSync(file, "r");
    } catch (err) {
        throw new UserError(`cannot read ${label}: ${openFailure(err as NodeJS.ErrnoException)}.${tail}`, err);
    }
    const tooBig = () =>
        new UserError(
            `${label} is larger than ${megabytes(limits.maxBytes)}, the limit for an input file; set ${MAX_INPUT_MB_ENV} (in MiB) to raise it.${tail}`,
        );
    try {
        const stat = fs.fstatSync(fd);
        if (stat.isDirectory()) throw new UserError(`cannot read ${label}: it is a folder, not a file.${tail}`);
        if (stat.isFile() && stat.size > limits.maxBytes) throw tooBig();
        // Devices and pipes have no size: read at most one byte past the limit.
        const chunks: Buffer[] = [];
        let total = 0;
        for (;;) {
            const chunk = Buffer.allocUnsafe(Math.min(CHUNK, limits.maxBytes + 1 - total));
            const read = fs.readSync(fd, chunk, 0, chunk.length, null);
            if (read === 0) break;
            chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
            total += read;
            if (total > limits.maxBytes) throw tooBig();
        }
        return Buffer.concat(chunks, total).toString("utf8");
    } catch (err) {
        if (err instanceof UserError) throw err;
        throw new UserError(`cannot read ${label}: ${openFailure(err as NodeJS.ErrnoException)}.${tail}`, err);
    } finally {
        fs.closeSync(fd);
    }
}

/** Line and column (1-based) of a character offset, for messages. */
export function lineAndColumn(text: string, offset: number): string {
    let line = 1;
    let lineStart = 0;
    for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
        line++;
        lineStart = i + 1;
    }
    return `line ${line}, column ${offset - lineStart + 1}`;
}

/** The offset where JSON `text` first nests deeper than `maxDepth`, if it does (one pass, strings skipped). */
function tooDeepAt(text: string, maxDepth: number): number | undefined {
    let depth = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
        const char = text.charCodeAt(i);
        if (inString) {
            if (char === 0x5c) i++; // backslash: skip the escaped character
            else if (char === 0x22) inString = false;
        } else if (char === 0x22) {
            inString = true;
        } else if (char === 0x7b || char === 0x5b) {
            if (++depth > maxDepth) return i;
        } else if (char === 0x7d || char === 0x5d) {
            depth--;
        }
    }
    return undefined;
}

/** The error for a document nested deeper than the limit, `where` saying where it goes deeper. */
export function tooDeep(label: string, limits: InputLimits, where: string, hint = ""): UserError {
    return new UserError(
        `${label} nests deeper than ${limits.maxDepth} levels (at ${where}), the limit for input documents; set ${MAX_INPUT_DEPTH_ENV} to raise it.${hint ? ` ${hint}` : ""}`,
    );
}

/**
 * Parses JSON `text` read from `label`, refusing documents nested deeper
 * than `limits.maxDepth` before parsing them. Throws a {@link UserError}
 * (with a one-line, escaped reason) for invalid JSON.
 */
export function parseJsonInput(text: string, label: string, limits: InputLimits = inputLimits(), hint = ""): unknown {
    const deep = tooDeepAt(text, limits.maxDepth);
    if (deep !== undefined) throw tooDeep(label, limits, lineAndColumn(text, deep), hint);
    try {
        return JSON.parse(text);
    } catch (err) {
        const reason = escapeControls((err as Error).message).slice(0, 200);
        throw new UserError(`${label} is not valid JSON (${reason}).${hint ? ` ${hint}` : ""}`, err);
    }
}
