import crypto from "node:crypto";
import { randomBase62 } from "@/lib/crypto/random-id";

export const SECRET_PREFIX = "sk-proj-";
const RANDOM_LENGTH = 48; // 48 base62 characters ≈ 285 bits

export function generateSecret(): string {
  return SECRET_PREFIX + randomBase62(RANDOM_LENGTH);
}

export function hashSecret(secret: string): string {
  return crypto.hash("sha256", secret, "hex");
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
