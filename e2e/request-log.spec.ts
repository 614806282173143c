import crypto from "node:crypto";
import OpenAI from "openai";
import { expect, test, type Page } from "@playwright/test";
import { E2E_API_KEY, shot, signIn } from "./support";

// The organization's request log: real API calls (the official SDK against the tiny local
// model) show up as rows with the tokens the responses reported; the drawer shows what was
// stored for them; "Open in playground" starts the playground from a stored request, and the
// playground's request ids link back to the log.

const MODEL = "stories260K";
const row = (page: Page, requestId: string) => page.locator(`[data-testid="request-row"][data-request-id="${requestId}"]`);

test("API requests in the request log: rows, filters, the drawer, and back into the playground", async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  await signIn(page, "e2e-admin@example.com", "e2e-admin-password-1");
  await page.waitForURL(/\/projects\//);
  const client = new OpenAI({ baseURL: `${baseURL}/v1`, apiKey: E2E_API_KEY, maxRetries: 0 });

  // The key's project, from the log itself: a first call (a bad model: 404) shows up there with it.
  let errorId = "";
  let errorCode = "";
  try {
    await client.chat.completions.create({ model: `no-such-model-${crypto.randomBytes(4).toString("hex")}`, messages: [{ role: "user", content: "Hi" }] });
    throw new Error("expected a 404");
  } catch (err) {
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    errorId = (err as InstanceType<typeof OpenAI.NotFoundError>).requestID!;
    errorCode = String((err as InstanceType<typeof OpenAI.NotFoundError>).code);
  }
  expect(errorId).toMatch(/^req_/);
  await page.getByTestId("nav-requests").click();
  await page.waitForURL(/\/orgs\/[^/]+\/requests/);
  const logUrl = page.url().split("?")[0];
  const orgId = logUrl.match(/\/orgs\/([^/]+)\//)![1];
  let projectId = "";
  await expect
    .poll(async () => {
      await page.goto(`${logUrl}?range=1h`);
      const probe = row(page, errorId);
      projectId = (await probe.count()) ? ((await probe.getAttribute("data-project-id")) ?? "") : "";
      return projectId;
    }, { timeout: 15_000 })
    .not.toBe("");

  // Bodies are stored only when the project says so: turn it on (the API reads project
  // settings through a cache of a few seconds).
  await page.goto(`/projects/${projectId}/settings`);
  const store = page.getByTestId("store-bodies-checkbox");
  if (!(await store.isChecked())) {
    await store.check();
    await page.getByTestId("save-api-settings").click();
    await expect(page.getByText("API settings saved")).toBeVisible();
    await page.waitForTimeout(5_500);
  }

  const nonce = crypto.randomBytes(4).toString("hex");
  const prompt = `Request log ${nonce}`;
  const { data: chat, response: chatResponse } = await client.chat.completions
    .create({ model: MODEL, messages: [{ role: "system", content: "You tell stories." }, { role: "user", content: prompt }], max_tokens: 8, temperature: 0.5, seed: 3 })
    .withResponse();
  const chatId = chatResponse.headers.get("x-request-id")!;
  expect(chatId).toMatch(/^req_/);
  expect(chat.usage!.prompt_tokens).toBeGreaterThan(0);

  const { data: stream, response: streamResponse } = await client.chat.completions
    .create({ model: MODEL, messages: [{ role: "user", content: `Streamed ${nonce}` }], max_tokens: 6, stream: true, stream_options: { include_usage: true } })
    .withResponse();
  let streamUsage: OpenAI.CompletionUsage | undefined;
  for await (const chunk of stream) if (chunk.usage) streamUsage = chunk.usage;
  const streamId = streamResponse.headers.get("x-request-id")!;
  expect(streamUsage?.completion_tokens).toBeGreaterThan(0);


  // Usage is written in batches about once a second.
  await expect
    .poll(async () => {
      await page.goto(logUrl);
      return (await row(page, chatId).count()) + (await row(page, streamId).count()) + (await row(page, errorId).count());
    }, { timeout: 15_000 })
    .toBe(3);

  const chatRow = row(page, chatId);
  await expect(chatRow.getByTestId("request-model")).toHaveText(MODEL);
  await expect(chatRow.getByTestId("request-status")).toHaveAttribute("data-status", "200");
  await expect(chatRow.getByTestId("request-tokens")).toHaveAttribute("data-prompt", String(chat.usage!.prompt_tokens));
  await expect(chatRow.getByTestId("request-tokens")).toHaveAttribute("data-completion", String(chat.usage!.completion_tokens));
  await expect(chatRow.getByTestId("request-key")).toHaveText("Bootstrap key");
  await expect(chatRow.getByTestId("request-streamed")).toHaveAttribute("data-streamed", "false");
  const streamRow = row(page, streamId);
  await expect(streamRow.getByTestId("request-tokens")).toHaveAttribute("data-prompt", String(streamUsage!.prompt_tokens));
  await expect(streamRow.getByTestId("request-tokens")).toHaveAttribute("data-completion", String(streamUsage!.completion_tokens));
  await expect(streamRow.getByTestId("request-streamed")).toHaveAttribute("data-streamed", "true");
  const errorRow = row(page, errorId);
  await expect(errorRow.getByTestId("request-status")).toHaveAttribute("data-status", "404");
  await expect(errorRow.getByTestId("request-error-code")).toHaveText(errorCode);
  // Newest first.
  const order = await page.getByTestId("request-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-request-id")));
  expect(order.indexOf(streamId)).toBeLessThan(order.indexOf(chatId));
  expect(order.indexOf(chatId)).toBeLessThan(order.indexOf(errorId));
  await shot(page, "requests-list");

  // Status filter: only client errors.
  await page.getByTestId("requests-status-select").selectOption("4xx");
  await page.waitForURL(/status=4xx/);
  await expect(errorRow).toBeVisible();
  await expect(chatRow).toHaveCount(0);
  for (const status of await page.getByTestId("request-status").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-status"))))) {
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
  }
  // The failed request's drawer: nothing was stored for it, and it says why.
  await errorRow.getByTestId("request-open").click();
  await page.waitForURL(new RegExp(`id=${errorId}`));
  const drawer = page.getByTestId("request-drawer");
  await expect(drawer.getByTestId("request-detail")).toHaveAttribute("data-request-id", errorId);
  await expect(drawer.getByTestId("bodies-not-stored")).toContainText("Not stored for this request");
  await expect(drawer.getByTestId("open-in-playground")).toHaveCount(0);
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();
  await page.getByTestId("requests-clear-filters").click();
  await page.waitForURL((url) => !url.search.includes("status="));
  await expect(chatRow).toBeVisible();

  // The chat request's drawer: the stored request, response and headers.
  await chatRow.getByTestId("request-open").click();
  await page.waitForURL(new RegExp(`id=${chatId}`));
  await expect(drawer.getByTestId("request-detail")).toHaveAttribute("data-request-id", chatId);
  await expect(drawer.getByTestId("drawer-request-id")).toHaveText(chatId);
  await expect(drawer.getByTestId("detail-model")).toContainText(MODEL);
  await expect(drawer.getByTestId("request-body")).toContainText(prompt);
  const requestJson = JSON.parse(await drawer.getByTestId("request-body").innerText());
  expect(requestJson).toMatchObject({ model: MODEL, max_tokens: 8, seed: 3 });
  const responseJson = JSON.parse(await drawer.getByTestId("response-body").innerText());
  expect(responseJson).toMatchObject({ object: "chat.completion", model: MODEL, usage: { prompt_tokens: chat.usage!.prompt_tokens } });
  await expect(drawer.locator('[data-testid="response-header"][data-name="x-request-id"]')).toContainText(chatId);
  const limitHeader = drawer.locator('[data-testid="response-header"][data-name="x-ratelimit-limit-requests"]');
  if (await limitHeader.count()) {
    const limit = Number(chatResponse.headers.get("x-ratelimit-limit-requests"));
    await expect(drawer.getByTestId("rate-limit-requests")).toContainText(`of ${limit.toLocaleString("en-US")} left`);
  }
  await expect(drawer.getByTestId("cost-recorded")).toHaveText(/^\$\d/);
  await expect(drawer.getByTestId("cost-line")).toHaveCount(3);
  await shot(page, "requests-drawer-light", { fullPage: false });
  await drawer.getByTestId("response-headers-section").scrollIntoViewIfNeeded();
  await shot(page, "requests-drawer-bodies-light", { fullPage: false });
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(page.locator("html")).toHaveClass(/dark/);
  await shot(page, "requests-drawer-bodies-dark", { fullPage: false });
  await drawer.getByTestId("request-overview").scrollIntoViewIfNeeded();
  await shot(page, "requests-drawer-dark", { fullPage: false });
  await page.emulateMedia({ colorScheme: "light" });
  // The whole drawer at once, for review.
  const viewport = page.viewportSize()!;
  await page.setViewportSize({ width: viewport.width, height: 2400 });
  await shot(page, "requests-drawer-full", { fullPage: false });
  await page.setViewportSize(viewport);

  // Linkable: a reload opens the same request.
  await page.reload();
  await expect(page.getByTestId("request-drawer").getByTestId("request-detail")).toHaveAttribute("data-request-id", chatId);
  // j / k move to the neighbouring requests while the drawer is open.
  await page.keyboard.press("k");
  await page.waitForURL(new RegExp(`id=${streamId}`));
  await expect(drawer.getByTestId("request-detail")).toHaveAttribute("data-request-id", streamId);
  await page.keyboard.press("j");
  await page.waitForURL(new RegExp(`id=${chatId}`));
  await expect(drawer.getByTestId("request-detail")).toHaveAttribute("data-request-id", chatId);

  // Another organization's request id, or nonsense, is simply not found.
  await page.goto(`${logUrl}?id=req_${"0".repeat(32)}`);
  await expect(page.getByTestId("request-not-found")).toBeVisible();
  // Bad filters: a clear message, not an error page.
  const bad = await page.goto(`${logUrl}?status=6xx&range=2d`);
  expect(bad!.status()).toBe(200);
  await expect(page.getByTestId("requests-filter-error")).toContainText("Unknown status");
  await expect(page.getByTestId("requests-filter-error")).toContainText("Unknown period");

  // Into the playground: the stored request is the starting setup.
  await page.goto(`${logUrl}?id=${chatId}`);
  await page.getByTestId("request-drawer").getByTestId("open-in-playground").click();
  await page.waitForURL(new RegExp(`/projects/${projectId}/playground\\?request=${chatId}`));
  await expect(page.getByTestId("stored-request-notice")).toHaveAttribute("data-loaded", "true");
  await expect(page.getByTestId("model-select")).toHaveValue(MODEL);
  await expect(page.getByTestId("system-message")).toHaveValue("You tell stories.");
  await expect(page.locator('[data-testid="message-editor"][data-role="user"]')).toHaveValue(prompt);
  await expect(page.getByTestId("param-max-tokens")).toHaveValue("8");
  await expect(page.getByTestId("param-seed")).toHaveValue("3");
  await shot(page, "requests-playground-from-request");

  // Run it: the answer's request id links to the log, which shows the run once it is written.
  await page.getByTestId("run-button").click();
  const idLink = page.getByTestId("stats-line").getByTestId("request-id");
  await expect(idLink).toHaveText(/^req_/, { timeout: 30_000 });
  const runId = await idLink.innerText();
  await expect(idLink).toHaveAttribute("href", `/orgs/${orgId}/requests?id=${runId}`);
  await page.waitForTimeout(1_500);
  await idLink.click();
  await page.waitForURL(new RegExp(`/requests\\?id=${runId}`));
  await expect
    .poll(async () => {
      if (await page.getByTestId("request-detail").count()) return true;
      await page.reload();
      return (await page.getByTestId("request-detail").count()) > 0;
    }, { timeout: 15_000 })
    .toBe(true);
  await expect(page.getByTestId("detail-key")).toContainText("Playground");

  // A request that cannot be opened there says so instead of failing.
  await page.goto(`/projects/${projectId}/playground?request=${errorId}`);
  await expect(page.getByTestId("stored-request-notice")).toHaveAttribute("data-loaded", "false");
  await expect(page.getByTestId("stored-request-notice")).toContainText("was not stored");

  // Phone width: the table scrolls sideways inside its card, the page does not.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(logUrl);
  await expect(row(page, chatId)).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(1);
  await shot(page, "requests-phone");
  await row(page, chatId).getByTestId("request-open").click();
  await expect(page.getByTestId("request-detail")).toBeVisible();
  await shot(page, "requests-drawer-phone", { fullPage: false });
});

test("Load more pages through the log; filters that match nothing show the empty state", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  await signIn(page, "e2e-admin@example.com", "e2e-admin-password-1");
  await page.waitForURL(/\/projects\//);
  // More than a page of requests: unknown models answer 404 at once (no model runs).
  const model = `missing-${crypto.randomBytes(4).toString("hex")}`;
  const ids: string[] = [];
  for (let batch = 0; batch < 6; batch++) {
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        page.request.post(`${baseURL}/v1/chat/completions`, {
          headers: { authorization: `Bearer ${E2E_API_KEY}` },
          data: { model, messages: [{ role: "user", content: "Hi" }] },
        }),
      ),
    );
    for (const a of answers) {
      expect(a.status()).toBe(404);
      ids.push(a.headers()["x-request-id"]);
    }
  }
  await page.getByTestId("nav-requests").click();
  await page.waitForURL(/\/orgs\/[^/]+\/requests/);
  const logUrl = page.url().split("?")[0];
  const filtered = `${logUrl}?range=1h&model=${model}`;
  await expect
    .poll(async () => {
      await page.goto(filtered);
      return page.getByTestId("request-row").count();
    }, { timeout: 15_000 })
    .toBe(50);
  await expect(page.getByTestId("requests-load-more")).toBeVisible();
  await page.getByTestId("requests-load-more").click();
  await expect(page.getByTestId("request-row")).toHaveCount(60);
  await expect(page.getByTestId("requests-load-more")).toHaveCount(0);
  await expect(page.getByTestId("requests-count")).toContainText("60 requests shown");
  const shown = await page.getByTestId("request-row").evaluateAll((rows) => rows.map((r) => [r.getAttribute("data-request-id")!, r.getAttribute("data-created-at")!]));
  expect(new Set(shown.map(([id]) => id))).toEqual(new Set(ids));
  const times = shown.map(([, t]) => t);
  expect([...times].sort().reverse()).toEqual(times);

  // A filter that matches nothing: the empty state, with a way back.
  await page.goto(`${logUrl}?range=1h&code=no_such_code_at_all`);
  await expect(page.getByTestId("requests-empty")).toContainText("Nothing matches these filters");
  await shot(page, "requests-empty");
  await page.getByTestId("requests-empty-clear").click();
  await page.waitForURL((url) => !url.search.includes("code="));
  await expect(page.getByTestId("request-row").first()).toBeVisible();
  await page.emulateMedia({ colorScheme: "dark" });
  await shot(page, "requests-list-dark");
});
