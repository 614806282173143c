import crypto from "node:crypto";
import { expect, type Page } from "@playwright/test";

export const PASSWORD = "e2e-Password-42";

export function uniqueEmail(label: string) {
  return `${label}-${crypto.randomBytes(4).toString("hex")}@example.com`;
}

/** Signs up through the UI and waits to land in the default project's API keys page. */
export async function signUp(page: Page, email: string, name = "Test User") {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(/\/projects\/[^/]+\/api-keys/);
  await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
  const projectId = page.url().match(/\/projects\/([^/]+)\//)![1];
  return { projectId };
}

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Where a screenshot for review goes: screenshots/<name>.png. */
export const shotPath = (name: string) => `screenshots/${name}.png`;

/** Saves a screenshot for review (the whole page unless `fullPage: false`), from the top of the page. */
export async function shot(page: Page, name: string, { fullPage = true }: { fullPage?: boolean } = {}) {
  // The sticky sidebar and header are drawn where the viewport is.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: shotPath(name), fullPage });
}

/** The bootstrap admin's API key the e2e server is started with (scripts/e2e-server.mjs). */
export const E2E_API_KEY = "sk-proj-e2e0000000000000000000000000000000000000000000";
