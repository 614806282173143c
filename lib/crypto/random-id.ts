import crypto from "node:crypto";

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** `prefix` and `length` random letters and digits, like OpenAI's object ids ("file-…", "ftjob-…"). */
export function randomId(prefix: string, length = 24): string {
  // 248 is the largest multiple of 62 below 256: rejecting bytes above it keeps every character equally likely.
  let out = "";
  while (out.length < length) {
    for (const b of crypto.randomBytes(length)) {
      if (b < 248 && out.length < length) out += ID_ALPHABET[b % 62];
    }
  }
  return `${prefix}${out}`;
}
