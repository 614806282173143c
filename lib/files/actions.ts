import "server-only";
import { getProjectAccess, type Actor, type ProjectAccess } from "@/lib/auth/access";
import { recordAuditEvent } from "@/lib/audit/audit";
import { can, type ProjectRole } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { forbidden, invalid, notFound } from "@/lib/errors";
import { log } from "@/lib/log";
import { FILE_PURPOSES, listFiles, openFileContent, type StoredFilePurpose } from "./files";
import { getFileStorage } from "./storage";

// What the console does with a project's files for the signed-in user. Same rule as API keys:
// everyone in the project sees its files (list, details, preview, download); project owners
// upload and delete them. Uploads go through the session route (app/api/projects/.../files),
// which applies `uploadRefusal`.

/** Whether a project role may upload and delete the project's files. */
export const canManageFiles = (role: ProjectRole | null) => can.manageProject(role);

/** Why the user may not upload to the project, or null when they may. */
export function uploadRefusal(access: Pick<ProjectAccess, "projectStatus" | "role">): string | null {
  if (access.projectStatus === "archived") return "This project is archived: files cannot be added to it.";
  if (!canManageFiles(access.role)) return "Only project owners can upload files.";
  return null;
}

/** The purposes the list filters by: those of uploads, and the results fine-tuning jobs write. */
const LISTED_PURPOSES: readonly string[] = [...FILE_PURPOSES, "fine-tune-results"];

export function parsePurpose(value: unknown): StoredFilePurpose | null {
  return typeof value === "string" && LISTED_PURPOSES.includes(value) ? (value as StoredFilePurpose) : null;
}

export type ProjectFilesPage = {
  rows: { id: string; filename: string; purpose: string; bytes: number; status: string; statusDetails: string | null; createdAt: Date }[];
  hasMore: boolean;
};

/** A page of the project's files, newest first (keyset: continue after the file `after`). */
export async function listProjectFiles(actor: Actor, projectId: string, o: { purpose: StoredFilePurpose | null; after?: string | null; limit: number }): Promise<ProjectFilesPage> {
  await getProjectAccess(actor, projectId);
  const page = await listFiles(projectId, { purpose: o.purpose, limit: o.limit, order: "desc", after: o.after ?? null });
  // The cursor file was deleted meanwhile: there is no place to continue from.
  if (!page) throw invalid("The list changed while you were viewing it. Refresh it to see the project's files.");
  return {
    rows: page.rows.map((f) => ({ id: f.id, filename: f.filename, purpose: f.purpose, bytes: Number(f.bytes), status: f.status, statusDetails: f.statusDetails, createdAt: f.createdAt })),
    hasMore: page.hasMore,
  };
}

export const PREVIEW_BYTES = 64 * 1024;

/** The first `limit` bytes of a stored file (less when it is shorter). */
async function readHead(storageKey: string, limit: number): Promise<Buffer> {
  const stream = openFileContent({ storageKey });
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      chunks.push(buf);
      total += buf.length;
      if (total >= limit) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, limit);
}

export type ProjectFileDetail = {
  id: string;
  filename: string;
  purpose: string;
  bytes: number;
  sha256: string;
  status: string;
  statusDetails: string | null;
  createdAt: Date;
  /** How it arrived: through an API key (its name) or the console (who uploaded it). */
  uploadedVia: { kind: "api_key"; name: string } | { kind: "console"; user: string | null } | { kind: "unknown" };
  preview:
    | { kind: "text"; text: string; truncated: boolean }
    | { kind: "binary" }
    | { kind: "unavailable"; reason: string };
};

/** A file's details and the start of its content, for anyone in the project. */
export async function getProjectFileDetail(actor: Actor, projectId: string, fileId: string): Promise<ProjectFileDetail | null> {
  await getProjectAccess(actor, projectId);
  const prisma = await db();
  const f = await prisma.file.findFirst({ where: { id: fileId, projectId, deletedAt: null } });
  if (!f) return null;
  const [key, user] = await Promise.all([
    f.apiKeyId ? prisma.apiKey.findUnique({ where: { id: f.apiKeyId }, select: { name: true } }) : null,
    f.userId ? prisma.user.findUnique({ where: { id: f.userId }, select: { email: true, name: true } }) : null,
  ]);
  const uploadedVia: ProjectFileDetail["uploadedVia"] = f.apiKeyId
    ? { kind: "api_key", name: key?.name ?? "a deleted key" }
    : f.userId
      ? { kind: "console", user: user ? user.name || user.email : null }
      : { kind: "unknown" };

  let preview: ProjectFileDetail["preview"];
  try {
    const head = await readHead(f.storageKey, PREVIEW_BYTES);
    // A NUL byte in the first block: not text worth showing.
    if (head.includes(0)) preview = { kind: "binary" };
    else {
      const truncated = Number(f.bytes) > head.length;
      // Cut mid-file, a character split at the end is left out rather than shown as garbage.
      preview = { kind: "text", text: new TextDecoder("utf-8").decode(head, { stream: truncated }), truncated };
    }
  } catch (err) {
    log.warn("file preview failed", { fileId: f.id, error: (err as Error).message });
    preview = { kind: "unavailable", reason: "The file's content could not be read from storage." };
  }
  return {
    id: f.id, filename: f.filename, purpose: f.purpose, bytes: Number(f.bytes), sha256: f.sha256, status: f.status,
    statusDetails: f.statusDetails, createdAt: f.createdAt, uploadedVia, preview,
  };
}

/**
 * Deletes a file for a project owner: gone from the console and the API at once (and in the
 * audit log), its bytes removed right after, like DELETE /v1/files/{id}.
 */
export async function deleteProjectFile(actor: Actor, projectId: string, fileId: string): Promise<{ filename: string }> {
  const access = await getProjectAccess(actor, projectId);
  if (!canManageFiles(access.role)) throw forbidden("Only project owners can delete files.");
  const prisma = await db();
  const file = await prisma.$transaction(async (tx) => {
    const f = await tx.file.findFirst({ where: { id: fileId, projectId, deletedAt: null }, select: { id: true, filename: true, purpose: true, bytes: true, storageKey: true } });
    if (!f) throw notFound("File");
    const r = await tx.file.updateMany({ where: { id: f.id, deletedAt: null }, data: { deletedAt: new Date() } });
    if (r.count === 0) throw notFound("File");
    await recordAuditEvent(tx, {
      orgId: access.orgId, actorId: actor.userId, action: "file.deleted", projectId,
      targetType: "file", targetId: f.id, details: { filename: f.filename, purpose: f.purpose, bytes: Number(f.bytes) },
    });
    return f;
  });
  await getFileStorage()
    .delete(file.storageKey)
    .catch((err) => log.warn("file bytes not removed", { fileId: file.id, error: (err as Error).message }));
  return { filename: file.filename };
}
