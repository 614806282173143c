import crypto from "node:crypto";
import { expect, test } from "@playwright/test";
import OpenAI, { toFile } from "openai";
import { E2E_API_KEY, signUp, uniqueEmail } from "./support";

// /v1/files through the official openai SDK: upload (multipart, streamed to storage), list with
// cursor pagination, retrieve, download, delete, and OpenAI's errors for bad uploads.

function client(baseURL: string) {
  return new OpenAI({ baseURL: `${baseURL}/v1`, apiKey: E2E_API_KEY, maxRetries: 0, timeout: 120_000 });
}

const JSONL = [
  { messages: [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello there." }] },
  { messages: [{ role: "user", content: "Bye" }, { role: "assistant", content: "Goodbye." }] },
].map((l) => JSON.stringify(l)).join("\n") + "\n";

test("upload, list, retrieve, download and delete files with the SDK", async ({}, testInfo) => {
  const openai = client(testInfo.project.use.baseURL!);
  const created = await openai.files.create({ file: await toFile(Buffer.from(JSONL), "train.jsonl"), purpose: "fine-tune" });
  expect(created).toMatchObject({ object: "file", bytes: Buffer.byteLength(JSONL), filename: "train.jsonl", purpose: "fine-tune", status: "processed" });
  expect(created.id).toMatch(/^file-[A-Za-z0-9]{24}$/);
  expect(Math.abs(created.created_at - Date.now() / 1000)).toBeLessThan(120);

  const other = await openai.files.create({ file: await toFile(Buffer.from("some notes"), "notes.txt"), purpose: "user_data" });
  const third = await openai.files.create({ file: await toFile(Buffer.from("more"), "more.txt"), purpose: "user_data" });

  expect(await openai.files.retrieve(created.id)).toEqual(created);
  const content = await openai.files.content(created.id);
  expect(content.headers.get("content-type")).toBe("application/octet-stream");
  expect(await content.text()).toBe(JSONL);

  // Newest first; purpose filter; cursor pagination with the SDK's auto-paging.
  const userData = await openai.files.list({ purpose: "user_data" });
  expect(userData.data.map((f) => f.id).slice(0, 2)).toEqual([third.id, other.id]);
  const seen: string[] = [];
  for await (const f of openai.files.list({ limit: 1 })) {
    seen.push(f.id);
    if (seen.length >= 3) break;
  }
  expect(seen).toEqual([third.id, other.id, created.id]);

  expect(await openai.files.delete(other.id)).toEqual({ id: other.id, object: "file", deleted: true });
  const gone = await openai.files.retrieve(other.id).catch((e) => e);
  expect(gone).toBeInstanceOf(OpenAI.NotFoundError);
  expect(gone.error).toEqual({ message: `No such File object: ${other.id}`, type: "invalid_request_error", param: "id", code: null });
  expect((await openai.files.delete(other.id).catch((e) => e)).status).toBe(404);
  expect((await openai.files.content(other.id).catch((e) => e)).status).toBe(404);
});

test("bad uploads get OpenAI's 400s, and a file larger than any JSON body streams through", async ({ request }, testInfo) => {
  test.setTimeout(180_000);
  const baseURL = testInfo.project.use.baseURL!;
  const openai = client(baseURL);
  const bad = async (p: Promise<unknown>) => (await p.then(() => null).catch((e) => e)) as InstanceType<typeof OpenAI.APIError>;

  let e = await bad(openai.files.create({ file: await toFile(Buffer.from("x"), "a.txt"), purpose: "nonsense" as "user_data" }));
  expect(e.status).toBe(400);
  expect(e.error).toMatchObject({ type: "invalid_request_error", param: "purpose" });
  expect(e.message).toMatch(/'nonsense' is not one of/);

  e = await bad(openai.files.create({ file: await toFile(Buffer.from(JSONL), "train.csv"), purpose: "fine-tune" }));
  expect(e.status).toBe(400);
  expect(e.message).toMatch(/Must be \.jsonl/);

  e = await bad(openai.files.create({ file: await toFile(Buffer.alloc(0), "empty.txt"), purpose: "user_data" }));
  expect(e.status).toBe(400);
  expect(e.message).toMatch(/empty/);

  const auth = { authorization: `Bearer ${E2E_API_KEY}` };
  let res = await request.post(`${baseURL}/v1/files`, { headers: { ...auth, "content-type": "application/json" }, data: { purpose: "user_data" } });
  expect(res.status()).toBe(400);
  expect((await res.json()).error.message).toMatch(/multipart\/form-data/);
  res = await request.post(`${baseURL}/v1/files`, { headers: auth, multipart: { purpose: "user_data" } });
  expect(res.status()).toBe(400);
  expect((await res.json()).error).toMatchObject({ message: "Missing required parameter: 'file'.", param: "file" });
  res = await request.post(`${baseURL}/v1/files`, { headers: auth, multipart: { file: { name: "a.txt", mimeType: "text/plain", buffer: Buffer.from("hi") } } });
  expect(res.status()).toBe(400);
  expect((await res.json()).error.param).toBe("purpose");
  res = await request.post(`${baseURL}/v1/files`, { headers: { ...auth, "content-type": "multipart/form-data; boundary=zzz" }, data: Buffer.from("--zzz\r\nbroken") });
  expect(res.status()).toBe(400);
  res = await request.get(`${baseURL}/v1/files?limit=0`, { headers: auth });
  expect((await res.json()).error.param).toBe("limit");
  res = await request.get(`${baseURL}/v1/files?after=file-nope`, { headers: auth });
  expect((await res.json()).error.param).toBe("after");
  res = await request.get(`${baseURL}/v1/files`);
  expect(res.status()).toBe(401);

  // 40 MB: over the 32 MB limit for JSON bodies, so it can only arrive as a stream.
  const big = crypto.randomBytes(40 * 1024 * 1024);
  const up = await openai.files.create({ file: await toFile(big, "big.bin"), purpose: "user_data" });
  expect(up.bytes).toBe(big.length);
  const down = Buffer.from(await (await openai.files.content(up.id)).arrayBuffer());
  expect(crypto.createHash("sha256").update(down).digest("hex")).toBe(crypto.createHash("sha256").update(big).digest("hex"));
  await openai.files.delete(up.id);
});

test("the console uploads and downloads a project's files with the user's session, same-origin only", async ({ page, browser }, testInfo) => {
  const baseURL = testInfo.project.use.baseURL!;
  const { projectId } = await signUp(page, uniqueEmail("files"), "Files User");
  const res = await page.request.post(`${baseURL}/api/projects/${projectId}/files`, {
    headers: { origin: baseURL },
    multipart: { purpose: "user_data", file: { name: "console.txt", mimeType: "text/plain", buffer: Buffer.from("from the console") } },
  });
  expect(res.status()).toBe(200);
  const file = await res.json();
  expect(file).toMatchObject({ object: "file", filename: "console.txt", purpose: "user_data", bytes: 16 });
  const down = await page.request.get(`${baseURL}/api/projects/${projectId}/files/${file.id}/content`);
  expect(down.status()).toBe(200);
  expect(await down.text()).toBe("from the console");
  // Another site cannot use the session; another user cannot see the project; the API key's
  // project does not see this project's file.
  const cross = await page.request.post(`${baseURL}/api/projects/${projectId}/files`, {
    headers: { origin: "https://evil.example" },
    multipart: { purpose: "user_data", file: { name: "x.txt", mimeType: "text/plain", buffer: Buffer.from("x") } },
  });
  expect(cross.status()).toBe(403);
  const stranger = await (await browser.newContext({ baseURL })).newPage();
  await signUp(stranger, uniqueEmail("stranger"), "Stranger");
  expect((await stranger.request.get(`${baseURL}/api/projects/${projectId}/files/${file.id}/content`)).status()).toBe(404);
  const anonymous = await (await browser.newContext({ baseURL })).request.get(`${baseURL}/api/projects/${projectId}/files/${file.id}/content`);
  expect(anonymous.status()).toBe(401);
  const viaKey = await client(baseURL).files.retrieve(file.id).catch((e) => e);
  expect(viaKey.status).toBe(404);
});
