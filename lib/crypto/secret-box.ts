import "server-only";
import crypto from "node:crypto";
import { getAuthSecret } from "@/lib/auth/secret";

// Upstream provider keys are stored encrypted so a database dump alone does not reveal them.
// Format: "v1." + base64url(iv ‖ ciphertext ‖ tag), AES-256-GCM with a 12-byte random IV and a
// key derived from the auth secret with HKDF-SHA256. The version prefix lets a later format (or
// key rotation) coexist with rows written today.

const VERSION = "v1";
const HKDF_INFO = "gatehouse provider keys v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type SecretBox = {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
};

function deriveKey(secret: string): Buffer {
  if (!secret) throw new Error("Cannot derive the provider key encryption key from an empty secret");
  // An empty salt is fine here: the input is already a high-entropy secret, and HKDF's info
  // separates this key from anything else derived from the same secret.
  return Buffer.from(crypto.hkdfSync("sha256", secret, Buffer.alloc(0), HKDF_INFO, 32));
}

/** A box bound to one secret; the app uses the auth secret, tests pass their own. */
export function createSecretBox(secret: string): SecretBox {
  const key = deriveKey(secret);
  return {
    encrypt(plain) {
      const iv = crypto.randomBytes(IV_BYTES);
      const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
      const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return `${VERSION}.${Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString("base64url")}`;
    },
    decrypt(sealed) {
      const dot = sealed.indexOf(".");
      const version = dot === -1 ? "" : sealed.slice(0, dot);
      if (version !== VERSION) {
        throw new Error(
          `Cannot decrypt the stored secret: unknown format${version ? ` "${version.slice(0, 16)}"` : ""} (expected ${VERSION})`,
        );
      }
      const payload = sealed.slice(dot + 1);
      const raw = Buffer.from(payload, "base64url");
      // Buffer.from silently skips bad characters; a re-encode that differs means garbage.
      if (raw.length < IV_BYTES + TAG_BYTES || raw.toString("base64url") !== payload) {
        throw new Error("Cannot decrypt the stored secret: it is malformed");
      }
      const iv = raw.subarray(0, IV_BYTES);
      const tag = raw.subarray(raw.length - TAG_BYTES);
      const ciphertext = raw.subarray(IV_BYTES, raw.length - TAG_BYTES);
      try {
        const decipher = crypto.createDecipheriv("aes-256-gcm", key, iv);
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
      } catch {
        throw new Error(
          "Cannot decrypt the stored secret: it was encrypted with a different AUTH_SECRET or has been altered",
        );
      }
    },
  };
}

// One derived key per process; the auth secret does not change while it runs.
let defaultBox: { secret: string; box: SecretBox } | undefined;
function defaultSecretBox(): SecretBox {
  const secret = getAuthSecret();
  if (defaultBox?.secret !== secret) defaultBox = { secret, box: createSecretBox(secret) };
  return defaultBox.box;
}

/** Encrypts with the instance's auth secret (AUTH_SECRET or DATA_DIR/auth-secret). */
export function encryptSecret(plain: string): string {
  return defaultSecretBox().encrypt(plain);
}

/** Decrypts what encryptSecret wrote; throws a clear Error on tampering, a wrong secret or an unknown format. */
export function decryptSecret(sealed: string): string {
  return defaultSecretBox().decrypt(sealed);
}

/**
 * What the console shows instead of a provider key: "sk-...abcd". Short values are masked
 * entirely, since first and last characters would reveal most of them.
 */
export function redactSecret(plain: string): string {
  if (plain.length < 12) return "****";
  return `${plain.slice(0, 3)}...${plain.slice(-4)}`;
}
