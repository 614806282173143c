import "server-only";
import { Readable } from "node:stream";
import Busboy from "busboy";
import { getConfig } from "@/lib/config";
import { deleteFile, FILE_PURPOSES, fileObject, getFile, listFiles, newFileId, openFileContent, recordFile, storageKeyOf, type FilePurpose } from "@/lib/files/files";
import { FileTooLarge, getFileStorage } from "@/lib/files/storage";
import { invalidRequest, notFound, OpenAIError } from "@/lib/openai/errors";
import { Answer } from "./answer";
import type { GatewayContext } from "./with-api-key";

// /v1/files: upload (multipart, streamed to the file store as it arrives), list, retrieve,
// download (streamed), delete. OpenAI's objects and errors.

const MAX_FILENAME = 255;

function purposeError(value: string) {
  return invalidRequest(`'${value.slice(0, 100)}' is not one of [${FILE_PURPOSES.map((p) => `'${p}'`).join(", ")}] - 'purpose'`, "purpose");
}

/** The request body as a Node stream (the socket, or the framework's body), else the body read whole. */
function bodyStream(ctx: GatewayContext): Readable {
  return ctx.stream ?? Readable.from(ctx.body ? [ctx.body] : []);
}

export async function uploadFile(ctx: GatewayContext): Promise<Answer> {
  const contentType = ctx.request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    bodyStream(ctx).resume();
    throw invalidRequest(`Invalid Content-Type header (${contentType.slice(0, 100) || "none"}), expected multipart/form-data with the fields 'file' and 'purpose'.`);
  }
  const maxBytes = getConfig().FILES_MAX_BYTES;
  const id = newFileId();
  const storageKey = storageKeyOf(ctx.key.projectId, id);
  const storage = getFileStorage();
  const fields: Record<string, string> = {};
  let file: { filename: string; stored: Promise<{ bytes: number; sha256: string }> } | null = null;
  let failure: OpenAIError | null = null;

  const source = bodyStream(ctx);
  const parsed = new Promise<void>((resolve, reject) => {
    let parser: Busboy.Busboy;
    try {
      parser = Busboy({ headers: { "content-type": contentType }, limits: { files: 1, fields: 20, fieldSize: 4096, parts: 30 } });
    } catch {
      reject(invalidRequest("Could not parse the multipart form: its boundary is missing or malformed."));
      return;
    }
    parser.on("file", (name, stream, info) => {
      if (name !== "file" || file) {
        failure ??= invalidRequest(`Unexpected file field '${name.slice(0, 100)}': send one file, in the field 'file'.`, name === "file" ? "file" : null);
        stream.resume();
        return;
      }
      const filename = (info.filename ?? "").replace(/[\u0000-\u001f\\/]/g, "_").slice(0, MAX_FILENAME) || "upload";
      file = { filename, stored: storage.put(storageKey, stream, maxBytes) };
      // Past the limit the store stops reading: drain the rest so the answer can be sent.
      file.stored.catch(() => stream.resume());
    });
    parser.on("field", (name, value) => {
      fields[name] = value;
    });
    parser.on("filesLimit", () => {
      failure ??= invalidRequest("Send exactly one file, in the field 'file'.", "file");
    });
    parser.on("error", () => reject(invalidRequest("Could not parse the multipart form body.")));
    parser.on("close", () => resolve());
    source.on("error", (err) => reject(err));
    ctx.signal.addEventListener("abort", () => reject(new OpenAIError(499, "The client closed the request.", "invalid_request_error")), { once: true });
    source.pipe(parser);
  });

  let stored: { bytes: number; sha256: string } | null = null;
  try {
    await parsed;
    if (file) stored = await (file as { stored: Promise<{ bytes: number; sha256: string }> }).stored;
    if (failure) throw failure;
    if (!file) throw invalidRequest("Missing required parameter: 'file'.", "file");
    const purpose = fields.purpose;
    if (purpose === undefined) throw invalidRequest("Missing required parameter: 'purpose'.", "purpose");
    if (!(FILE_PURPOSES as readonly string[]).includes(purpose)) throw purposeError(purpose);
    const { filename } = file as { filename: string };
    if (purpose === "fine-tune" && !/\.jsonl$/i.test(filename)) {
      throw invalidRequest(`Invalid file format for Fine-Tuning API. Must be .jsonl (got '${filename.slice(0, 100)}').`, "file");
    }
    if (stored!.bytes === 0) throw invalidRequest("The file is empty.", "file");
    const row = await recordFile(
      { orgId: ctx.key.orgId, projectId: ctx.key.projectId, apiKeyId: ctx.key.keyId, userId: ctx.key.ownerUserId },
      { id, purpose: purpose as FilePurpose, filename, storageKey, ...stored! },
    );
    return Answer.json(fileObject(row));
  } catch (err) {
    source.resume();
    await storage.delete(storageKey).catch(() => undefined);
    if (err instanceof FileTooLarge) throw new OpenAIError(413, `File too large: the limit is ${Math.floor(maxBytes / 1024 / 1024)} MB.`, "invalid_request_error", "file");
    if (err instanceof OpenAIError) throw err;
    if (file && !stored) {
      // The store failed (or the upload was cut off): not the client's fault unless it went away.
      if (ctx.signal.aborted) throw new OpenAIError(499, "The client closed the request.", "invalid_request_error");
    }
    throw err;
  }
}

export async function listFilesRoute(ctx: GatewayContext): Promise<Answer> {
  const q = new URL(ctx.request.url).searchParams;
  const limitRaw = q.get("limit");
  const limit = limitRaw === null ? 10_000 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw invalidRequest(`Invalid 'limit': expected an integer from 1 to 10000, got '${String(limitRaw).slice(0, 50)}'.`, "limit");
  const order = q.get("order") ?? "desc";
  if (order !== "asc" && order !== "desc") throw invalidRequest(`Invalid 'order': expected 'asc' or 'desc', got '${order.slice(0, 50)}'.`, "order");
  const purpose = q.get("purpose");
  const page = await listFiles(ctx.key.projectId, { purpose, limit, order, after: q.get("after") });
  if (!page) throw invalidRequest(`No such File object: ${q.get("after")!.slice(0, 100)} (the 'after' cursor).`, "after");
  const data = page.rows.map(fileObject);
  return Answer.json({ object: "list", data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: page.hasMore });
}

const noSuchFile = (id: string) => notFound(`No such File object: ${id.slice(0, 100)}`, "id");

export async function retrieveFile(ctx: GatewayContext, id: string): Promise<Answer> {
  const f = await getFile(ctx.key.projectId, id);
  if (!f) throw noSuchFile(id);
  return Answer.json(fileObject(f));
}

export async function fileContent(ctx: GatewayContext, id: string): Promise<Answer> {
  const f = await getFile(ctx.key.projectId, id);
  if (!f) throw noSuchFile(id);
  const stream = openFileContent(f);
  ctx.signal.addEventListener("abort", () => stream.destroy(), { once: true });
  return new Answer(
    200,
    {
      "content-type": "application/octet-stream",
      "content-length": String(f.bytes),
      "content-disposition": `attachment; filename="${f.filename.replace(/["\\\r\n]/g, "_")}"`,
    },
    stream,
  );
}

export async function deleteFileRoute(ctx: GatewayContext, id: string): Promise<Answer> {
  if (!(await deleteFile(ctx.key.projectId, id))) throw noSuchFile(id);
  return Answer.json({ id, object: "file", deleted: true });
}
