import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { E2E_API_KEY, shot, signIn, signUp, uniqueEmail, inviteReader, acceptAsNewUser } from "./support";

// The console's Files page: the list, upload (file chooser and drag and drop, progress,
// client-side checks, cancel), inspect (JSON Lines preview), download, delete, and who may do
// what (owners upload and delete; members look and download).

const ADMIN_EMAIL = "e2e-admin@example.com";
const ADMIN_PASSWORD = "e2e-admin-password-1";

// Line 3 is broken on purpose.
const TRAIN = [
  JSON.stringify({ messages: [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello!" }] }),
  JSON.stringify({ messages: [{ role: "user", content: "Bye" }, { role: "assistant", content: "See you." }] }),
  '{"messages": [{"role": "user", "content": "oops"}',
  JSON.stringify({ messages: [{ role: "user", content: "Thanks" }, { role: "assistant", content: "Any time." }] }),
].join("\n") + "\n";

const row = (page: Page, filename: string) => page.locator(`[data-testid="file-row"][data-filename="${filename}"]`);

async function openFiles(page: Page, projectId: string) {
  await page.goto(`/projects/${projectId}/files`);
  await expect(page.getByRole("heading", { name: "Files", level: 1 })).toBeVisible();
}

async function chooseFile(page: Page, file: { name: string; mimeType: string; buffer: Buffer } | string) {
  const chooser = page.waitForEvent("filechooser");
  await page.getByTestId("upload-choose").click();
  await (await chooser).setFiles(file);
}

test("an owner uploads, inspects, filters, downloads and deletes files", async ({ page }, testInfo) => {
  const baseURL = testInfo.project.use.baseURL!;
  const { projectId } = await signUp(page, uniqueEmail("files-ui"), "Fiona Files");

  // The nav entry, and the empty state with the API call.
  await page.getByTestId("nav-files").click();
  await page.waitForURL(new RegExp(`/projects/${projectId}/files$`));
  await expect(page.getByTestId("nav-files")).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("files-empty")).toBeVisible();
  await expect(page.getByTestId("files-empty")).toContainText("fine-tuning");
  await expect(page.getByTestId("files-snippet")).toContainText(`curl ${baseURL}/v1/files`);
  await expect(page.getByTestId("files-snippet")).toContainText('-F purpose="fine-tune"');
  await page.getByTestId("files-snippet-tab-python").click();
  await expect(page.getByTestId("files-snippet")).toContainText(`base_url="${baseURL}/v1"`);
  await expect(page.getByTestId("files-snippet")).toContainText("client.files.create(");
  await page.getByTestId("files-snippet-tab-curl").click();
  await shot(page, "files-empty");
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(page.locator("html")).toHaveClass(/dark/);
  await shot(page, "files-empty-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // Client-side checks: fine-tuning wants .jsonl; nothing over the server's limit is sent.
  await page.getByTestId("upload-button").click();
  const dialog = page.getByTestId("upload-dialog");
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId("upload-purpose")).toHaveValue("fine-tune");
  let posts = 0;
  page.on("request", (r) => {
    if (r.method() === "POST" && r.url().endsWith(`/api/projects/${projectId}/files`)) posts++;
  });
  await chooseFile(page, { name: "train.csv", mimeType: "text/csv", buffer: Buffer.from("a,b\n1,2\n") });
  await expect(page.getByTestId("upload-problem")).toHaveText(/Fine-tuning files must be JSON Lines: choose a \.jsonl file/);
  await expect(page.getByTestId("upload-submit")).toBeDisabled();
  await shot(page, "files-upload-refused-extension");

  const maxBytes = Number(await dialog.getAttribute("data-max-bytes"));
  expect(maxBytes).toBeGreaterThan(0);
  // A sparse file just over the limit: the browser knows its size without reading it.
  const big = testInfo.outputPath("big.jsonl");
  fs.writeFileSync(big, "");
  fs.truncateSync(big, maxBytes + 1024 * 1024);
  await chooseFile(page, big);
  await expect(page.getByTestId("upload-problem")).toHaveText(/“big\.jsonl” is \d+ MB\. This server accepts files of at most \d+ MB\./);
  await expect(page.getByTestId("upload-submit")).toBeDisabled();
  await shot(page, "files-upload-refused-size");
  fs.rmSync(big);

  // A JSON Lines file through the file chooser: progress to the end, then the new row.
  await chooseFile(page, { name: "train.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(TRAIN) });
  await expect(page.getByTestId("upload-problem")).toHaveCount(0);
  await expect(page.getByTestId("upload-file")).toContainText("train.jsonl");
  await page.getByTestId("upload-submit").click();
  await expect(page.getByTestId("upload-progress")).toHaveAttribute("data-state", "done");
  await expect(page.getByRole("progressbar", { name: "Upload progress" })).toHaveAttribute("aria-valuenow", "100");
  await expect(page.getByTestId("upload-percent")).toHaveText("Uploaded");
  await expect(page.getByTestId("upload-bytes")).toHaveText(`${TRAIN.length} B of ${TRAIN.length} B`);
  const fileId = ((await page.getByTestId("upload-done").locator("code").textContent()) ?? "").trim();
  expect(fileId).toMatch(/^file-[A-Za-z0-9]{24}$/);
  await shot(page, "files-upload-done");
  expect(posts).toBe(1); // the refused files were never sent
  await page.getByTestId("upload-close").click();
  await expect(dialog).toHaveCount(0);
  const trainRow = row(page, "train.jsonl");
  await expect(trainRow).toHaveAttribute("data-file-id", fileId);
  await expect(trainRow.getByTestId("file-id")).toHaveText(fileId);
  await expect(trainRow.getByTestId("file-purpose")).toHaveText("Fine-tune");
  await expect(trainRow.getByTestId("file-size")).toHaveText(`${TRAIN.length} B`);
  await expect(trainRow.getByTestId("file-status")).toHaveText("Processed");

  // A file dropped on the page opens the dialog with it; the check follows the purpose.
  const dt = await page.evaluateHandle(() => {
    const d = new DataTransfer();
    d.items.add(new File(["first note\nsecond note\n"], "notes.txt", { type: "text/plain" }));
    return d;
  });
  await page.getByTestId("files-page").dispatchEvent("dragenter", { dataTransfer: dt });
  await expect(page.getByTestId("files-drop-overlay")).toBeVisible();
  await shot(page, "files-drop-overlay");
  await page.getByTestId("files-page").dispatchEvent("drop", { dataTransfer: dt });
  await expect(page.getByTestId("files-drop-overlay")).toHaveCount(0);
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId("upload-file")).toContainText("notes.txt");
  await expect(page.getByTestId("upload-problem")).toContainText(".jsonl");
  await page.getByTestId("upload-purpose").selectOption("user_data");
  await expect(page.getByTestId("upload-problem")).toHaveCount(0);
  await page.getByTestId("upload-submit").click();
  await expect(page.getByTestId("upload-progress")).toHaveAttribute("data-state", "done");
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(row(page, "notes.txt").getByTestId("file-purpose")).toHaveText("User data");
  await expect(page.getByTestId("file-row")).toHaveCount(2);
  await expect(page.getByTestId("file-row").first()).toHaveAttribute("data-filename", "notes.txt"); // newest first

  // Cancel during an upload: the request is held, Cancel upload aborts it, nothing is stored.
  await page.route(`**/api/projects/${projectId}/files`, () => undefined);
  await page.getByTestId("upload-button").click();
  await page.getByTestId("upload-purpose").selectOption("user_data");
  await chooseFile(page, { name: "held.txt", mimeType: "text/plain", buffer: Buffer.alloc(256 * 1024, "x") });
  await page.getByTestId("upload-submit").click();
  await expect(page.getByTestId("upload-progress")).toHaveAttribute("data-state", "uploading");
  await expect(page.getByTestId("upload-cancel")).toBeVisible();
  await page.getByTestId("upload-cancel").click();
  await expect(page.getByTestId("upload-cancelled")).toHaveText(/Upload cancelled/);
  await expect(page.getByTestId("upload-submit")).toHaveText(/Try again/);
  await page.unrouteAll({ behavior: "ignoreErrors" });
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await page.getByTestId("files-refresh").click();
  await expect(page.getByTestId("file-row")).toHaveCount(2);
  await expect(row(page, "held.txt")).toHaveCount(0);
  await shot(page, "files-list");

  // Filter by purpose (a URL the server renders).
  await page.getByTestId("purpose-filter-user_data").click();
  await page.waitForURL(/\?purpose=user_data$/);
  await expect(page.getByTestId("file-row")).toHaveCount(1);
  await expect(row(page, "notes.txt")).toBeVisible();
  await page.getByTestId("purpose-filter-vision").click();
  await expect(page.getByTestId("files-empty-filtered")).toBeVisible();
  await page.getByTestId("purpose-filter-all").click();
  await expect(page.getByTestId("file-row")).toHaveCount(2);

  // Inspect: numbered lines, pretty-printed JSON, the broken line flagged.
  await row(page, "train.jsonl").getByTestId("file-open").click();
  const drawer = page.getByTestId("file-drawer");
  await expect(drawer).toBeVisible();
  await expect(drawer.getByTestId("drawer-file-id")).toHaveText(fileId);
  await expect(drawer.getByTestId("drawer-uploaded-via")).toContainText("Console, by Fiona Files");
  await expect(drawer.getByTestId("drawer-size")).toHaveText(`${TRAIN.length} B`);
  const lines = drawer.getByTestId("preview-line");
  await expect(lines).toHaveCount(4);
  await expect(drawer.getByTestId("preview-line-number")).toHaveText(["1", "2", "3", "4"]);
  await expect(drawer.locator('[data-testid="preview-line"][data-invalid="true"]')).toHaveCount(1);
  await expect(drawer.locator('[data-testid="preview-line"][data-line="3"]')).toHaveAttribute("data-invalid", "true");
  await expect(drawer.locator('[data-line="3"]').getByTestId("preview-line-error")).toContainText("Invalid JSON");
  await expect(drawer.getByTestId("preview-invalid-count")).toHaveText("1 invalid JSON line");
  const first = (await drawer.locator('[data-line="1"]').getByTestId("preview-line-text").textContent()) ?? "";
  expect(first).toContain('"role": "assistant"');
  expect(first.split("\n").length).toBeGreaterThan(5); // pretty-printed
  await drawer.getByTestId("preview-raw").click();
  await expect(drawer.locator('[data-line="1"]').getByTestId("preview-line-text")).toHaveText(TRAIN.split("\n")[0]);
  await drawer.locator('[data-line="3"]').scrollIntoViewIfNeeded();
  await shot(page, "files-inspect");
  await page.emulateMedia({ colorScheme: "dark" });
  await shot(page, "files-inspect-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // Download: the exact bytes, under the file's name.
  const download = page.waitForEvent("download");
  await drawer.getByTestId("drawer-download").click();
  const d = await download;
  expect(d.suggestedFilename()).toBe("train.jsonl");
  expect(fs.readFileSync((await d.path())!).toString("utf8")).toBe(TRAIN);
  await page.keyboard.press("Escape");
  await expect(drawer).toHaveCount(0);

  // Delete asks first; Cancel keeps the file.
  await row(page, "notes.txt").getByTestId("file-delete").click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText("notes.txt");
  await shot(page, "files-delete-confirm");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(row(page, "notes.txt")).toBeVisible();
  await row(page, "notes.txt").getByTestId("file-delete").click();
  await page.getByTestId("confirm-delete-file").click();
  await expect(page.getByText("Deleted notes.txt")).toBeVisible();
  await expect(row(page, "notes.txt")).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("file-row")).toHaveCount(1);
  await page.emulateMedia({ colorScheme: "dark" });
  await shot(page, "files-list-dark");
  await page.emulateMedia({ colorScheme: "light" });
});

test("a file uploaded with an API key shows in the list; deleting it removes it from the API", async ({ page }, testInfo) => {
  const baseURL = testInfo.project.use.baseURL!;
  const form = new FormData();
  form.append("purpose", "batch");
  const name = `api-${Date.now()}.jsonl`;
  form.append("file", new Blob(['{"custom_id":"1"}\n']), name);
  const up = await fetch(`${baseURL}/v1/files`, { method: "POST", headers: { authorization: `Bearer ${E2E_API_KEY}` }, body: form });
  expect(up.status).toBe(200);
  const file = (await up.json()) as { id: string };
  const viaApi = () => fetch(`${baseURL}/v1/files/${file.id}`, { headers: { authorization: `Bearer ${E2E_API_KEY}` } });
  expect((await viaApi()).status).toBe(200);

  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.waitForURL(/\/projects\/[^/]+\/api-keys/);
  await page.getByTestId("nav-files").click();
  const r = row(page, name);
  await expect(r).toHaveAttribute("data-file-id", file.id);
  await expect(r.getByTestId("file-purpose")).toHaveText("Batch");
  await shot(page, "files-api-key-project");

  await r.getByTestId("file-open").click();
  const drawer = page.getByTestId("file-drawer");
  await expect(drawer.getByTestId("drawer-uploaded-via")).toContainText("API key");
  await expect(drawer.getByTestId("preview-summary")).toContainText("all valid JSON");
  await drawer.getByTestId("drawer-delete").click();
  await page.getByTestId("confirm-delete-file").click();
  await expect(drawer).toHaveCount(0);
  await expect(row(page, name)).toHaveCount(0);
  const gone = await viaApi();
  expect(gone.status).toBe(404);
  expect(((await gone.json()) as { error: { message: string } }).error.message).toContain(file.id);

  // The deletion is in the organization's audit log.
  const usage = await page.getByTestId("nav-usage").getAttribute("href");
  const orgId = usage!.split("/")[2];
  await page.goto(`/orgs/${orgId}/audit-log`);
  const event = page.locator(`[data-testid="audit-row"][data-action="file.deleted"]`, { hasText: file.id });
  await expect(event).toBeVisible();
  await expect(event).toContainText("File deleted");
});

test("the list loads more files after the first page", async ({ page }, testInfo) => {
  const baseURL = testInfo.project.use.baseURL!;
  const { projectId } = await signUp(page, uniqueEmail("files-many"), "Many Files");
  for (let i = 0; i < 23; i++) {
    const res = await page.request.post(`${baseURL}/api/projects/${projectId}/files`, {
      headers: { origin: baseURL },
      multipart: { purpose: "user_data", file: { name: `f${String(i).padStart(2, "0")}.txt`, mimeType: "text/plain", buffer: Buffer.from(`file ${i}`) } },
    });
    expect(res.status()).toBe(200);
  }
  await openFiles(page, projectId);
  await expect(page.getByTestId("file-row")).toHaveCount(20);
  await expect(page.getByTestId("file-row").first()).toHaveAttribute("data-filename", "f22.txt");
  await page.getByTestId("files-load-more").click();
  await expect(page.getByTestId("file-row")).toHaveCount(23);
  await expect(page.getByTestId("file-row").last()).toHaveAttribute("data-filename", "f00.txt");
  await expect(page.getByTestId("files-load-more")).toHaveCount(0);
  await expect(page.getByTestId("files-count")).toHaveText("23 files shown · all of them");
});

test("project members see and download files; only owners upload and delete", async ({ browser }, testInfo) => {
  const baseURL = testInfo.project.use.baseURL!;
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  const { projectId } = await signUp(owner, uniqueEmail("files-owner"), "Otto Owner");
  const res = await owner.request.post(`${baseURL}/api/projects/${projectId}/files`, {
    headers: { origin: baseURL },
    multipart: { purpose: "assistants", file: { name: "handbook.md", mimeType: "text/markdown", buffer: Buffer.from("# Handbook\n\nBe kind.\n") } },
  });
  expect(res.status()).toBe(200);
  const file = (await res.json()) as { id: string };

  // Invite a reader to the organization, as a member of the default project.
  await owner.getByTestId("nav-org-members").click();
  const link = await inviteReader(owner, uniqueEmail("files-reader"));
  const reader = await acceptAsNewUser(browser, link, "Rita Reader");
  await reader.waitForURL(new RegExp(`/projects/${projectId}/api-keys`));

  await openFiles(reader, projectId);
  await expect(row(reader, "handbook.md")).toBeVisible();
  await expect(reader.getByTestId("owner-only-note")).toHaveText("Only project owners can upload or delete files");
  await expect(reader.getByTestId("upload-button")).toHaveCount(0);
  await expect(reader.getByTestId("file-delete")).toHaveCount(0);
  await row(reader, "handbook.md").getByTestId("file-open").click();
  await expect(reader.getByTestId("preview-line")).toHaveCount(3);
  await expect(reader.getByTestId("drawer-delete")).toHaveCount(0);
  await shot(reader, "files-inspect-as-member");
  const down = await reader.request.get(`${baseURL}/api/projects/${projectId}/files/${file.id}/content`);
  expect(await down.text()).toBe("# Handbook\n\nBe kind.\n");

  // The server refuses a member's upload too.
  const refused = await reader.request.post(`${baseURL}/api/projects/${projectId}/files`, {
    headers: { origin: baseURL },
    multipart: { purpose: "user_data", file: { name: "x.txt", mimeType: "text/plain", buffer: Buffer.from("x") } },
  });
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toBe("Only project owners can upload files.");
  await ownerContext.close();
  await reader.context().close();
});
