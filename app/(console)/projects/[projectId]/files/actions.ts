"use server";

import { z } from "zod";
import { id, runAction, type ActionResult, type ActionState } from "@/lib/actions";
import { deleteProjectFile, getProjectFileDetail, listProjectFiles, parsePurpose } from "@/lib/files/actions";
import { FILES_PAGE_SIZE, toFileDetail, toFilesPage } from "@/components/files/rows";
import type { FileDetailResult, FilesPageResult } from "@/components/files/types";

// The Files page's reads (a page of the list, one file's details and preview) and its delete.
// The services check the signed-in user's role in the project; nothing from the client is
// trusted beyond its shape.

const fileId = z.string({ error: "Missing file" }).trim().min(1, "Missing file").max(100, "Invalid file");

export async function listFilesAction(projectId: string, purpose: string | null, after: string | null): Promise<FilesPageResult> {
  const r = await runAction(
    z.object({ projectId: id, purpose: z.string().max(50).nullable(), after: fileId.nullable() }),
    { projectId, purpose, after },
    async (actor, d) => ({
      ok: true,
      data: toFilesPage(await listProjectFiles(actor, d.projectId, { purpose: parsePurpose(d.purpose), after: d.after, limit: FILES_PAGE_SIZE })),
    }),
  );
  return r.ok ? { ok: true, page: r.data! } : { ok: false, error: r.error };
}

export async function fileDetailAction(projectId: string, fileIdValue: string): Promise<FileDetailResult> {
  const r = await runAction(z.object({ projectId: id, fileId }), { projectId, fileId: fileIdValue }, async (actor, d) => {
    const detail = await getProjectFileDetail(actor, d.projectId, d.fileId);
    return { ok: true, data: { detail: detail ? toFileDetail(detail) : null } };
  });
  return r.ok ? { ok: true, detail: r.data!.detail } : { ok: false, error: r.error };
}

export async function deleteFileAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(z.object({ projectId: id, fileId }), form, async (actor, d) => {
    const { filename } = await deleteProjectFile(actor, d.projectId, d.fileId);
    return { ok: true, message: `Deleted ${filename}` };
  });
}
