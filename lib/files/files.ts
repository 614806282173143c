import "server-only";
import type { Readable } from "node:stream";
import { randomId } from "@/lib/crypto/random-id";
import { db } from "@/lib/db";
import type { File as FileRow } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { getFileStorage } from "./storage";

// Files of a project: the service behind /v1/files and the console's Files page. Every call
// is scoped to one project: a file of another project does not exist for the caller.

export const FILE_PURPOSES = ["fine-tune", "assistants", "batch", "vision", "user_data"] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];
/** Purposes Gatehouse itself writes files with (a fine-tuning job's metrics, like OpenAI's). */
export type StoredFilePurpose = FilePurpose | "fine-tune-results";

export type FileOwner = { orgId: string; projectId: string; apiKeyId: string | null; userId: string | null };

export const newFileId = () => randomId("file-");

export const storageKeyOf = (projectId: string, fileId: string) => `${projectId.replace(/[^\w-]/g, "_")}/${fileId}`;

/** OpenAI's file object. */
export function fileObject(f: Pick<FileRow, "id" | "bytes" | "createdAt" | "filename" | "purpose" | "status" | "statusDetails" | "expiresAt">) {
  return {
    id: f.id,
    object: "file" as const,
    bytes: Number(f.bytes),
    created_at: Math.floor(f.createdAt.getTime() / 1000),
    expires_at: f.expiresAt ? Math.floor(f.expiresAt.getTime() / 1000) : null,
    filename: f.filename,
    purpose: f.purpose,
    status: f.status,
    status_details: f.statusDetails,
  };
}

/** Records a file whose bytes are already stored under `storageKey`. */
export async function recordFile(owner: FileOwner, f: { id: string; purpose: StoredFilePurpose; filename: string; bytes: number; sha256: string; storageKey: string }) {
  const prisma = await db();
  return prisma.file.create({
    data: { id: f.id, orgId: owner.orgId, projectId: owner.projectId, apiKeyId: owner.apiKeyId, userId: owner.userId, purpose: f.purpose, filename: f.filename, bytes: BigInt(f.bytes), sha256: f.sha256, storageKey: f.storageKey },
  });
}

/** Streams `source` into the store and records it (the console's upload path). */
export async function storeFile(owner: FileOwner, input: { purpose: StoredFilePurpose; filename: string; source: Readable; maxBytes: number }) {
  const id = newFileId();
  const storageKey = storageKeyOf(owner.projectId, id);
  const stored = await getFileStorage().put(storageKey, input.source, input.maxBytes);
  try {
    return await recordFile(owner, { id, purpose: input.purpose, filename: input.filename, storageKey, ...stored });
  } catch (err) {
    await getFileStorage().delete(storageKey).catch(() => undefined);
    throw err;
  }
}

export type ListFilesOptions = { purpose?: string | null; limit: number; order: "asc" | "desc"; after?: string | null };

/** A page of the project's files (cursor: the id after which to continue). */
export async function listFiles(projectId: string, o: ListFilesOptions) {
  const prisma = await db();
  let cursor: { createdAt: Date; id: string } | null = null;
  if (o.after) {
    const c = await prisma.file.findFirst({ where: { id: o.after, projectId, deletedAt: null }, select: { createdAt: true, id: true } });
    if (!c) return null;
    cursor = c;
  }
  const cmp = o.order === "asc" ? "gt" : "lt";
  const rows = await prisma.file.findMany({
    where: {
      projectId,
      deletedAt: null,
      ...(o.purpose ? { purpose: o.purpose } : {}),
      ...(cursor ? { OR: [{ createdAt: { [cmp]: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { [cmp]: cursor.id } }] } : {}),
    },
    orderBy: [{ createdAt: o.order }, { id: o.order }],
    take: o.limit + 1,
  });
  return { rows: rows.slice(0, o.limit), hasMore: rows.length > o.limit };
}

export async function getFile(projectId: string, id: string) {
  const prisma = await db();
  return prisma.file.findFirst({ where: { id, projectId, deletedAt: null } });
}

export function openFileContent(file: Pick<FileRow, "storageKey">): Readable {
  return getFileStorage().get(file.storageKey);
}

/** Deletes a file: gone from the API at once, its bytes removed right after. */
export async function deleteFile(projectId: string, id: string): Promise<boolean> {
  const prisma = await db();
  const file = await prisma.file.findFirst({ where: { id, projectId, deletedAt: null }, select: { id: true, storageKey: true } });
  if (!file) return false;
  const r = await prisma.file.updateMany({ where: { id: file.id, deletedAt: null }, data: { deletedAt: new Date() } });
  if (r.count === 0) return false;
  await getFileStorage()
    .delete(file.storageKey)
    .catch((err) => log.warn("file bytes not removed", { fileId: file.id, error: (err as Error).message }));
  return true;
}
