import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { E2E_API_KEY, shot, signIn, signUp, uniqueEmail } from "./support";

// Instance administration: who sees it, model prices, upstream connections, tier limits, and
// a project's model allow-list and limits as the API applies them. The bootstrap admin of the
// e2e server (scripts/e2e-server.mjs) does the work. Other specs use stories260K through the
// bootstrap key: its prices only ever change to other positive values here, and it is never
// disabled.

const ADMIN_EMAIL = "e2e-admin@example.com";
const ADMIN_PASSWORD = "e2e-admin-password-1";
const MODEL = "stories260K";
const MODEL_FILE = path.resolve(process.env.TEST_MODEL_DIR ?? "../shared/models", "stories260K.gguf");

async function signInAsAdmin(page: Page) {
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.waitForURL(/\/projects\/[^/]+\/api-keys/);
}

/** Full-page screenshots of a scrolled page repeat the sticky header mid-page: start at the top. */
async function shotFromTop(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, name);
}

const modelRow = (page: Page, id: string) => page.locator(`[data-testid="model-row"][data-model-id="${id}"]`);

function api(baseURL: string, key: string) {
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  return {
    models: async () => {
      const res = await fetch(`${baseURL}/v1/models`, { headers });
      expect(res.status).toBe(200);
      return ((await res.json()) as { data: { id: string }[] }).data.map((m) => m.id);
    },
    chat: async (model: string) => {
      const res = await fetch(`${baseURL}/v1/chat/completions`, {
        method: "POST",
        headers,
        body: JSON.stringify({ model, messages: [{ role: "user", content: "Hi" }], max_tokens: 2 }),
      });
      return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
    },
  };
}

test("a normal user sees no Admin section, and admin pages answer 404", async ({ page }) => {
  await signUp(page, uniqueEmail("plain"));
  await expect(page.getByTestId("nav-org-members")).toBeVisible();
  await expect(page.getByTestId("nav-admin-models")).toHaveCount(0);
  await expect(page.getByTestId("sidebar").getByText("Admin", { exact: true })).toHaveCount(0);
  for (const p of ["/admin", "/admin/models", "/admin/providers", "/admin/limits"]) {
    const res = await page.goto(p);
    expect(res?.status(), p).toBe(404);
    await expect(page.getByTestId("not-found")).toBeVisible();
  }
});

test("the admin edits a model's prices and the catalog shows them", async ({ page }) => {
  await signInAsAdmin(page);
  await page.getByTestId("nav-admin-models").click();
  await page.waitForURL(/\/admin\/models$/);
  await expect(page.getByRole("heading", { name: "Models", level: 1 })).toBeVisible();
  const row = modelRow(page, MODEL);
  await expect(row.getByTestId("model-status")).toHaveText("Enabled");
  await expect(row.getByTestId("model-input-price")).toHaveText(/^\$\d/);
  await shot(page, "admin-models");

  await row.getByTestId("edit-model-button").click();
  const dialog = page.getByTestId("edit-model-dialog");
  // A bad price is refused with a message, and what was typed stays.
  await dialog.getByTestId("edit-model-input-price").fill("-0.2");
  await dialog.getByTestId("edit-model-output-price").fill("0.1234567");
  await dialog.getByTestId("edit-model-submit").click();
  await expect(dialog.getByText("Enter a price of $0 or more")).toBeVisible();
  await expect(dialog.getByText(/at most 6 decimal places/i)).toBeVisible();
  await expect(dialog.getByTestId("edit-model-input-price")).toHaveValue("-0.2");
  await shot(page, "admin-model-edit-errors");

  await dialog.getByTestId("edit-model-input-price").fill("0.2");
  await dialog.getByTestId("edit-model-cached-price").fill("0.1");
  await dialog.getByTestId("edit-model-output-price").fill("0.45");
  await dialog.getByTestId("edit-model-submit").click();
  await expect(dialog).toBeHidden();
  await expect(row.getByTestId("model-input-price")).toHaveText("$0.20");
  await expect(row.getByTestId("model-cached-price")).toHaveText("$0.10");
  await expect(row.getByTestId("model-output-price")).toHaveText("$0.45");
  // Still there after a reload: it was stored, not just shown.
  await page.reload();
  await expect(modelRow(page, MODEL).getByTestId("model-output-price")).toHaveText("$0.45");

  await page.getByTestId("theme-toggle").click();
  await page.getByTestId("theme-dark").click();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await expect(page.getByRole("menu")).toHaveCount(0);
  await shot(page, "admin-models-dark");
  await page.getByTestId("theme-toggle").click();
  await page.getByTestId("theme-light").click();
});

test("the admin adds, tests, edits and deletes upstream connections; keys never reach the page", async ({ page }, testInfo) => {
  const baseURL = testInfo.project.use.baseURL!;
  await signInAsAdmin(page);
  await page.getByTestId("nav-admin-providers").click();
  await page.waitForURL(/\/admin\/providers$/);
  await expect(page.getByTestId("connections-empty")).toBeVisible();
  await shot(page, "admin-providers-empty");

  const add = async (name: string, url: string, key?: string) => {
    await page.getByTestId("add-connection-button").click();
    const dialog = page.getByTestId("connection-dialog");
    await dialog.getByTestId("connection-name-input").fill(name);
    await dialog.getByTestId("connection-base-url-input").fill(url);
    if (key) await dialog.getByTestId("connection-api-key-input").fill(key);
    await dialog.getByTestId("connection-submit").click();
    await expect(dialog).toBeHidden();
    return page.locator(`[data-testid="connection-row"][data-connection-name="${name}"]`);
  };

  // This very server is an OpenAI-compatible upstream, with the bootstrap key.
  const loopback = await add("Loopback", `${baseURL}/v1`, E2E_API_KEY);
  await expect(loopback.getByTestId("connection-key")).toHaveText(`sk-...${E2E_API_KEY.slice(-4)}`);
  expect(await page.content()).not.toContain(E2E_API_KEY);
  await loopback.getByTestId("test-connection-button").click();
  const ok = page.getByTestId("connection-test-result").first();
  await expect(ok).toHaveAttribute("data-ok", "true");
  await expect(ok).toContainText(MODEL);

  // Nothing listens on this port on the test machine.
  const nowhere = await add("Nowhere", "http://127.0.0.1:3299/v1");
  await expect(nowhere.getByTestId("connection-key")).toHaveText("None");
  await nowhere.getByTestId("test-connection-button").click();
  await expect(page.locator('[data-testid="connection-test-result"][data-ok="false"]')).toContainText("Connection refused");
  await shot(page, "admin-providers");

  // A blank key keeps the stored one.
  await loopback.getByTestId("edit-connection-button").click();
  const edit = page.getByTestId("connection-dialog");
  await expect(edit.getByTestId("connection-api-key-input")).toHaveValue("");
  await edit.getByTestId("connection-name-input").fill("Loopback server");
  await edit.getByTestId("connection-submit").click();
  await expect(edit).toBeHidden();
  const renamed = page.locator('[data-testid="connection-row"][data-connection-name="Loopback server"]');
  await expect(renamed.getByTestId("connection-key")).toHaveText(`sk-...${E2E_API_KEY.slice(-4)}`);
  await renamed.getByTestId("test-connection-button").click();
  await expect(page.locator('[data-testid="connection-test-result"][data-ok="true"]')).toBeVisible();

  // Deleting asks first; then both go.
  for (const row of [nowhere, renamed]) {
    await row.getByTestId("delete-connection-button").click();
    await page.getByTestId("confirm-delete-connection-button").click();
    await expect(row).toHaveCount(0);
  }
  await expect(page.getByTestId("connections-empty")).toBeVisible();
});

test("tier limits and organization tiers", async ({ page }) => {
  await signInAsAdmin(page);
  await page.getByTestId("nav-admin-limits").click();
  await page.waitForURL(/\/admin\/limits/);
  const defaultRow = page.locator('[data-testid="tier-limit-row"][data-model="*"]');
  await expect(defaultRow.getByTestId("tier-limit-rpm")).toHaveValue("500");
  await expect(defaultRow.getByTestId("tier-limit-tpm")).toHaveValue("200,000");
  await expect(page.locator('[data-testid="org-tier-row"]').first()).toBeVisible();
  await shotFromTop(page, "admin-limits");

  // Tier 5 has no organization in this run: edit its default and put it back.
  await page.getByTestId("tier-tab-5").click();
  await expect(page.getByTestId("tier-tab-5")).toHaveAttribute("aria-current", "page");
  const tier5 = page.locator('[data-testid="tier-limit-row"][data-model="*"]');
  const before = await tier5.getByTestId("tier-limit-rpd").inputValue();
  await tier5.getByTestId("tier-limit-rpd").fill("abc");
  await tier5.getByTestId("save-tier-limit-button").click();
  await expect(tier5.getByText(/whole number/)).toBeVisible();
  await tier5.getByTestId("tier-limit-rpd").fill("1,000,000");
  await tier5.getByTestId("save-tier-limit-button").click();
  await expect(page.getByText("Tier limits saved")).toBeVisible();
  await page.reload();
  await expect(page.locator('[data-testid="tier-limit-row"][data-model="*"]').getByTestId("tier-limit-rpd")).toHaveValue("1,000,000");
  await page.locator('[data-testid="tier-limit-row"][data-model="*"]').getByTestId("tier-limit-rpd").fill(before);
  await page.locator('[data-testid="tier-limit-row"][data-model="*"]').getByTestId("save-tier-limit-button").click();
  await expect(page.getByText("Tier limits saved").first()).toBeVisible();
});

test("a project's allow-list and limits apply to its keys at once", async ({ page }, testInfo) => {
  const baseURL = testInfo.project.use.baseURL!;
  await signInAsAdmin(page);

  // A fresh project of the admin's own, with a key made in the console.
  await page.getByTestId("nav-projects").click();
  await page.getByTestId("create-project-button").click();
  await page.getByTestId("project-name-input").fill(`Allow-list ${Date.now()}`);
  await page.getByTestId("create-project-submit").click();
  await page.waitForURL(/\/projects\/[^/]+\/api-keys/);
  await page.getByTestId("create-key-button").click();
  await page.getByTestId("key-name-input").fill("allow-list-key");
  await page.getByTestId("create-key-submit").click();
  const secret = await page.getByTestId("new-key-secret").inputValue();
  expect(secret).toMatch(/^sk-proj-/);
  await page.getByTestId("key-done-button").click();
  const client = api(baseURL, secret);
  expect(await client.models()).toContain(MODEL);

  // A limit above the tier is refused, naming the limit in force; RPM 1 is accepted.
  await page.getByTestId("nav-settings").click();
  await page.waitForURL(/\/settings$/);
  const settingsUrl = page.url();
  await expect(page.getByTestId("project-limits-empty")).toBeVisible();
  await page.getByTestId("add-project-limit-button").click();
  const limitDialog = page.getByTestId("project-limit-dialog");
  await limitDialog.getByTestId("project-limit-model").selectOption(MODEL);
  await limitDialog.getByTestId("project-limit-rpm-input").fill("100000");
  await limitDialog.getByTestId("project-limit-submit").click();
  await expect(limitDialog.getByText(/At most 500: the organization's tier 1 RPM/)).toBeVisible();
  await shotFromTop(page, "project-limit-above-tier");
  await limitDialog.getByTestId("project-limit-rpm-input").fill("1");
  await limitDialog.getByTestId("project-limit-submit").click();
  await expect(limitDialog).toBeHidden();
  const limitRow = page.locator(`[data-testid="project-limit-row"][data-model="${MODEL}"]`);
  await expect(limitRow.getByTestId("project-limit-rpm")).toContainText("1");
  await expect(limitRow.getByTestId("project-limit-rpm")).toContainText("project");

  const first = await client.chat(MODEL);
  expect(first.status).toBe(200);
  const second = await client.chat(MODEL);
  expect(second.status).toBe(429);
  expect(second.body.error?.code).toBe("rate_limit_exceeded");

  // A second model, registered from the same GGUF file by path.
  await page.getByTestId("nav-admin-models").click();
  await page.waitForURL(/\/admin\/models$/);
  await page.getByTestId("register-model-button").click();
  const register = page.getByTestId("register-model-dialog");
  await register.getByTestId("register-local-path").fill("models/relative.gguf");
  await register.getByTestId("register-local-submit").click();
  await expect(register.getByText(/absolute path/)).toBeVisible();
  await register.getByTestId("register-local-path").fill(MODEL_FILE);
  await register.getByTestId("register-local-id").fill("stories-e2e-copy");
  await shot(page, "admin-register-model");
  await register.getByTestId("register-local-submit").click();
  await expect(register).toBeHidden();
  const copy = modelRow(page, "stories-e2e-copy");
  await expect(copy.getByTestId("model-context")).toHaveText("2,048");

  // Allow only the copy: the API stops listing and serving stories260K for this project.
  await page.goto(settingsUrl);
  await page.locator(`[data-testid="allowed-model-checkbox"][data-model-id="stories-e2e-copy"]`).check();
  await expect(page.getByTestId("allowed-models-summary")).toContainText("1 of");
  await page.getByTestId("save-api-settings").click();
  await expect(page.getByText("API settings saved")).toBeVisible();
  await shotFromTop(page, "project-api-settings");
  const listed = await client.models();
  expect(listed).toContain("stories-e2e-copy");
  expect(listed).not.toContain(MODEL);
  const refused = await client.chat(MODEL);
  expect(refused.status).toBe(403);
  expect(refused.body.error?.code).toBe("model_not_allowed");
  // The bootstrap project still sees every model.
  expect(await api(baseURL, E2E_API_KEY).models()).toContain(MODEL);

  // Console-made models can be deleted (env and discovered ones only disabled).
  await page.getByTestId("nav-admin-models").click();
  await expect(modelRow(page, MODEL).getByTestId("delete-model-button")).toHaveCount(0);
  await copy.getByTestId("delete-model-button").click();
  await page.getByTestId("confirm-delete-model-button").click();
  await expect(copy).toHaveCount(0);
});
