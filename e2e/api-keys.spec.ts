import { expect, test } from "@playwright/test";
import { shot, signUp, uniqueEmail } from "./support";

test("sign up, land in the default project, create a key, see it once, copy it, revoke it", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signUp(page, uniqueEmail("keys"), "Key Owner");
  await expect(page.getByTestId("project-switcher")).toContainText("Default project");
  await expect(page.getByText("No API keys yet", { exact: false })).toBeVisible();
  await shot(page, "api-keys-empty");

  await page.getByTestId("create-key-button").click();
  // Empty name is refused with a field error.
  await page.getByTestId("create-key-submit").click();
  await expect(page.getByText(/enter a (key )?name/i)).toBeVisible();
  await page.getByTestId("key-name-input").fill("ci-deploy");
  // The error goes as soon as the field is edited.
  await expect(page.getByText(/enter a (key )?name/i)).toHaveCount(0);
  await shot(page, "api-keys-create-dialog");
  await page.getByTestId("create-key-submit").click();

  const secretInput = page.getByTestId("new-key-secret");
  await expect(secretInput).toHaveValue(/^sk-proj-[0-9A-Za-z]{48}$/);
  const secret = await secretInput.inputValue();
  await shot(page, "api-keys-secret-once");
  await page.getByRole("dialog").getByRole("button", { name: /copy/i }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await page.getByTestId("key-done-button").click();

  const row = page.locator('[data-testid="key-row"][data-key-name="ci-deploy"]');
  await expect(row).toBeVisible();
  await expect(row).toContainText(`sk-proj-...${secret.slice(-4)}`);
  await expect(row).toContainText("All");
  // The secret is never shown again, not even in the page's HTML.
  await page.reload();
  expect(await page.content()).not.toContain(secret);
  await shot(page, "api-keys-list");

  await row.getByTestId("revoke-key-button").click();
  await expect(page.getByRole("alertdialog")).toContainText(/revoke/i);
  await shot(page, "api-keys-revoke-confirm");
  await page.getByTestId("confirm-revoke-button").click();
  await expect(row).toHaveCount(0);
  await expect(page.getByText("No API keys yet", { exact: false })).toBeVisible();
});

test("restricted keys show their permissions; dark mode and phone width render", async ({ page }) => {
  await signUp(page, uniqueEmail("restricted"));
  await page.getByTestId("create-key-button").click();
  await page.getByTestId("key-name-input").fill("read-models");
  await page.getByRole("dialog").getByText("Restricted", { exact: true }).click();
  await page.getByTestId("create-key-submit").click();
  await expect(page.getByTestId("new-key-secret")).toHaveValue(/^sk-proj-/);
  await page.getByTestId("key-done-button").click();
  await expect(page.locator('[data-testid="key-row"][data-key-name="read-models"]')).toContainText("Restricted");

  await page.getByTestId("theme-toggle").click();
  await page.getByTestId("theme-dark").click();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await shot(page, "api-keys-dark");
  await page.setViewportSize({ width: 375, height: 800 });
  await expect(page.getByTestId("mobile-nav-trigger")).toBeVisible();
  await shot(page, "api-keys-phone");
});
