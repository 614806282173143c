import crypto from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const SECRET_PREFIX = "sk-proj-";
const RANDOM_LENGTH = 48; // 48 base62 characters ≈ 285 bits

/** Uniform base62 characters from the CSPRNG (rejection sampling: no modulo bias). */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of crypto.randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62]; // 248 = 4 × 62
      if (out.length === length) break;
    }
  }
  return out;
}

export function generateSecret(): string {
  return SECRET_PREFIX + randomBase62(RANDOM_LENGTH);
}

export function hashSecret(secret: string): string {
  return crypto.createHash("sha256").update(secret, "utf8").digest("hex");
}

/** What lists show instead of the secret: "sk-proj-...abcd". */
export function redactSecret(secret: string): string {
  const prefix = secret.startsWith(SECRET_PREFIX) ? SECRET_PREFIX : secret.slice(0, 3);
  return `${prefix}...${secret.slice(-4)}`;
}

/** Cheap shape check before any lookup: rejects obvious garbage without touching the cache. */
export function looksLikeSecret(value: string): boolean {
  return /^sk-[A-Za-z0-9_-]{20,200}$/.test(value);
}
