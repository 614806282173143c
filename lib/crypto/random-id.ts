import crypto from "node:crypto";

// Random ids and secrets, from the CSPRNG. Bytes are drawn 4 KiB at a time and each is handed
// out once: a randomBytes call per id costs about 7 µs, slicing the pool well under 1 µs, and
// the API makes two ids on every request (x-request-id and the object's id).

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/** `n` fresh random bytes, valid until the next call (read them at once). */
function take(n: number): Buffer {
  if (n > POOL_BYTES) return crypto.randomBytes(n);
  if (offset + n > POOL_BYTES) {
    crypto.randomFillSync(pool);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + n);
  offset += n;
  return bytes;
}

/** Uniform base62 characters (rejection sampling: no modulo bias). */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    const bytes = take(Math.min(POOL_BYTES, (length - out.length) * 2));
    for (let i = 0; i < bytes.length && out.length < length; i++) {
      // 248 is the largest multiple of 62 below 256: rejecting bytes above it keeps every character equally likely.
      if (bytes[i] < 248) out += BASE62[bytes[i] % 62];
    }
  }
  return out;
}

/** `bytes` random bytes as lower-case hex. */
export function randomHex(bytes: number): string {
  return take(bytes).toString("hex");
}

/** `prefix` and `length` random letters and digits, like OpenAI's object ids ("file-…", "ftjob-…"). */
export function randomId(prefix: string, length = 24): string {
  return `${prefix}${randomBase62(length)}`;
}
