import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { E2E_API_KEY, shot, signIn, signUp, uniqueEmail, inviteReader, acceptAsNewUser } from "./support";

// The console's fine-tuning pages against the shared e2e server, training the tiny local model
// for real: the empty state, the create form's validation report (problems by line number
// block the submit), a job followed live to success with its charts drawn from the metrics
// events, its checkpoints and result file, and cancelling a long job.

const MODEL = "stories260K";
const ADMIN = { email: "e2e-admin@example.com", password: "e2e-admin-password-1" };
const ANSWER = "The cat sat on the mat.";
const THINGS = ["sun", "moon", "tree", "dog", "ball", "boat", "cake", "bird", "fish", "rain", "star", "hill", "door", "shoe", "milk", "kite", "frog", "bell", "sock", "lamp", "box", "cup", "hat", "bed"];

const example = (thing: string) => ({ messages: [{ role: "user", content: `Tell me about the ${thing}.` }, { role: "assistant", content: ANSWER }] });
const jsonl = (lines: unknown[]) => lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n";
const jsonlFile = (name: string, lines: unknown[]) => ({ name, mimeType: "application/jsonl", buffer: Buffer.from(jsonl(lines)) });

const auth = { authorization: `Bearer ${E2E_API_KEY}` };

test.describe.configure({ mode: "serial" });

/** Signs in as the bootstrap admin: lands in the project the E2E API key belongs to. */
async function signInAdmin(page: Page): Promise<string> {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.waitForURL(/\/projects\/[^/]+\//);
  return page.url().match(/\/projects\/([^/]+)\//)![1];
}

type ApiEvent = { id: string; type: string; data: { step?: number; valid_loss?: number } };

/** All of a job's events through the API (newest first, paged). */
async function apiEvents(page: Page, jobId: string): Promise<ApiEvent[]> {
  const out: ApiEvent[] = [];
  let after: string | null = null;
  for (;;) {
    const res = await page.request.get(`/v1/fine_tuning/jobs/${jobId}/events?limit=100${after ? `&after=${after}` : ""}`, { headers: auth });
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { data: ApiEvent[]; has_more: boolean };
    out.push(...body.data);
    if (!body.has_more || !body.data.length) return out;
    after = body.data.at(-1)!.id;
  }
}

/** A screenshot from the top of the page, with no tooltip open under the pointer. */
async function snap(page: Page, name: string) {
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, name);
}

async function openCreateForm(page: Page, projectId: string) {
  await page.goto(`/projects/${projectId}/fine-tuning/new`);
  await expect(page.getByTestId("ft-create-form")).toBeVisible();
  await page.getByTestId("ft-model").selectOption(MODEL);
}

async function setHyper(page: Page, key: "n_epochs" | "batch_size", value: number) {
  await page.getByTestId(`ft-hp-${key}-custom`).click();
  await page.getByTestId(`ft-hp-${key}-value`).fill(String(value));
}

/** The report of the form's current inputs (not a stale one). */
async function waitForReport(page: Page, ok: boolean) {
  await expect(page.getByTestId("ft-report-checking")).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId("ft-report")).toHaveAttribute("data-ok", ok ? "true" : "false", { timeout: 30_000 });
}

async function createAndOpen(page: Page): Promise<string> {
  await page.getByTestId("ft-submit").click();
  await page.waitForURL(/\/fine-tuning\/ftjob-[A-Za-z0-9]+$/, { timeout: 30_000 });
  return page.url().match(/\/fine-tuning\/(ftjob-[A-Za-z0-9]+)$/)![1];
}

test("a project without jobs explains fine-tuning and links to the create form", async ({ page }) => {
  const { projectId } = await signUp(page, uniqueEmail("ft-empty"), "Fine Tuner");
  await page.goto(`/projects/${projectId}/fine-tuning`);
  await expect(page.getByRole("heading", { name: "Fine-tuning", level: 1 })).toBeVisible();
  const empty = page.getByTestId("ft-empty");
  await expect(empty).toBeVisible();
  await expect(empty).toContainText("No fine-tuning jobs yet");
  await expect(page.getByTestId("ft-snippet")).toContainText("client.fine_tuning.jobs.create(");
  await expect(page.getByTestId("ft-snippet")).toContainText(`base_url="http://127.0.0.1:`);
  await page.getByTestId("ft-snippet-node").click();
  await expect(page.getByTestId("ft-snippet")).toContainText("client.fineTuning.jobs.create({");
  await snap(page, "fine-tuning-empty");

  await page.getByTestId("ft-empty-create").click();
  await page.waitForURL(`**/projects/${projectId}/fine-tuning/new`);
  await expect(page.getByTestId("ft-model")).toHaveValue(MODEL);
  await expect(page.getByTestId("ft-report-idle")).toContainText("Choose or upload a training file");
  await expect(page.getByTestId("ft-submit")).toBeDisabled();
});

test("a training file with broken lines shows each problem with its line number, and the job cannot be created", async ({ page }) => {
  const projectId = await signInAdmin(page);
  await openCreateForm(page, projectId);
  await page.getByTestId("ft-training-upload").setInputFiles(
    jsonlFile("broken.jsonl", [
      example("sun"),
      example("moon"),
      "{not json",
      ...THINGS.slice(2, 6).map(example),
      { messages: [{ role: "user", content: "Only a question?" }] },
      ...THINGS.slice(6, 14).map(example),
    ]),
  );
  await waitForReport(page, false);
  const problems = page.getByTestId("ft-report-problem");
  await expect(problems).toHaveCount(2);
  await expect(problems.nth(0)).toHaveAttribute("data-line", "3");
  await expect(problems.nth(0)).toContainText("line 3");
  await expect(problems.nth(0)).toContainText("invalid JSON");
  await expect(problems.nth(1)).toHaveAttribute("data-line", "8");
  await expect(problems.nth(1)).toContainText("no assistant message");
  await expect(page.getByTestId("ft-report-status")).toContainText("2 lines have problems");
  await expect(page.getByTestId("ft-report-examples").first()).toContainText("14");
  await expect(page.getByTestId("ft-submit")).toBeDisabled();
  await expect(page.getByTestId("ft-submit-blocked")).toBeVisible();
  await snap(page, "fine-tuning-create-problems");

  // An out-of-range hyperparameter gets the API's own message, under its field.
  await setHyper(page, "n_epochs", 0);
  await expect(page.getByTestId("ft-hp-n_epochs")).toContainText("Invalid 'hyperparameters.n_epochs': expected 'auto' or an integer from 1 to 50, got 0.", { timeout: 15_000 });
  await expect(page.getByTestId("ft-submit")).toBeDisabled();
});

test("create a job from the console, follow it to success: charts from its metrics, checkpoints, result file", async ({ page }) => {
  test.setTimeout(240_000);
  const projectId = await signInAdmin(page);
  await page.goto(`/projects/${projectId}/fine-tuning`);
  await expect(page.getByRole("heading", { name: "Fine-tuning", level: 1 })).toBeVisible();
  await page.getByTestId("ft-create").or(page.getByTestId("ft-empty-create")).first().click();
  await page.waitForURL(`**/projects/${projectId}/fine-tuning/new`);
  await page.getByTestId("ft-model").selectOption(MODEL);

  await page.getByTestId("ft-training-upload").setInputFiles(jsonlFile("cats-train.jsonl", THINGS.slice(0, 20).map(example)));
  await expect(page.getByTestId("ft-training-file").locator("option:checked")).toContainText("cats-train.jsonl");
  await page.getByTestId("ft-validation-upload").setInputFiles(jsonlFile("cats-valid.jsonl", THINGS.slice(20).map(example)));
  await expect(page.getByTestId("ft-validation-file").locator("option:checked")).toContainText("cats-valid.jsonl");
  await waitForReport(page, true);
  // Auto hyperparameters for 20 examples: 5 epochs (at least ~100 examples seen), batch size 1.
  await expect(page.getByTestId("ft-report-epochs")).toHaveText("5");

  await setHyper(page, "n_epochs", 3);
  await setHyper(page, "batch_size", 4);
  await waitForReport(page, true);
  await expect(page.getByTestId("ft-report-epochs")).toHaveText("3");
  await expect(page.getByTestId("ft-report-batch-size")).toHaveText("4");
  const files = page.getByTestId("ft-report-file");
  await expect(files).toHaveCount(2);
  await expect(files.nth(0).getByTestId("ft-report-examples")).toContainText("20");
  await expect(files.nth(1).getByTestId("ft-report-examples")).toContainText("4");
  const tokens = Number((await files.nth(0).getByTestId("ft-report-tokens").innerText()).replace(/,/g, ""));
  expect(tokens).toBeGreaterThan(0);
  await expect(page.getByTestId("ft-report-trained-tokens")).toHaveText((tokens * 3).toLocaleString("en-US"));
  await expect(page.getByTestId("ft-report-cost")).toHaveText(/^\$\d/);
  await page.getByTestId("ft-suffix").fill("cats");
  await page.getByTestId("ft-seed").fill("42");
  await expect(page.getByTestId("ft-submit")).toBeEnabled();
  await snap(page, "fine-tuning-create-report");

  const jobId = await createAndOpen(page);
  // The job is in the E2E key's project: the API sees it, with what the form sent.
  const apiJob = await page.request.get(`/v1/fine_tuning/jobs/${jobId}`, { headers: auth });
  expect(apiJob.status(), "the admin's landing project should be the E2E key's project").toBe(200);
  expect(await apiJob.json()).toMatchObject({ model: MODEL, seed: 42, user_provided_suffix: "cats", hyperparameters: { n_epochs: 3, batch_size: 4 } });

  const jobView = page.getByTestId("ft-job");
  await expect(jobView).toHaveAttribute("data-status", "succeeded", { timeout: 180_000 });
  await expect(page.getByTestId("job-status").first()).toHaveText("Succeeded");

  // Every point on the charts is a metrics event of the job.
  const events = await apiEvents(page, jobId);
  const metrics = events.filter((e) => e.type === "metrics");
  expect(metrics.length).toBe(15); // 20 examples / 4 per batch × 3 epochs
  const validPoints = metrics.filter((e) => typeof e.data.valid_loss === "number").length;
  expect(validPoints).toBeGreaterThan(0);
  const loss = page.getByTestId("ft-chart-loss");
  await expect(loss).toHaveAttribute("data-points", String(metrics.length));
  await expect(loss).toHaveAttribute("data-train-points", String(metrics.length));
  await expect(loss).toHaveAttribute("data-valid-points", String(validPoints));
  await expect(loss.locator("path.recharts-line-curve")).toHaveCount(2);
  await expect(loss.locator(".recharts-line-dots circle")).toHaveCount(metrics.length + validPoints);
  await expect(page.getByTestId("ft-chart-accuracy")).toHaveAttribute("data-points", String(metrics.length));
  await expect(page.getByTestId("ft-chart-accuracy").locator(".recharts-line-dots circle")).toHaveCount(metrics.length + validPoints);

  const api = await (await page.request.get(`/v1/fine_tuning/jobs/${jobId}`, { headers: auth })).json();
  await expect(page.getByTestId("ft-model-name")).toHaveText(api.fine_tuned_model);
  await expect(page.getByTestId("ft-trained-tokens")).toHaveText(api.trained_tokens.toLocaleString("en-US"));
  await expect(page.getByTestId("ft-hyper-n_epochs")).toContainText("3");
  await expect(page.getByTestId("ft-hyper-batch_size")).toContainText("4");
  await expect(page.getByTestId("ft-event").first()).toContainText("The job has successfully completed");
  await expect(page.getByTestId("ft-try-model")).toHaveAttribute("href", `/projects/${projectId}/playground?model=${encodeURIComponent(api.fine_tuned_model)}`);

  // One checkpoint per epoch, each with a link to the playground.
  const rows = page.getByTestId("ft-checkpoint-row");
  await expect(rows).toHaveCount(3);
  for (const [i, step] of [15, 10, 5].entries()) {
    await expect(rows.nth(i)).toHaveAttribute("data-step", String(step));
    await expect(rows.nth(i).getByTestId("ft-checkpoint-try")).toHaveAttribute(
      "href",
      `/projects/${projectId}/playground?model=${encodeURIComponent(`${api.fine_tuned_model}:ckpt-step-${step}`)}`,
    );
  }
  await snap(page, "fine-tuning-succeeded");

  // The result file downloads: the metrics of every step as CSV.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("ft-result-download").click()]);
  expect(download.suggestedFilename()).toBe("step_metrics.csv");
  const csv = fs.readFileSync((await download.path())!, "utf8").trim().split(/\r?\n/);
  expect(csv[0]).toBe("step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy");
  expect(csv).toHaveLength(metrics.length + 1);

  // Dark mode.
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(page.locator("html")).toHaveClass(/dark/);
  await snap(page, "fine-tuning-succeeded-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // A checkpoint opens in the playground with its model chosen.
  await rows.nth(2).getByTestId("ft-checkpoint-try").click();
  await page.waitForURL(/\/playground\?model=/);
  await expect(page.getByTestId("model-select")).toHaveValue(`${api.fine_tuned_model}:ckpt-step-5`);

  // The list: newest first, with the result model.
  await page.goto(`/projects/${projectId}/fine-tuning`);
  const row = page.locator(`[data-testid="ft-job-row"][data-job-id="${jobId}"]`);
  await expect(row).toHaveAttribute("data-status", "succeeded");
  await expect(row.getByTestId("ft-job-model")).toHaveText(api.fine_tuned_model);
  await expect(row).toContainText(MODEL);
  await expect(row).toContainText("cats");
  await expect(page.getByTestId("ft-job-row").first()).toHaveAttribute("data-job-id", jobId);
  await snap(page, "fine-tuning-list");
  await page.emulateMedia({ colorScheme: "dark" });
  await snap(page, "fine-tuning-list-dark");
  await page.emulateMedia({ colorScheme: "light" });
});

test("a failed job shows its problems by line number; the list pages with Load more", async ({ page }) => {
  test.setTimeout(180_000);
  const projectId = await signInAdmin(page);
  const upload = async (name: string, lines: unknown[]) => {
    const res = await page.request.post("/v1/files", {
      headers: auth,
      multipart: { purpose: "fine-tune", file: { name, mimeType: "application/jsonl", buffer: Buffer.from(jsonl(lines)) } },
    });
    expect(res.status()).toBe(200);
    return ((await res.json()) as { id: string }).id;
  };
  const create = async (trainingFile: string) => {
    const res = await page.request.post("/v1/fine_tuning/jobs", { headers: auth, data: { model: MODEL, training_file: trainingFile } });
    expect(res.status()).toBe(200);
    return ((await res.json()) as { id: string }).id;
  };

  // Jobs created through the API fail their data checks: the page shows why, line by line.
  const bad = await upload("bad.jsonl", [example("sun"), "{not json", { prompt: "old", completion: "format" }, ...THINGS.slice(0, 10).map(example)]);
  const failedId = await create(bad);
  await page.goto(`/projects/${projectId}/fine-tuning/${failedId}`);
  await expect(page.getByTestId("ft-job")).toHaveAttribute("data-status", "failed", { timeout: 60_000 });
  const error = page.getByTestId("ft-error");
  await expect(error).toContainText("invalid_training_file");
  await expect(error.getByTestId("ft-error-line")).toHaveText([/^line 2: invalid JSON/, /^line 3: uses the legacy prompt\/completion format/]);
  await expect(page.getByTestId("ft-event").first()).toHaveAttribute("data-level", "error");
  await expect(page.getByTestId("ft-cancel")).toBeDisabled();
  await expect(page.getByTestId("ft-chart-loss")).toHaveCount(0); // it never trained
  await expect(page.getByTestId("ft-hyper-n_epochs")).toHaveText(/^Epochs\s*auto$/);
  await snap(page, "fine-tuning-failed");

  // Enough jobs for a second page (too few examples: they fail at once).
  const few = await upload("few.jsonl", THINGS.slice(0, 3).map(example));
  for (let i = 0; i < 21; i++) await create(few);
  const all: string[] = [];
  for (let after: string | null = null; ; ) {
    const res = await page.request.get(`/v1/fine_tuning/jobs?limit=100${after ? `&after=${after}` : ""}`, { headers: auth });
    const body = (await res.json()) as { data: { id: string }[]; has_more: boolean };
    all.push(...body.data.map((j) => j.id));
    if (!body.has_more) break;
    after = all.at(-1)!;
  }
  expect(all.length).toBeGreaterThan(20);
  await page.goto(`/projects/${projectId}/fine-tuning`);
  const rows = page.getByTestId("ft-job-row");
  await expect(rows).toHaveCount(20);
  while (await page.getByTestId("ft-load-more").count()) {
    const shown = await rows.count();
    await page.getByTestId("ft-load-more").click();
    await expect.poll(() => rows.count()).toBeGreaterThan(shown);
  }
  // Newest first, each job once, the same order as the API's list.
  expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-job-id")))).toEqual(all);
});

test("project members who are organization readers follow jobs but cannot create or cancel them", async ({ browser }) => {
  test.setTimeout(180_000);
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  const { projectId } = await signUp(owner, uniqueEmail("ft-owner"), "Olga Owner");

  // Invite a reader to the organization (and so to its default project), before the job exists:
  // signing up takes a while on a loaded machine, and the job must still run when cancelled.
  await owner.getByTestId("nav-org-members").click();
  await expect(owner.getByRole("heading", { name: "Members", level: 1 })).toBeVisible();
  const link = await inviteReader(owner, uniqueEmail("ft-reader"));
  const reader = await acceptAsNewUser(browser, link, "Rita Reader");
  await reader.waitForURL(new RegExp(`/projects/${projectId}/`));

  // 48 examples × 50 epochs: 2,400 steps.
  await openCreateForm(owner, projectId);
  await owner.getByTestId("ft-training-upload").setInputFiles(jsonlFile("owner.jsonl", [...THINGS, ...THINGS].map(example)));
  await setHyper(owner, "n_epochs", 50);
  await setHyper(owner, "batch_size", 1);
  await waitForReport(owner, true);
  const jobId = await createAndOpen(owner);

  // The list and the job's page, without the controls.
  await reader.goto(`/projects/${projectId}/fine-tuning`);
  await expect(reader.locator(`[data-testid="ft-job-row"][data-job-id="${jobId}"]`)).toBeVisible();
  await expect(reader.getByTestId("ft-create")).toHaveCount(0);
  await expect(reader.getByTestId("ft-manage-note")).toHaveText("Only project owners can create and cancel fine-tuning jobs.");
  await reader.goto(`/projects/${projectId}/fine-tuning/${jobId}`);
  await expect(reader.getByTestId("ft-job")).toBeVisible();
  await expect(reader.getByTestId("ft-cancel")).toHaveCount(0);
  await reader.goto(`/projects/${projectId}/fine-tuning/new`);
  await expect(reader.getByTestId("ft-create-unavailable")).toBeVisible();
  await expect(reader.getByTestId("ft-create-form")).toHaveCount(0);
  // The job's polling route: the reader's session may read it, no session may not.
  const polled = await reader.context().request.get(`/api/projects/${projectId}/fine-tuning/jobs/${jobId}`);
  expect(polled.status()).toBe(200);
  expect((await polled.json()).job.id).toBe(jobId);
  const anonymous = await browser.newContext();
  expect((await anonymous.request.get(`/api/projects/${projectId}/fine-tuning/jobs/${jobId}`)).status()).toBe(401);
  await anonymous.close();
  await reader.context().close();

  // The owner stops the job.
  await owner.goto(`/projects/${projectId}/fine-tuning/${jobId}`);
  await owner.getByTestId("ft-cancel").click();
  await owner.getByTestId("ft-cancel-confirm").click();
  await expect(owner.getByTestId("ft-job")).toHaveAttribute("data-status", "cancelled", { timeout: 15_000 });
  await ownerContext.close();
});

test("cancelling a long job asks for confirmation, then the job stops as cancelled", async ({ page }) => {
  test.setTimeout(180_000);
  const projectId = await signInAdmin(page);
  await openCreateForm(page, projectId);
  await page.getByTestId("ft-training-upload").setInputFiles(jsonlFile("long.jsonl", [...THINGS, ...THINGS].map(example)));
  await setHyper(page, "n_epochs", 50);
  await setHyper(page, "batch_size", 1);
  await waitForReport(page, true);
  await expect(page.getByTestId("ft-report-epochs")).toHaveText("50");
  const jobId = await createAndOpen(page);

  // Live: the page follows the job while it trains (no reload).
  const job = page.getByTestId("ft-job");
  await expect(job).toHaveAttribute("data-status", "running", { timeout: 60_000 });
  const loss = page.getByTestId("ft-chart-loss");
  await expect.poll(async () => Number(await loss.getAttribute("data-points")), { timeout: 60_000 }).toBeGreaterThan(3);
  const before = Number(await loss.getAttribute("data-points"));
  await expect.poll(async () => Number(await loss.getAttribute("data-points")), { timeout: 30_000 }).toBeGreaterThan(before);
  await expect(loss).toHaveAttribute("data-live", "true");
  await expect(page.getByTestId("ft-progress-steps")).toContainText("of 2,400");
  await expect(page.getByTestId("ft-progress-eta")).toHaveText(/about/, { timeout: 15_000 });
  await snap(page, "fine-tuning-running");
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(page.locator("html")).toHaveClass(/dark/);
  await snap(page, "fine-tuning-running-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // Dismissing the confirmation leaves the job running.
  await page.getByTestId("ft-cancel").click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText("Cancel this fine-tuning job?");
  await dialog.getByRole("button", { name: "Cancel", exact: true }).click();
  await expect(dialog).toBeHidden();
  expect((await (await page.request.get(`/v1/fine_tuning/jobs/${jobId}`, { headers: auth })).json()).status).toBe("running");

  await page.getByTestId("ft-cancel").click();
  await page.getByTestId("ft-cancel-confirm").click();
  await expect(page.getByRole("region", { name: /Notifications/ }).getByText("Fine-tuning job cancelled")).toBeVisible();
  await expect(job).toHaveAttribute("data-status", "cancelled", { timeout: 15_000 });
  await expect(page.getByTestId("ft-cancel")).toBeDisabled();
  // (A checkpoint being saved as the job was cancelled may still log after it.)
  await expect(page.getByTestId("ft-events").getByText("Fine-tuning job cancelled")).toBeVisible();
  expect((await (await page.request.get(`/v1/fine_tuning/jobs/${jobId}`, { headers: auth })).json()).status).toBe("cancelled");
  // Training stopped: no more points come in.
  await page.waitForTimeout(3_000);
  const settled = (await apiEvents(page, jobId)).filter((e) => e.type === "metrics").length;
  await page.waitForTimeout(3_000);
  expect((await apiEvents(page, jobId)).filter((e) => e.type === "metrics").length).toBe(settled);
  await snap(page, "fine-tuning-cancelled");
});
