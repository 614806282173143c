import { expect, test } from "@playwright/test";
import { shot, signUp, uniqueEmail } from "./support";

// Organization and project administration as an owner: projects, service accounts and their
// keys, renaming, archiving, the last-owner rules and the audit log that records it all.

test("create a project, give a service account a key, delete the account, archive the project", async ({ page }) => {
  await signUp(page, uniqueEmail("admin"), "Ada Admin");

  // Create a project from the organization's project list.
  await page.getByTestId("nav-projects").click();
  await page.getByTestId("create-project-button").click();
  await page.getByTestId("create-project-submit").click();
  await expect(page.getByRole("dialog").getByText(/enter a (project )?name/i)).toBeVisible();
  await page.getByTestId("project-name-input").fill("Billing service");
  await expect(page.getByRole("dialog").getByText(/enter a (project )?name/i)).toHaveCount(0);
  await page.getByTestId("create-project-submit").click();
  await page.waitForURL(/\/projects\/[^/]+\/api-keys/);
  await expect(page.getByTestId("project-switcher")).toContainText("Billing service");
  const projectId = page.url().match(/\/projects\/([^/]+)\//)![1];

  // A service account, then a key owned by it.
  await page.getByTestId("nav-service-accounts").click();
  await expect(page.getByTestId("service-accounts-empty")).toBeVisible();
  await page.getByTestId("create-service-account-button").click();
  await page.getByTestId("service-account-name-input").fill("ci-bot");
  await page.getByTestId("create-service-account-submit").click();
  await expect(page.getByTestId("service-account-created")).toBeVisible();
  await page.getByTestId("create-key-for-service-account").click();
  await page.waitForURL(/\/api-keys\?owner=/);
  await expect(page.getByTestId("create-key-dialog")).toBeVisible();
  await page.getByTestId("key-name-input").fill("ci-bot-key");
  await page.getByTestId("create-key-submit").click();
  await expect(page.getByTestId("new-key-secret")).toHaveValue(/^sk-proj-/);
  await page.getByTestId("key-done-button").click();
  const saKey = page.locator('[data-testid="key-row"][data-key-name="ci-bot-key"]');
  await expect(saKey).toContainText("ci-bot");

  // Deleting the service account revokes its key.
  await page.getByTestId("nav-service-accounts").click();
  const saRow = page.locator('[data-testid="service-account-row"][data-service-account-name="ci-bot"]');
  await expect(saRow.getByTestId("service-account-active-keys")).toHaveText("1");
  await shot(page, "service-accounts-list");
  await saRow.getByTestId("delete-service-account-button").click();
  await expect(page.getByTestId("keys-to-revoke")).toContainText("1");
  await shot(page, "service-account-delete-confirm");
  await page.getByRole("alertdialog").getByRole("button", { name: /delete/i }).click();
  await expect(saRow).toHaveCount(0);
  await page.getByTestId("nav-api-keys").click();
  await page.waitForURL(/\/api-keys$/);
  await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
  await expect(saKey).toHaveCount(0);

  // Rename the project; a blank name is refused and the typed value kept.
  await page.getByTestId("nav-settings").click();
  const nameInput = page.getByTestId("project-name-input");
  await nameInput.fill("   ");
  await page.getByTestId("rename-project-submit").click();
  await expect(page.getByText(/enter a (project )?name/i)).toBeVisible();
  await expect(nameInput).toHaveValue("   ");
  await nameInput.fill("Billing API");
  await page.getByTestId("rename-project-submit").click();
  await expect(page.getByTestId("project-switcher")).toContainText("Billing API");

  // Archive (with confirmation): the console says so and no new keys can be made; then unarchive.
  await page.getByTestId("archive-project-button").click();
  await shot(page, "project-archive-confirm");
  await page.getByTestId("confirm-archive-button").click();
  await expect(page.getByTestId("archived-banner")).toBeVisible();
  await shot(page, "project-archived");
  await page.goto(`/projects/${projectId}/api-keys`);
  await expect(page.getByTestId("archived-banner")).toBeVisible();
  await expect(page.getByTestId("create-key-button")).toBeDisabled();
  await page.getByTestId("nav-settings").click();
  await page.getByTestId("unarchive-project-button").click();
  await expect(page.getByTestId("archived-banner")).toHaveCount(0);

  // Everything above is in the audit log, newest first, and the filter narrows it.
  await page.getByTestId("nav-audit-log").click();
  await page.waitForURL(/\/audit-log/);
  await expect(page.locator('[data-testid="audit-row"][data-action="project.unarchived"]')).toBeVisible();
  const actions = await page.getByTestId("audit-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-action")));
  for (const action of [
    "project.created",
    "service_account.created",
    "api_key.created",
    "service_account.deleted",
    "project.renamed",
    "project.archived",
    "project.unarchived",
  ]) {
    expect(actions, action).toContain(action);
  }
  expect(actions.indexOf("project.unarchived")).toBeLessThan(actions.indexOf("project.archived"));
  await shot(page, "audit-log");
  await page.getByTestId("audit-action-select").selectOption("project.archived");
  await page.getByTestId("audit-apply-button").click();
  await expect(page.getByTestId("audit-row")).toHaveCount(1);
  await expect(page.getByTestId("audit-row")).toHaveAttribute("data-action", "project.archived");
});

test("rename the organization; its last owner cannot leave or be demoted", async ({ page }) => {
  await signUp(page, uniqueEmail("solo"), "Sol Owner");
  await page.getByTestId("nav-general").click();
  const orgName = page.getByTestId("org-name-input");
  await orgName.fill("");
  await page.getByTestId("org-name-save").click();
  await expect(page.getByText(/enter a name/i)).toBeVisible();
  await orgName.fill("Acme Research");
  await page.getByTestId("org-name-save").click();
  await expect(page.getByTestId("org-switcher")).toContainText("Acme Research");
  await shot(page, "org-settings");

  await page.getByTestId("leave-org-button").click();
  await page.getByTestId("confirm-leave-button").click();
  await expect(page.getByTestId("leave-org-error")).toContainText(/last owner/i);
  await shot(page, "org-leave-last-owner");
  await page.keyboard.press("Escape");

  await page.getByTestId("nav-org-members").click();
  await page.getByTestId("member-role-select").selectOption("reader");
  await expect(page.getByText(/at least one owner/i).first()).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("member-role-select")).toHaveValue("owner");
});
