import { expect, test, type Page } from "@playwright/test";
import { signUp, uniqueEmail } from "./support";

// Keys made in the console, used on the API: permissions, revocation and archived projects
// answer 401/403 as OpenAI does.

const MODEL = "stories260K";

async function createKey(page: Page, name: string, setup?: (dialog: ReturnType<Page["getByRole"]>) => Promise<void>) {
  await page.getByTestId("create-key-button").click();
  await page.getByTestId("key-name-input").fill(name);
  if (setup) await setup(page.getByRole("dialog"));
  await page.getByTestId("create-key-submit").click();
  const secret = await page.getByTestId("new-key-secret").inputValue();
  expect(secret).toMatch(/^sk-proj-/);
  await page.getByTestId("key-done-button").click();
  await expect(page.locator(`[data-testid="key-row"][data-key-name="${name}"]`)).toBeVisible();
  return secret;
}

test("read-only, restricted, revoked and archived-project keys are refused like OpenAI refuses them", async ({ page, request }) => {
  await signUp(page, uniqueEmail("apiauth"));
  const all = await createKey(page, "all");
  const readOnly = await createKey(page, "read-only", (d) => d.getByText("Read only", { exact: true }).click());
  const modelsOnly = await createKey(page, "models-only", async (d) => {
    await d.getByText("Restricted", { exact: true }).click();
    await d.getByRole("radio", { name: "Models: Read" }).click();
  });
  const revoked = await createKey(page, "revoked");
  const row = page.locator('[data-testid="key-row"][data-key-name="revoked"]');
  await row.getByTestId("revoke-key-button").click();
  await page.getByTestId("confirm-revoke-button").click();
  await expect(row).toHaveCount(0);

  const chat = (key: string) =>
    request.post("/v1/chat/completions", {
      headers: { authorization: `Bearer ${key}` },
      data: { model: MODEL, messages: [{ role: "user", content: "Hi" }], max_tokens: 2 },
    });
  const models = (key: string) => request.get("/v1/models", { headers: { authorization: `Bearer ${key}` } });
  const embed = (key: string) => request.post("/v1/embeddings", { headers: { authorization: `Bearer ${key}` }, data: { model: MODEL, input: "a" } });

  expect((await chat(all)).status()).toBe(200);
  expect((await models(all)).status()).toBe(200);

  for (const [key, label] of [[readOnly, "read-only"], [modelsOnly, "models-only"]] as const) {
    expect((await models(key)).status(), label).toBe(200);
    for (const res of [await chat(key), await embed(key)]) {
      expect(res.status(), label).toBe(403);
      const body = await res.json();
      expect(body.error.type, label).toBe("permission_error");
      expect(body.error.message, label).toMatch(/insufficient permissions/);
    }
  }

  const gone = await chat(revoked);
  expect(gone.status()).toBe(401);
  const goneBody = await gone.json();
  expect(goneBody.error.code).toBe("invalid_api_key");
  expect(goneBody.error.message).toMatch(/revoked/);
  expect(goneBody.error.message).not.toContain(revoked);

  // Archiving the project stops its keys at once.
  await page.getByTestId("nav-settings").click();
  await page.getByTestId("archive-project-button").click();
  await page.getByTestId("confirm-archive-button").click();
  await expect(page.getByTestId("archived-banner")).toBeVisible();
  const archived = await models(all);
  expect(archived.status()).toBe(401);
  expect((await archived.json()).error.message).toMatch(/archived/);
});
