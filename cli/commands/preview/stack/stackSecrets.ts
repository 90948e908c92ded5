/**
 * `secure:` stack config values, decrypted offline the way the Pulumi CLI's
 * passphrase secrets provider does, with the salt of `encryptionsalt`. Other
 * providers (the Pulumi Cloud, a KMS) need a service that an offline preview
 * does not have.
 */
import * as fs from "fs";
import { UserError } from "../../../errors";
import { openValue, passphraseKey } from "./pulumiPassphrase";

/** Decrypts a `secure:` value, or throws naming the value. */
export type Decrypt = (ciphertext: string, key: string) => string;

/** The passphrase from `PULUMI_CONFIG_PASSPHRASE` or `PULUMI_CONFIG_PASSPHRASE_FILE`, as the Pulumi CLI reads it. */
function passphrase(env: NodeJS.ProcessEnv): string | undefined {
    if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) return env.PULUMI_CONFIG_PASSPHRASE;
    const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
    if (!file) return undefined;
    try {
        return fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new UserError(`PULUMI_CONFIG_PASSPHRASE_FILE = ${JSON.stringify(file)}: cannot read it (${(err as Error).message})`);
    }
}

/**
 * A decrypter for the stack file's secure values, or undefined when they
 * cannot be decrypted offline (no `encryptionsalt`, or no passphrase given).
 * A wrong passphrase is bad input.
 */
export function passphraseDecrypter(stackFile: string, encryptionSalt: unknown, env: NodeJS.ProcessEnv = process.env): Decrypt | undefined {
    const phrase = passphrase(env);
    if (typeof encryptionSalt !== "string" || phrase === undefined) return undefined;
    const [version, salt, ...check] = encryptionSalt.split(":");
    if (version !== "v1" || !salt || check.length === 0) {
        throw new UserError(`${stackFile}: encryptionsalt = ${JSON.stringify(encryptionSalt)}: is not a Pulumi passphrase salt (v1:<salt>:<check>)`);
    }
    let key: Buffer | undefined;
    // Derived on first use: a million PBKDF2 rounds take about a second.
    const stackKey = (): Buffer => {
        if (key) return key;
        const derived = passphraseKey(phrase, Buffer.from(salt, "base64"));
        if (openValue(derived, check.join(":")) !== "pulumi") {
            throw new UserError(`${stackFile}: the passphrase (PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE) does not decrypt this stack's secrets: incorrect passphrase`);
        }
        return (key = derived);
    };
    return (ciphertext, configKey) => {
        const plain = openValue(stackKey(), ciphertext);
        if (plain === undefined) throw new UserError(`${stackFile}: ${configKey}: secure = ${JSON.stringify(ciphertext)}: cannot be decrypted with this stack's passphrase`);
        return plain;
    };
}
