import { expect, test, type Request } from "@playwright/test";
import { PASSWORD, shot, signIn, signUp, uniqueEmail } from "./support";

test("invite a reader, who accepts in another browser and cannot create keys", async ({ browser }) => {
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  const ownerEmail = uniqueEmail("owner");
  const { projectId } = await signUp(owner, ownerEmail, "Olivia Owner");

  // Record the owner's real create-key server action, to forge it later as the reader.
  let createKeyRequest: Request | undefined;
  owner.on("request", (r) => {
    if (r.method() === "POST" && r.headers()["next-action"] && r.postData()?.includes("owner-key")) createKeyRequest = r;
  });
  await owner.getByTestId("create-key-button").click();
  await owner.getByTestId("key-name-input").fill("owner-key");
  await owner.getByTestId("create-key-submit").click();
  await expect(owner.getByTestId("new-key-secret")).toHaveValue(/^sk-proj-/);
  await owner.getByTestId("key-done-button").click();
  expect(createKeyRequest).toBeDefined();

  // Invite a reader to the organization and the default project.
  await owner.getByTestId("nav-org-members").click();
  await expect(owner.getByRole("heading", { name: "Members", level: 1 })).toBeVisible();
  const readerEmail = uniqueEmail("reader");
  await owner.getByTestId("invite-button").click();
  await owner.getByTestId("invite-email-input").fill("not-an-email");
  await owner.getByTestId("invite-submit").click();
  await expect(owner.getByText(/valid email/i)).toBeVisible();
  await owner.getByTestId("invite-email-input").fill(readerEmail);
  await owner.getByTestId("invite-role-select").selectOption("reader");
  await owner.getByTestId("invite-submit").click();
  const link = await owner.getByTestId("invite-link").inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await shot(owner, "org-invite-link");
  await owner.keyboard.press("Escape");
  await owner.reload();
  await expect(owner.getByText(readerEmail)).toBeVisible(); // pending invitation
  await shot(owner, "org-members");

  // The reader opens the link in a separate browser context, signs up and accepts.
  const readerContext = await browser.newContext();
  const reader = await readerContext.newPage();
  await reader.goto(new URL(link).pathname);
  await expect(reader.getByText(/invited you to join/i)).toBeVisible();
  await shot(reader, "invite-signed-out");
  await reader.getByRole("link", { name: /create account/i }).click();
  await expect(reader.getByLabel("Email")).toHaveValue(readerEmail);
  await reader.getByLabel("Name").fill("Rita Reader");
  await reader.getByLabel("Password").fill(PASSWORD);
  await reader.getByRole("button", { name: "Create account" }).click();
  await reader.waitForURL(/\/invite\//);
  await shot(reader, "invite-accept");
  await reader.getByTestId("accept-invite-button").click();
  await reader.waitForURL(new RegExp(`/projects/${projectId}/api-keys`));

  // The reader sees the owner's key but has no way to create one.
  await expect(reader.locator('[data-testid="key-row"][data-key-name="owner-key"]')).toBeVisible();
  await expect(reader.getByTestId("create-key-button")).toHaveCount(0);
  await expect(reader.getByTestId("revoke-key-button")).toHaveCount(0);
  await shot(reader, "api-keys-as-reader");

  // A forged create-key post with the reader's session is refused by the server.
  const forged = await readerContext.request.post(createKeyRequest!.url(), {
    headers: {
      "next-action": createKeyRequest!.headers()["next-action"],
      "content-type": createKeyRequest!.headers()["content-type"],
      accept: "text/x-component",
    },
    data: createKeyRequest!.postDataBuffer()!,
  });
  expect(forged.status()).toBeLessThan(500);
  const body = await forged.text();
  expect(body).toContain("Only project owners can do that");
  expect(body).not.toMatch(/sk-proj-[0-9A-Za-z]{48}/);
  await owner.goto(`/projects/${projectId}/api-keys`);
  await expect(owner.getByTestId("key-row")).toHaveCount(1);

  // The owner revokes a second, unused invitation, then removes the reader (with confirmation).
  await owner.getByTestId("nav-org-members").click();
  await owner.waitForURL(/\/members$/);
  const strayEmail = uniqueEmail("stray");
  await owner.getByTestId("invite-button").click();
  await owner.getByTestId("invite-email-input").fill(strayEmail);
  await owner.getByTestId("invite-submit").click();
  await expect(owner.getByTestId("invite-link")).toBeVisible();
  await owner.keyboard.press("Escape");
  const stray = owner.locator(`[data-testid="invitation-row"][data-email="${strayEmail}"]`);
  await stray.getByTestId("revoke-invitation-button").click();
  await owner.getByTestId("confirm-revoke-invitation-button").click();
  await expect(stray).toHaveCount(0);
  const readerRow = owner.locator(`[data-testid="member-row"][data-email="${readerEmail}"]`);
  await readerRow.getByTestId("remove-member-button").click();
  await expect(owner.getByRole("alertdialog")).toContainText("Rita Reader");
  await shot(owner, "org-remove-member-confirm");
  await owner.getByTestId("confirm-remove-button").click();
  await expect(readerRow).toHaveCount(0);
  await expect(owner.getByText("Member removed")).toBeVisible();
  const after = await reader.goto(`/projects/${projectId}/api-keys`);
  expect(after?.status()).toBe(404);

  await ownerContext.close();
  await readerContext.close();
});

test("a member of another organization cannot open this organization's pages", async ({ browser }) => {
  const a = await (await browser.newContext()).newPage();
  const { projectId } = await signUp(a, uniqueEmail("alice"));
  await a.getByTestId("nav-general").click();
  await a.waitForURL(/\/orgs\/[^/]+\/settings/);
  const orgId = a.url().match(/\/orgs\/([^/]+)\//)![1];

  const m = await (await browser.newContext()).newPage();
  await signUp(m, uniqueEmail("mallory"));
  for (const path of [
    `/projects/${projectId}/api-keys`,
    `/projects/${projectId}/service-accounts`,
    `/projects/${projectId}/members`,
    `/projects/${projectId}/settings`,
    `/orgs/${orgId}/settings`,
    `/orgs/${orgId}/members`,
    `/orgs/${orgId}/projects`,
    `/orgs/${orgId}/audit-log`,
  ]) {
    const res = await m.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(m.getByText(/not found/i).first()).toBeVisible();
  }
  await shot(m, "not-found-other-org");
});

test("bad input gets clear errors, never a 500", async ({ page }) => {
  const email = uniqueEmail("dup");
  await signUp(page, email);
  await page.context().clearCookies();

  await page.goto("/sign-up");
  await page.getByLabel("Email").fill("not an email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter a valid email address")).toBeVisible();
  await expect(page.getByText("Use at least 10 characters")).toBeVisible();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("password123");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("This password is too common")).toBeVisible();
  await page.getByLabel("Name").fill("x".repeat(81));
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText(/at most 80 characters/)).toBeVisible();
  await page.getByLabel("Name").fill("Dup");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText(/already exists/)).toBeVisible();
  await shot(page, "sign-up-errors");

  await signIn(page, email, "wrong-password-1");
  await expect(page.getByText("Incorrect email or password.")).toBeVisible();
  await shot(page, "sign-in-error");

  for (const token of ["garbage", "x".repeat(43), "%3Cscript%3E", "a".repeat(5000)]) {
    const res = await page.goto(`/invite/${token}`);
    expect(res?.status(), token.slice(0, 20)).toBeLessThan(500);
    await expect(page.getByText(/invalid or has expired/i)).toBeVisible();
  }
  await shot(page, "invite-invalid");

  const health = await page.request.get("/healthz");
  expect(health.status()).toBe(200);
  expect(await health.json()).toEqual({ status: "ok" });
});
