import { expect, test, type Request } from "@playwright/test";
import { shot, shotPath, signIn, signUp, uniqueEmail, inviteReader, acceptAsNewUser } from "./support";

// The organization's Limits page: an owner overrides a project's limits and a key's own RPM,
// and the API applies them at once; a reader sees the same page without any way to change it
// (and a forged change is refused by the server); an administrator edits tier requirements.

const ADMIN_EMAIL = "e2e-admin@example.com";
const ADMIN_PASSWORD = "e2e-admin-password-1";
const MODEL = "stories260K";
async function chat(baseURL: string, key: string) {
  const res = await fetch(`${baseURL}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "Hi" }], max_tokens: 2 }),
  });
  await res.arrayBuffer();
  return { status: res.status, limit: res.headers.get("x-ratelimit-limit-requests") };
}

test("an owner overrides a project's limits and a key's RPM; the API applies them; a reader only reads", async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  const { projectId } = await signUp(owner, uniqueEmail("limits-owner"), "Olga Owner");

  // A key to limit, and its secret to call the API with.
  await owner.getByTestId("create-key-button").click();
  await owner.getByTestId("key-name-input").fill("batch-jobs");
  await owner.getByTestId("create-key-submit").click();
  const secret = await owner.getByTestId("new-key-secret").inputValue();
  expect(secret).toMatch(/^sk-proj-/);
  await owner.getByTestId("key-done-button").click();
  const before = await chat(baseURL!, secret);
  expect(before.status).toBe(200);
  const tierRpm = Number(before.limit);
  expect(tierRpm).toBeGreaterThan(60);

  // The Limits page, after Usage in the organization's navigation.
  // (Links are read once the key dialog has closed: while it is open the rest of the page is hidden from the accessibility tree.)
  await expect(owner.getByRole("dialog")).toHaveCount(0);
  const nav = owner.getByTestId("sidebar").getByRole("link");
  await expect
    .poll(async () => {
      const labels = await nav.allInnerTexts();
      return labels.includes("Usage") && labels.indexOf("Limits") > labels.indexOf("Usage") ? "after Usage" : labels.join(", ");
    })
    .toBe("after Usage");
  await owner.getByTestId("nav-limits").click();
  await owner.waitForURL(/\/orgs\/[^/]+\/limits$/);
  const orgId = owner.url().match(/\/orgs\/([^/]+)\/limits/)![1];
  await expect(owner.getByRole("heading", { name: "Limits", level: 1 })).toBeVisible();
  await expect(owner.getByTestId("current-tier")).toHaveText("Tier 1");
  await expect(owner.getByTestId("tier-step-1")).toHaveAttribute("aria-current", "step");
  await expect(owner.getByTestId("tier-paid")).toHaveText("$0.00");
  await expect(owner.getByTestId("tier-next")).toHaveText("Tier 2");
  await expect(owner.getByTestId("tier-missing")).toHaveText(/^Pay \$[\d,.]+ more and wait \d+ more days?\.$/);
  await expect(owner.getByTestId("tier-requirement-row")).toHaveCount(4);
  const tierRow = owner.locator(`[data-testid="org-tier-limit-row"][data-model="${MODEL}"]`);
  await expect(tierRow.getByTestId("org-tier-limit-rpm")).toHaveText(tierRpm.toLocaleString("en-US"));

  const project = owner.getByTestId("project-limits");
  await expect(project).toHaveCount(1);
  await expect(project.getByTestId("project-limits-summary")).toContainText("No overrides");

  // A project override above the tier is refused with the limit in force; within it, saved.
  await project.getByTestId("add-override-button").click();
  const dialog = owner.getByTestId("override-dialog");
  await dialog.getByTestId("override-model").selectOption(MODEL);
  await dialog.getByTestId("override-rpm-input").fill(String(tierRpm + 1));
  await dialog.getByTestId("override-submit").click();
  await expect(dialog.getByText(new RegExp(`At most ${tierRpm.toLocaleString("en-US")}: the organization's tier 1 RPM`))).toBeVisible();
  await owner.screenshot({ path: shotPath("limits-override-error") });
  await dialog.getByTestId("override-rpm-input").fill("60");
  await dialog.getByTestId("override-submit").click();
  await expect(dialog).toBeHidden();
  await expect(owner.getByText("Project limit saved")).toBeVisible();
  const overridden = project.locator(`[data-testid="project-limit-row"][data-model="${MODEL}"]`);
  await expect(overridden.getByTestId("project-limit-rpm")).toContainText("60");
  await expect(overridden.getByTestId("project-limit-rpm")).toContainText(`tier ${tierRpm.toLocaleString("en-US")}`);
  await expect(overridden.getByTestId("project-limit-tpm")).toContainText("tier default");
  expect((await chat(baseURL!, secret)).limit).toBe("60");

  // The key's own RPM, below the project's: the API reports the key's limit.
  const keyRow = owner.locator('[data-testid="key-limit-row"][data-key-name="batch-jobs"]');
  await expect(keyRow.getByTestId("key-limit-rpm")).toHaveText("None");
  let setKeyRequest: Request | undefined;
  owner.on("request", (r) => {
    if (r.method() === "POST" && r.headers()["next-action"] && r.postData()?.includes("keyId")) setKeyRequest ??= r;
  });
  await keyRow.getByTestId("edit-key-limits-button").click();
  const keyDialog = owner.getByTestId("key-limits-dialog");
  await keyDialog.getByTestId("key-limit-rpm-input").fill("0");
  await keyDialog.getByTestId("key-limits-submit").click();
  await expect(keyDialog.getByText("Enter at least 1, or leave blank for no limit")).toBeVisible();
  // Above the project's limit for every model: accepted, but the dialog says it does nothing.
  await keyDialog.getByTestId("key-limit-rpm-input").fill("1000");
  await expect(keyDialog.getByTestId("key-limit-no-effect")).toBeVisible();
  await owner.screenshot({ path: shotPath("limits-key-dialog") });
  await keyDialog.getByTestId("key-limit-rpm-input").fill("5");
  await expect(keyDialog.getByTestId("key-limit-no-effect")).toHaveCount(0);
  await keyDialog.getByTestId("key-limits-submit").click();
  await expect(keyDialog).toBeHidden();
  await expect(owner.getByText("Key limits saved")).toBeVisible();
  await expect(keyRow.getByTestId("key-limit-rpm")).toHaveText("5");
  await expect(keyRow.getByTestId("key-limit-tpm")).toHaveText("None");
  const limited = await chat(baseURL!, secret);
  expect(limited.status).toBe(200);
  expect(limited.limit).toBe("5");
  expect(setKeyRequest).toBeDefined();

  // Screenshots: light, dark, phone.
  await owner.setViewportSize({ width: 1280, height: 900 });
  await owner.reload(); // without the toasts
  await expect(owner.getByTestId("current-tier")).toBeVisible();
  await shot(owner, "limits-owner-light");
  await owner.emulateMedia({ colorScheme: "dark" });
  await owner.reload();
  await expect(owner.getByTestId("current-tier")).toBeVisible();
  await shot(owner, "limits-owner-dark");
  await owner.emulateMedia({ colorScheme: "light" });
  await owner.setViewportSize({ width: 390, height: 844 });
  await owner.reload();
  await expect(owner.getByTestId("current-tier")).toBeVisible();
  // Wide tables scroll inside themselves: the page itself never scrolls sideways.
  expect(await owner.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await shot(owner, "limits-phone");
  await owner.getByTestId("key-limits-table").scrollIntoViewIfNeeded();
  await owner.screenshot({ path: shotPath("limits-phone-keys") });
  await owner.setViewportSize({ width: 1280, height: 900 });

  // Invite a reader who is a member (not an owner) of the project.
  await owner.getByTestId("nav-org-members").click();
  await owner.waitForURL(/\/members$/);
  const link = await inviteReader(owner, uniqueEmail("limits-reader"), { projectMember: true });
  const reader = await acceptAsNewUser(browser, link, "Rudi Reader");
  await reader.waitForURL(new RegExp(`/projects/${projectId}/`));

  await reader.getByTestId("nav-limits").click();
  await reader.waitForURL(new RegExp(`/orgs/${orgId}/limits$`));
  await expect(reader.getByTestId("current-tier")).toHaveText("Tier 1");
  await expect(reader.getByTestId("tier-requirements-table")).toBeVisible();
  await expect(reader.locator(`[data-testid="org-tier-limit-row"][data-model="${MODEL}"]`)).toBeVisible();
  const readerProject = reader.getByTestId("project-limits");
  await expect(readerProject.locator(`[data-testid="project-limit-row"][data-model="${MODEL}"]`).getByTestId("project-limit-rpm")).toContainText("60");
  await expect(reader.locator('[data-testid="key-limit-row"][data-key-name="batch-jobs"]').getByTestId("key-limit-rpm")).toHaveText("5");
  // No controls at all: no buttons or forms in the page's sections.
  for (const id of ["add-override-button", "edit-override-button", "remove-override-button", "set-override-button", "edit-key-limits-button", "clear-key-limits-button"]) {
    await expect(reader.getByTestId(id)).toHaveCount(0);
  }
  await expect(reader.locator("main section form")).toHaveCount(0);
  await expect(reader.locator("main section button")).toHaveCount(0);
  await shot(reader, "limits-reader");

  // A forged key-limit change with the reader's session is refused by the server.
  const forged = await reader.context().request.post(setKeyRequest!.url(), {
    headers: {
      "next-action": setKeyRequest!.headers()["next-action"],
      "content-type": setKeyRequest!.headers()["content-type"],
      accept: "text/x-component",
    },
    data: setKeyRequest!.postDataBuffer()!,
  });
  expect(forged.status()).toBeLessThan(500);
  expect(await forged.text()).toContain("Only project owners can do that.");

  // The owner clears the key's limits and removes the override (each confirmed first).
  await owner.goto(`/orgs/${orgId}/limits`);
  await keyRow.getByTestId("clear-key-limits-button").click();
  await expect(owner.getByRole("alertdialog")).toContainText("batch-jobs");
  await owner.getByTestId("confirm-clear-key-limits").click();
  await expect(keyRow.getByTestId("key-limit-rpm")).toHaveText("None");
  expect((await chat(baseURL!, secret)).limit).toBe("60");
  await overridden.getByTestId("remove-override-button").click();
  await expect(owner.getByRole("alertdialog")).toContainText(MODEL);
  await shot(owner, "limits-remove-confirm", { fullPage: false });
  await owner.getByTestId("confirm-remove-override").click();
  await expect(project.getByTestId("project-limits-summary")).toContainText("No overrides");
  expect((await chat(baseURL!, secret)).limit).toBe(String(tierRpm));

  await ownerContext.close();
  await reader.context().close();
});

test("an administrator edits tier requirements, with errors shown inline", async ({ page }) => {
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.waitForURL(/\/projects\/[^/]+\/api-keys/);
  await page.goto("/admin/limits");
  await expect(page.getByRole("heading", { name: "Tier requirements" })).toBeVisible();
  const row = (tier: number) => page.locator(`[data-testid="tier-requirement-admin-row"][data-tier="${tier}"]`);
  await expect(page.getByTestId("tier-requirement-admin-row")).toHaveCount(4);
  const paid3 = await row(3).getByTestId("tier-requirement-paid").inputValue();
  const days3 = await row(3).getByTestId("tier-requirement-days").inputValue();
  const paid2 = Number(await row(2).getByTestId("tier-requirement-paid").inputValue());

  // Less than tier 2 requires is refused, and what was typed stays.
  await row(3).getByTestId("tier-requirement-paid").fill(String(Math.max(0, paid2 - 1)));
  await row(3).getByTestId("save-tier-requirement-button").click();
  await expect(row(3).getByText(/Tier 2 already requires \$/)).toBeVisible();
  await expect(row(3).getByTestId("tier-requirement-paid")).toHaveValue(String(Math.max(0, paid2 - 1)));
  const section = page.locator('section[aria-labelledby="tier-requirements-heading"]');
  await section.screenshot({ path: shotPath("limits-admin-requirements-order") });
  await row(3).getByTestId("tier-requirement-days").fill("soon");
  await row(3).getByTestId("save-tier-requirement-button").click();
  await expect(row(3).getByText(/whole number of days/)).toBeVisible();
  await section.screenshot({ path: shotPath("limits-admin-requirements") });
  await page.screenshot({ path: shotPath("limits-admin-page"), fullPage: true });

  // A valid change is saved and shown after a reload; then put back.
  const raised = (Number(paid3) + 5).toFixed(2);
  await row(3).getByTestId("tier-requirement-paid").fill(raised);
  await row(3).getByTestId("tier-requirement-days").fill(days3);
  await row(3).getByTestId("save-tier-requirement-button").click();
  await expect(page.getByText("Tier 3 requirements saved")).toBeVisible();
  await page.reload();
  await expect(row(3).getByTestId("tier-requirement-paid")).toHaveValue(raised);
  await row(3).getByTestId("tier-requirement-paid").fill(paid3);
  await row(3).getByTestId("save-tier-requirement-button").click();
  await expect(row(3).getByTestId("tier-requirement-paid")).toHaveValue(paid3);
});
