import { expect, test, type Page } from "@playwright/test";
import { parseCsv } from "../lib/usage/csv";
import { E2E_API_KEY, shot, signIn } from "./support";

// The organization's Usage page reads the rollups the API writes: calls made with a key show
// up in its totals, table and charts, and the CSV export has the same rows as the table.

const MODEL = "stories260K";

async function chat(page: Page, n: number) {
  for (let i = 0; i < n; i++) {
    const res = await page.request.post("/v1/chat/completions", {
      headers: { authorization: `Bearer ${E2E_API_KEY}` },
      data: { model: MODEL, messages: [{ role: "user", content: `Usage ${i}` }], max_tokens: 8 },
    });
    expect(res.status()).toBe(200);
  }
}

const count = async (page: Page, testId: string) => Number((await page.getByTestId(testId).innerText()).replace(/[^0-9]/g, ""));

test("API calls appear on the Usage page: totals, per-model table, charts and CSV", async ({ page }) => {
  await signIn(page, "e2e-admin@example.com", "e2e-admin-password-1");
  await page.waitForURL(/\/projects\//);
  await page.getByTestId("nav-usage").click();
  await page.waitForURL(/\/orgs\/[^/]+\/usage/);
  const usageUrl = page.url().split("?")[0];

  await page.goto(`${usageUrl}?range=1d&group=model`);
  const before = (await page.getByTestId("usage-empty").count()) ? 0 : await count(page, "usage-total-requests");
  await chat(page, 3);
  // Usage is written in batches about once a second.
  await expect
    .poll(async () => {
      await page.goto(`${usageUrl}?range=1d&group=model`);
      return (await page.getByTestId("usage-empty").count()) ? 0 : await count(page, "usage-total-requests");
    }, { timeout: 15_000 })
    .toBe(before + 3);

  const row = page.locator(`[data-testid="usage-breakdown-row"][data-group="${MODEL}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText(MODEL);
  for (const id of ["usage-chart-cost", "usage-chart-tokens", "usage-chart-requests", "usage-chart-errors"]) {
    await expect(page.getByTestId(id).locator("svg").first()).toBeVisible();
  }
  await shot(page, "usage-dashboard");

  // The export has exactly the table's rows (a header more), and the model's line has the
  // table's figures. Other specs call the API on the same server meanwhile (some with model
  // names holding line breaks, which the CSV quotes), so the CSV is parsed, and the page and the
  // export are taken again until both saw the same data.
  let csvRows: string[][] = [];
  await expect
    .poll(async () => {
      await page.goto(`${usageUrl}?range=1d&group=model`);
      const rows = await page.getByTestId("usage-breakdown-row").count();
      const tableRequests = await row.locator("td").nth(1).innerText();
      const csv = await page.request.get(`${usageUrl}/export?range=1d&group=model`);
      expect(csv.status()).toBe(200);
      expect(csv.headers()["content-type"]).toMatch(/text\/csv/);
      csvRows = parseCsv(await csv.text());
      const modelLine = csvRows.find((cells) => cells[2] === MODEL);
      return { extraLines: csvRows.length - rows, sameRequests: modelLine?.[3] === tableRequests.replace(/[^0-9]/g, "") };
    }, { timeout: 30_000 })
    .toEqual({ extraLines: 1, sameRequests: true });
  expect(csvRows[0].slice(0, 4)).toEqual(["group", "detail", "group_id", "requests"]);
});
