/**
 * Pulumi's passphrase secrets format, the one home for it: the key is
 * PBKDF2-SHA256 (1,000,000 rounds) of the passphrase over an 8-byte salt; a
 * value is `v1:<nonce>:<AES-256-GCM ciphertext and tag>`, base64; a stack's
 * salt state is `v1:<salt>:` followed by the value "pulumi" sealed with its
 * key, which the CLI opens to check a passphrase.
 */
import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes } from "crypto";

const TAG_BYTES = 16;

/** The key of a passphrase over a salt (about a second: derive it once). */
export function passphraseKey(passphrase: string, salt: Buffer): Buffer {
    return pbkdf2Sync(passphrase, salt, 1_000_000, 32, "sha256");
}

export function sealValue(key: Buffer, plaintext: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, nonce);
    const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `v1:${nonce.toString("base64")}:${sealed.toString("base64")}`;
}

/** The plaintext of a sealed value, or undefined when it is malformed or the key is wrong. */
export function openValue(key: Buffer, ciphertext: string): string | undefined {
    const [version, nonce, sealed, ...rest] = ciphertext.split(":");
    if (version !== "v1" || nonce === undefined || sealed === undefined || rest.length > 0) return undefined;
    const bytes = Buffer.from(sealed, "base64");
    if (bytes.length < TAG_BYTES) return undefined;
    try {
        const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64"));
        decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
        return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString("utf8");
    } catch {
        return undefined;
    }
}

/** A fresh salt state for a passphrase, as `pulumi stack init` writes it. */
export function newSaltState(passphrase: string): string {
    const salt = randomBytes(8);
    return `v1:${salt.toString("base64")}:${sealValue(passphraseKey(passphrase, salt), "pulumi")}`;
}
