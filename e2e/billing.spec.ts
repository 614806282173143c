import OpenAI from "openai";
import { expect, test } from "@playwright/test";
import { shot, signIn, signUp, uniqueEmail, inviteReader, acceptAsNewUser } from "./support";

// Billing in the console: an administrator creates a redemption code, an organization owner
// redeems it and sees the balance grow by exactly its amount; a project's monthly hard cap set
// on the Billing page stops the API at once (429 insufficient_quota through the openai SDK) and
// raising it lets requests through again; the month's statement lists the usage; a reader sees
// billing without a single form.

const MODEL = "stories260K";
/** "$12.25" / "$0.000123" / "$1,250.50" → micro-dollars, exactly. */
function micros(text: string): bigint {
  const m = /(-?)\$([\d,]+)\.(\d{2,6})/.exec(text);
  if (!m) throw new Error(`not an amount: ${text}`);
  const v = BigInt(m[2].replace(/,/g, "")) * 1_000_000n + BigInt(m[3].padEnd(6, "0"));
  return m[1] ? -v : v;
}

/** Micro-dollars in cents as the console writes them ("$12.25"); only for whole-cent amounts. */
function usd(v: bigint): string {
  return `$${(v / 1_000_000n).toLocaleString("en-US")}.${((v % 1_000_000n) / 10_000n).toString().padStart(2, "0")}`;
}

function client(baseURL: string, apiKey: string) {
  return new OpenAI({ baseURL: `${baseURL}/v1`, apiKey, maxRetries: 0, timeout: 60_000 });
}

const chat = (openai: OpenAI) => openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Once upon a time" }], max_tokens: 8 });

test("codes, balance, budgets that stop the API, statements and read-only billing for readers", async ({ browser }, testInfo) => {
  test.setTimeout(240_000);
  const baseURL = testInfo.project.use.baseURL!;

  // ---- The administrator creates a two-use code and copies it from the dialog. ----
  const adminContext = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const admin = await adminContext.newPage();
  await signIn(admin, "e2e-admin@example.com", "e2e-admin-password-1");
  await admin.waitForURL(/\/projects\//);
  await admin.getByTestId("nav-admin-billing").click();
  await admin.waitForURL(/\/admin\/billing$/);
  await expect(admin.getByRole("heading", { name: "Billing", level: 1 })).toBeVisible();

  await admin.getByTestId("create-codes-button").click();
  await admin.getByTestId("create-codes-submit").click();
  await expect(admin.getByTestId("create-codes-dialog")).toContainText("Enter the credit each code gives");
  await admin.getByTestId("code-amount-input").fill("7.25");
  await admin.getByTestId("code-max-input").fill("2");
  await admin.getByTestId("code-note-input").fill("e2e billing");
  await admin.getByTestId("create-codes-submit").click();
  const codes = admin.getByTestId("created-codes");
  await expect(codes).toHaveValue(/^GH-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await admin.getByTestId("copy-codes-button").click();
  const code = await admin.evaluate(() => navigator.clipboard.readText());
  expect(code).toBe(await codes.inputValue());
  await shot(admin, "billing-codes-dialog");
  // The codes stay on screen until Done: Escape does not throw them away.
  await admin.keyboard.press("Escape");
  await expect(codes).toBeVisible();
  await admin.getByTestId("codes-done-button").click();
  const codeRow = admin.locator(`[data-testid="code-row"][data-hint="${code.slice(-4)}"]`);
  await expect(codeRow.getByTestId("code-uses")).toHaveText("0/2");

  // ---- An organization owner redeems it: the balance grows by exactly $7.25. ----
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  const ownerEmail = uniqueEmail("billing-owner");
  const { projectId } = await signUp(owner, ownerEmail, "Bill Owner");
  await owner.getByTestId("nav-general").click();
  await owner.waitForURL(/\/orgs\/[^/]+\/settings/);
  const orgId = owner.url().match(/\/orgs\/([^/]+)\//)![1];
  const billingUrl = `/orgs/${orgId}/billing`;

  await owner.goto(billingUrl);
  await expect(owner.getByRole("heading", { name: "Billing", level: 1 })).toBeVisible();
  const balance = owner.getByTestId("balance-available");
  const before = micros(await balance.innerText());
  await owner.getByTestId("redeem-code-input").fill(code.toLowerCase());
  await owner.getByTestId("redeem-code-submit").click();
  await expect(owner.getByText("$7.25 added to your credit balance.")).toBeVisible();
  await expect(balance).toHaveText(usd(before + 7_250_000n));
  await expect(owner.getByTestId("redeem-code-input")).toHaveValue("");
  const grant = owner.locator('[data-testid="ledger-row"][data-kind="grant"]').filter({ hasText: `Redeemed code …${code.slice(-4)}` });
  await expect(grant.getByTestId("ledger-amount")).toHaveText("+$7.25");

  // Redeeming the same code again is refused, inline, and changes nothing.
  await owner.getByTestId("redeem-code-input").fill(code);
  await owner.getByTestId("redeem-code-submit").click();
  await expect(owner.getByTestId("redeem-code-error")).toContainText("already redeemed");
  await expect(balance).toHaveText(usd(before + 7_250_000n));
  await admin.reload();
  await expect(codeRow.getByTestId("code-uses")).toHaveText("1/2");

  // ---- The administrator grants credit to that organization, after a confirmation. ----
  await admin.getByTestId("post-credit-amount").fill("1.5");
  await admin.getByTestId("post-credit-review").click();
  await expect(admin.getByTestId("post-credit-form")).toContainText("Choose an organization");
  await admin.getByTestId("org-picker-search").fill(ownerEmail);
  await expect(admin.getByTestId("org-picker-option")).toHaveCount(1);
  await admin.locator(`[data-testid="org-picker-option"][data-org-id="${orgId}"]`).click();
  await expect(admin.getByTestId("org-picker-selected")).toBeVisible();
  await admin.getByTestId("post-credit-description").fill("e2e goodwill");
  await admin.getByTestId("post-credit-review").click();
  await expect(admin.getByTestId("post-credit-confirm")).toContainText("Grant $1.50?");
  await admin.getByTestId("post-credit-confirm-button").click();
  await expect(admin.getByText(/^Granted \$1\.50 to /)).toBeVisible();
  await expect(admin.getByTestId("post-credit-confirm")).toHaveCount(0);
  await owner.reload();
  await expect(balance).toHaveText(usd(before + 8_750_000n));
  await shot(admin, "billing-admin");

  // ---- A key of the default project. ----
  await owner.goto(`/projects/${projectId}/api-keys`);
  await owner.getByTestId("create-key-button").click();
  await owner.getByTestId("key-name-input").fill("billing-key");
  await owner.getByTestId("create-key-submit").click();
  const apiKey = await owner.getByTestId("new-key-secret").inputValue();
  expect(apiKey).toMatch(/^sk-proj-/);
  await owner.getByTestId("key-done-button").click();
  const openai = client(baseURL, apiKey);
  await chat(openai); // the project works before any budget

  // ---- A $0.000001 project cap: the API refuses at once, and the page says so. ----
  await owner.goto(billingUrl);
  const projectRow = owner.locator(`[data-testid="budget-row"][data-project-id="${projectId}"]`);
  await projectRow.getByTestId("edit-budget-button").click();
  await owner.getByTestId("budget-cap-input").fill("abc");
  await owner.getByTestId("save-budget-button").click();
  await expect(owner.getByTestId("budget-dialog")).toContainText("Enter an amount in dollars");
  await owner.getByTestId("budget-cap-input").fill("0.000001");
  await owner.getByTestId("save-budget-button").click();
  await expect(owner.getByText("Budget saved")).toBeVisible();
  await expect(projectRow).toHaveAttribute("data-state", "reached");
  await expect(projectRow.getByTestId("budget-cap")).toHaveText("$0.000001");
  const reached = owner.locator(`[data-testid="budget-reached-row"][data-project-id="${projectId}"]`);
  await expect(reached).toContainText("Budget reached");
  await expect(reached).toContainText("the API refuses requests for this project until next month or until the cap is raised");

  const refused = await chat(openai).then(
    () => null,
    (e: unknown) => e,
  );
  expect(refused).toBeInstanceOf(OpenAI.APIError);
  const apiError = refused as InstanceType<typeof OpenAI.APIError>;
  expect(apiError.status).toBe(429);
  expect(apiError.code).toBe("insufficient_quota");
  expect(apiError.message).toMatch(/project past its monthly budget of \$0\.000001/);

  await owner.reload();
  await expect(owner.getByTestId("budget-reached")).toBeVisible();
  await shot(owner, "billing-page-light");
  await owner.emulateMedia({ colorScheme: "dark" });
  await owner.reload();
  await expect(owner.locator("html")).toHaveClass(/dark/);
  await shot(owner, "billing-page-dark");
  await owner.emulateMedia({ colorScheme: "light" });

  // Raising the cap lets requests through again, on the next request.
  await projectRow.getByTestId("edit-budget-button").click();
  await owner.getByTestId("budget-cap-input").fill("1");
  await owner.getByTestId("budget-alert-input").fill("0.50");
  await owner.getByTestId("save-budget-button").click();
  await expect(owner.getByText("Budget saved")).toBeVisible();
  await expect(projectRow).toHaveAttribute("data-state", "ok");
  await expect(owner.getByTestId("budget-reached")).toHaveCount(0);
  const ok = await chat(openai);
  expect(ok.choices[0].message.role).toBe("assistant");

  // Removing it works the same way.
  await projectRow.getByTestId("edit-budget-button").click();
  await owner.getByTestId("remove-budget-button").click();
  await expect(owner.getByText("Budget removed")).toBeVisible();
  await expect(projectRow).toHaveAttribute("data-state", "none");
  await chat(openai);

  // ---- Phone width: nothing wider than the screen (tables scroll inside their box). ----
  await owner.setViewportSize({ width: 390, height: 844 });
  await owner.reload();
  await expect(balance).toBeVisible();
  expect(await owner.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await shot(owner, "billing-page-phone");
  await owner.setViewportSize({ width: 1280, height: 900 });

  // ---- This month's statement lists the usage once it is posted to the ledger. ----
  const month = new Date().toISOString().slice(0, 7);
  await owner.goto(`${billingUrl}/statements`);
  await owner.locator(`[data-testid="statement-month-link"][data-month="${month}"]`).click();
  await owner.waitForURL(new RegExp(`/statements/${month}$`));
  const usageRow = owner.locator(`[data-testid="statement-usage-row"][data-project-id="${projectId}"][data-model="${MODEL}"]`);
  await expect
    .poll(
      async () => {
        await owner.reload();
        return usageRow.count();
      },
      { timeout: 60_000, intervals: [2_000] },
    )
    .toBe(1);
  await expect(usageRow.locator("td").nth(1)).toHaveText(/^[1-9]\d*$/); // requests
  await expect(owner.getByTestId("statement-in-progress")).toBeVisible();
  await expect(owner.getByTestId("print-statement")).toBeVisible();
  await expect(owner.locator('[data-testid="statement-credit-row"][data-kind="grant"]')).toHaveCount(3); // sign-up credit, the code, the admin's grant
  // Opening + credits − usage = closing, to the micro-dollar.
  const opening = micros(await owner.getByTestId("statement-opening").innerText());
  const credits = micros(await owner.getByTestId("statement-credits-total").innerText());
  const usage = micros(await owner.getByTestId("statement-usage-total").innerText());
  expect(micros(await owner.getByTestId("statement-closing").innerText())).toBe(opening + credits + usage);
  await shot(owner, "billing-statement");
  // Printed, the statement is all there is: no sidebar, header or buttons.
  await owner.emulateMedia({ media: "print" });
  await expect(owner.getByTestId("sidebar")).toBeHidden();
  await expect(owner.getByTestId("console-header")).toBeHidden();
  await expect(owner.getByTestId("print-statement")).toBeHidden();
  await expect(owner.getByTestId("statement")).toBeVisible();
  await shot(owner, "billing-statement-print");
  await owner.emulateMedia({ media: "screen" });

  // A bad month in the address is a clear message, never a 500.
  for (const bad of ["2026-13", "not-a-month", "2999-01"]) {
    const res = await owner.goto(`${billingUrl}/statements/${bad}`);
    expect(res?.status(), bad).toBeLessThan(500);
    await expect(owner.getByTestId("statement-bad-month")).toBeVisible();
  }
  await shot(owner, "billing-statement-bad-month");

  // The usage is on the ledger too, under its filter.
  await owner.goto(billingUrl);
  await owner.getByTestId("ledger-filter-usage").click();
  await owner.waitForURL(/kind=usage/);
  await expect(owner.locator('[data-testid="ledger-row"][data-kind="usage"]').first()).toContainText(MODEL);
  await expect(owner.locator('[data-testid="ledger-row"]:not([data-kind="usage"])')).toHaveCount(0);

  // ---- Pricing, from the billing page. ----
  await owner.goto(billingUrl);
  await owner.getByTestId("pricing-link").click();
  await owner.waitForURL(/\/pricing$/);
  const priced = owner.getByTestId("pricing-table-chat").locator(`[data-testid="pricing-row"][data-model="${MODEL}"]`);
  // Other specs may change the model's prices on the shared server: check the row's figures
  // agree with each other (per 1K = per 1M / 1000, exactly) rather than fixed values.
  const pairs = [...(await priced.innerText()).matchAll(/\$([\d,.]+) \/ 1M\s*\$([\d,.]+) \/ 1K/g)];
  expect(pairs.length).toBeGreaterThanOrEqual(2); // input and output at least
  // The training price (fine-tuning), or that the model cannot be fine-tuned.
  await expect(priced.getByTestId("training-price")).toHaveText(/\$[\d,.]+ \/ 1M|Not offered/);
  const scaled = (dollars: string, scale: number) => Math.round(Number(dollars.replace(/,/g, "")) * scale);
  for (const [, perMillion, perThousand] of pairs) expect(scaled(perThousand, 1e9)).toBe(scaled(perMillion, 1e6));
  await shot(owner, "billing-pricing");

  // ---- A reader sees billing, without a single form. ----
  await owner.goto(`/orgs/${orgId}/members`);
  const link = await inviteReader(owner, uniqueEmail("billing-reader"));
  const reader = await acceptAsNewUser(browser, link, "Rhea Reader");
  await reader.goto(billingUrl);
  await expect(reader.getByTestId("balance-available")).toHaveText(/^\$\d/);
  await expect(reader.getByTestId("budgets-table")).toBeVisible();
  await expect(reader.getByTestId("ledger-table")).toBeVisible();
  await expect(reader.locator("main form")).toHaveCount(0);
  await expect(reader.locator("main input, main textarea, main select")).toHaveCount(0);
  await expect(reader.getByTestId("edit-budget-button")).toHaveCount(0);
  await expect(reader.getByTestId("no-payment-provider")).toBeVisible();
  await shot(reader, "billing-page-reader");

  await adminContext.close();
  await ownerContext.close();
  await reader.context().close();
});
