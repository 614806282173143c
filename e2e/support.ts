import crypto from "node:crypto";
import { expect, type Browser, type Page } from "@playwright/test";

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

/**
 * On the organization's Members page: invites `email` as an organization reader (with
 * `projectMember`, also as a member of the first project listed), closes the dialog and returns
 * the invitation link.
 */
export async function inviteReader(owner: Page, email: string, { projectMember = false } = {}): Promise<string> {
  await owner.getByTestId("invite-button").click();
  await owner.getByTestId("invite-email-input").fill(email);
  await owner.getByTestId("invite-role-select").selectOption("reader");
  if (projectMember) {
    const box = owner.getByTestId("invite-project-checkbox").first();
    if (!(await box.isChecked())) await box.check();
    await owner.getByTestId("invite-project-role-select").first().selectOption("member");
  }
  await owner.getByTestId("invite-submit").click();
  const link = await owner.getByTestId("invite-link").inputValue();
  await owner.keyboard.press("Escape");
  return link;
}

/** Opens an invitation link in a browser context of its own, signs up as `name`, accepts, and returns the page (in a project). */
export async function acceptAsNewUser(browser: Browser, link: string, name: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(new URL(link).pathname);
  await page.getByRole("link", { name: /create account/i }).click();
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(/\/invite\//);
  await page.getByTestId("accept-invite-button").click();
  await page.waitForURL(/\/projects\//);
  return page;
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
