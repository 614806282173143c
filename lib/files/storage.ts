import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { getConfig } from "@/lib/config";

// Where uploaded files' bytes live, behind one interface so a deployment can put them in an
// S3-compatible store instead. The default keeps them on disk under DATA_DIR/files. Bytes are
// streamed both ways: an upload is never held in memory whole, and neither is a download.

export interface FileStorage {
  /**
   * Stores a stream under `key`. Resolves with its size and SHA-256; rejects with
   * FileTooLarge (and stores nothing) past `maxBytes`.
   */
  put(key: string, source: Readable, maxBytes: number): Promise<{ bytes: number; sha256: string }>;
  /** The stored bytes, as a stream. */
  get(key: string): Readable;
  delete(key: string): Promise<void>;
}

export class FileTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`File too large: the limit is ${maxBytes} bytes.`);
  }
}

/** Counts and hashes what passes, and fails once more than `maxBytes` went through. */
function meter(maxBytes: number) {
  const hash = crypto.createHash("sha256");
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) return done(new FileTooLarge(maxBytes));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return { stream, result: () => ({ bytes, sha256: hash.digest("hex") }) };
}

export function diskStorage(root: string): FileStorage {
  const pathOf = (key: string) => {
    if (!/^[\w-]+(\/[\w-]+)*$/.test(key)) throw new Error(`invalid storage key: ${key}`);
    return path.join(root, key);
  };
  return {
    async put(key, source, maxBytes) {
      const target = pathOf(key);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      // Written beside the target and renamed at the end: a failed upload leaves nothing behind.
      const partial = `${target}.${crypto.randomBytes(6).toString("hex")}.partial`;
      const m = meter(maxBytes);
      try {
        await pipeline(source, m.stream, fs.createWriteStream(partial, { flags: "wx" }));
        await fs.promises.rename(partial, target);
      } catch (err) {
        await fs.promises.rm(partial, { force: true });
        throw err;
      }
      return m.result();
    },
    get(key) {
      return fs.createReadStream(pathOf(key));
    },
    async delete(key) {
      await fs.promises.rm(pathOf(key), { force: true });
    },
  };
}

const g = globalThis as unknown as { __gatehouseFileStorage?: FileStorage };

export function getFileStorage(): FileStorage {
  return (g.__gatehouseFileStorage ??= diskStorage(path.join(getConfig().dataDir, "files")));
}

/** A deployment (or a test) chooses another store. */
export function setFileStorage(storage: FileStorage) {
  g.__gatehouseFileStorage = storage;
}
