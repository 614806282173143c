import { execFile } from "node:child_process";
import { promisify } from "node:util";
import Ajv from "ajv";
import { expect, test, type Page, type Request } from "@playwright/test";
import { E2E_API_KEY, shot, signIn, signUp, uniqueEmail } from "./support";

// The console playground, driven in the browser against the tiny local model. Every run goes
// through the same pipeline as API calls, so what is checked here is what the API answered.

const MODEL = "stories260K";
const run = promisify(execFile);

test.describe.configure({ mode: "serial" });

let projectId = "";
let email = "";

async function openPlayground(page: Page, query = "") {
  await page.goto(`/projects/${projectId}/playground${query}`);
  await expect(page.getByTestId("playground")).toBeVisible();
  await expect(page.getByTestId("model-select")).toHaveValue(MODEL);
}

async function setMaxTokens(page: Page, n: number) {
  await page.getByTestId("param-max-tokens").fill(String(n));
}

async function setSeed(page: Page, n: number) {
  await page.getByTestId("param-seed").fill(String(n));
}

/** The request bodies the page sends to the playground endpoint, in order. */
function captureRuns(page: Page) {
  const bodies: Record<string, unknown>[] = [];
  page.on("request", (r: Request) => {
    if (r.method() === "POST" && r.url().includes("/playground/chat/completions")) bodies.push(r.postDataJSON());
  });
  return bodies;
}

async function metric(page: Page, series: string): Promise<number> {
  const text = await (await page.request.get("/metrics")).text();
  const line = text.split("\n").find((l) => l.startsWith(series + " "));
  return line ? Number(line.split(" ")[1]) : 0;
}

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  email = uniqueEmail("playground");
  ({ projectId } = await signUp(page, email, "Playground User"));
  await page.close();
});

// Each test has its own browser context: sign in with the account made above.
test.beforeEach(async ({ page }) => {
  await signIn(page, email);
  await page.waitForURL(/\/projects\//);
});

test("run a prompt: tokens stream in, then usage, cost, latency and the request id show", async ({ page }) => {
  await openPlayground(page);
  await expect(page.getByTestId("playground-empty")).toBeVisible();
  await shot(page, "playground-empty");
  await page.getByTestId("system-message").fill("You tell short stories.");
  await setMaxTokens(page, 400);
  await setSeed(page, 7);
  await page.getByTestId("composer-input").fill("Once upon a time");
  const bodies = captureRuns(page);

  // Watch the answer grow while it streams: every text length the page shows mid-stream.
  await page.evaluate(() => {
    const seen = new Set<number>();
    (window as unknown as { __lengths: Set<number> }).__lengths = seen;
    new MutationObserver(() => {
      const outputs = document.querySelectorAll<HTMLElement>('[data-testid="assistant-output"]');
      const last = outputs[outputs.length - 1];
      if (last?.dataset.status === "streaming" && last.innerText.trim()) seen.add(last.innerText.trim().length);
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  const output = page.getByTestId("assistant-output").last();
  await page.keyboard.press("Control+Enter");
  await expect(output).toHaveAttribute("data-status", "done");
  const lengths = await page.evaluate(() => (window as unknown as { __lengths: Set<number> }).__lengths.size);
  expect(lengths, "the answer was seen at several lengths while streaming").toBeGreaterThan(1);
  expect((await output.innerText()).trim().length).toBeGreaterThan(0);

  const stats = page.getByTestId("stats-line").last();
  await expect(stats.getByTestId("stat-prompt-tokens")).toContainText(/\d/);
  await expect(stats.getByTestId("stat-completion-tokens")).toContainText(/\d/);
  await expect(stats.getByTestId("stat-finish-reason")).toContainText(/stop|length/);
  await expect(stats.getByTestId("stat-cost")).toContainText("$");
  await expect(stats.getByTestId("request-id")).toContainText(/req_[0-9a-f]{32}/);

  // What was sent is the API's own request shape.
  expect(bodies).toHaveLength(1);
  expect(bodies[0]).toMatchObject({
    model: MODEL, stream: true, stream_options: { include_usage: true }, max_completion_tokens: 400, seed: 7,
    messages: [{ role: "system", content: "You tell short stories." }, { role: "user", content: "Once upon a time" }],
  });
  await shot(page, "playground-answer");
});

test("stop mid-stream keeps the partial answer, and the cancelled run is metered", async ({ page }) => {
  await openPlayground(page);
  await setMaxTokens(page, 1900);
  await page.getByTestId("composer-input").fill("Once upon a time there was a little dog who");
  const before = await metric(page, `gatehouse_tokens_total{model="${MODEL}",kind="completion"}`);
  await page.getByTestId("run-button").click();
  const output = page.getByTestId("assistant-output").last();
  await expect(output).not.toHaveText("", { timeout: 15_000 });
  await page.getByTestId("stop-button").click();
  await expect(output).toHaveAttribute("data-status", "stopped");
  await expect(page.getByTestId("stopped-badge")).toBeVisible();
  const partial = (await output.innerText()).trim();
  expect(partial.length).toBeGreaterThan(0);
  await shot(page, "playground-stopped");

  // The server metered the tokens generated before the stop (less than the maximum asked).
  await expect.poll(async () => (await metric(page, `gatehouse_tokens_total{model="${MODEL}",kind="completion"}`)) - before, { timeout: 10_000 }).toBeGreaterThan(0);
  expect((await metric(page, `gatehouse_tokens_total{model="${MODEL}",kind="completion"}`)) - before).toBeLessThan(1900);
});

test("edit an earlier message and re-run from it: later messages are replaced", async ({ page }) => {
  await openPlayground(page);
  await setMaxTokens(page, 24);
  await setSeed(page, 1);
  await page.getByTestId("param-temperature-input").fill("0");
  await page.getByTestId("composer-input").fill("The cat sat");
  const bodies = captureRuns(page);
  await page.getByTestId("run-button").click();
  await expect(page.getByTestId("assistant-output").last()).toHaveAttribute("data-status", "done");
  await page.getByTestId("composer-input").fill("And then");
  await page.getByTestId("run-button").click();
  await expect(page.getByTestId("message")).toHaveCount(4);
  await expect(page.getByTestId("assistant-output").last()).toHaveAttribute("data-status", "done");

  const firstUser = page.getByTestId("message-editor").and(page.locator("[data-role=user]")).first();
  await firstUser.fill("A big red ball");
  await page.getByTestId("message").first().getByTestId("rerun-message").click();
  await expect(page.getByTestId("message")).toHaveCount(2);
  await expect(page.getByTestId("assistant-output").last()).toHaveAttribute("data-status", "done");
  expect(bodies).toHaveLength(3);
  expect(bodies[2].messages).toEqual([{ role: "user", content: "A big red ball" }]);
  await shot(page, "playground-rerun");
});

test("JSON schema mode: the answer is JSON that validates against the schema", async ({ page }) => {
  await openPlayground(page);
  await page.getByTestId("response-format-json_schema").click();
  const editor = page.getByTestId("response-schema-editor");
  // A broken schema disables Run with the reason.
  await editor.fill(JSON.stringify({ name: "answer", schema: { type: "object", properties: { n: { type: "integr" } } } }));
  await expect(page.getByTestId("response-schema-editor-error")).toContainText("not a valid JSON schema");
  const schema = {
    type: "object",
    properties: { title: { type: "string", maxLength: 40 }, stars: { type: "integer", enum: [1, 2, 3, 4, 5] }, tags: { type: "array", items: { type: "string", maxLength: 12 }, maxItems: 3 } },
    required: ["title", "stars", "tags"],
    additionalProperties: false,
  };
  await editor.fill(JSON.stringify({ name: "review", strict: true, schema }, null, 2));
  await expect(page.getByTestId("response-schema-editor-valid")).toBeVisible();
  await setMaxTokens(page, 300);
  await page.getByTestId("composer-input").fill("Review the story about the dog.");
  await page.getByTestId("run-button").click();
  const output = page.getByTestId("assistant-output").last();
  await expect(output).toHaveAttribute("data-status", "done", { timeout: 30_000 });
  await page.getByTestId("render-raw").click();
  const text = (await output.innerText()).trim();
  const value = JSON.parse(text);
  const validate = new Ajv().compile(schema);
  expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
  await shot(page, "playground-json-schema");
});

test("tool calls: the call shows, the user supplies the output, the run continues with the API's tool-call messages", async ({ page }) => {
  await openPlayground(page);
  await page.getByTestId("add-function").click();
  const dialog = page.getByTestId("function-dialog");
  await dialog.getByTestId("function-parameters-editor-examples").click();
  await page.getByRole("menuitem", { name: "get_weather" }).click();
  await expect(dialog.getByTestId("function-name-input")).toHaveValue("get_weather");
  // Bounded strings: the tiny model would otherwise write a city name until max tokens cut it.
  await dialog.getByTestId("function-parameters-editor").fill(
    JSON.stringify({ type: "object", properties: { city: { type: "string", maxLength: 24 }, unit: { type: "string", enum: ["celsius", "fahrenheit"] } }, required: ["city", "unit"], additionalProperties: false }),
  );
  await dialog.getByTestId("function-save").click();
  await expect(page.getByTestId("function-row")).toHaveCount(1);
  await page.getByTestId("tool-choice-select").selectOption("required");
  // One call: with parallel calls the tiny model may keep adding calls until max tokens cuts one off.
  const parallel = page.getByTestId("parallel-tool-calls-switch");
  if ((await parallel.getAttribute("aria-checked")) === "true") await parallel.click();
  await expect(parallel).toHaveAttribute("aria-checked", "false");
  await setMaxTokens(page, 400);
  const bodies = captureRuns(page);
  await page.getByTestId("composer-input").fill("What is the weather in Paris?");
  await page.getByTestId("run-button").click();

  const call = page.getByTestId("tool-call").first();
  await expect(call).toBeVisible({ timeout: 30_000 });
  await expect(call.getByTestId("tool-call-name")).toHaveText("get_weather");
  // The arguments stream in: read them once they are whole.
  let args: unknown = null;
  await expect
    .poll(async () => {
      try {
        args = JSON.parse(await call.getByTestId("tool-call-arguments").innerText());
        return true;
      } catch {
        return false;
      }
    }, { timeout: 30_000 })
    .toBe(true);
  expect(typeof args).toBe("object");
  await shot(page, "playground-tool-call");

  await page.getByTestId("tool-choice-select").selectOption("none");
  for (const input of await page.getByTestId("tool-output-input").all()) await input.fill('{"temperature_c": 18, "sky": "cloudy"}');
  await page.getByTestId("submit-tool-outputs").click();
  await expect(page.getByTestId("assistant-output").last()).toHaveAttribute("data-status", "done", { timeout: 30_000 });

  expect(bodies).toHaveLength(2);
  const [first, second] = bodies as { messages: Record<string, unknown>[]; tools: unknown[]; tool_choice: unknown }[];
  expect(first.tool_choice).toBe("required");
  expect(first.tools).toEqual([expect.objectContaining({ type: "function", function: expect.objectContaining({ name: "get_weather" }) })]);
  const assistant = second.messages.at(-1 - (second.messages.filter((m) => m.role === "tool").length)) as { role: string; tool_calls: { id: string; type: string; function: { name: string; arguments: string } }[] };
  expect(assistant.role).toBe("assistant");
  expect(assistant.tool_calls.length).toBeGreaterThan(0);
  const tools = second.messages.filter((m) => m.role === "tool");
  expect(tools.map((m) => m.tool_call_id)).toEqual(assistant.tool_calls.map((c) => c.id));
  for (const c of assistant.tool_calls) {
    expect(c.type).toBe("function");
    expect(c.function.name).toBe("get_weather");
    expect(() => JSON.parse(c.function.arguments)).not.toThrow();
  }
  for (const m of tools) expect(m.content).toBe('{"temperature_c": 18, "sky": "cloudy"}');
  await shot(page, "playground-tool-continued");
});

test("presets: save the setup, open it by link in a fresh page", async ({ page }) => {
  await openPlayground(page);
  await page.getByTestId("system-message").fill("Preset system message");
  await setMaxTokens(page, 77);
  await page.getByTestId("composer-input").fill("Hello from a preset");
  await page.getByTestId("add-message").click();
  await page.getByTestId("presets-menu").click();
  await page.getByTestId("preset-save-as").click();
  await page.getByTestId("preset-name-input").fill("Story starter");
  await page.getByTestId("preset-name-submit").click();
  await expect(page.getByTestId("current-preset-name")).toHaveText("Story starter");
  await expect(page).toHaveURL(/\?preset=/);
  const link = page.url();
  await shot(page, "playground-preset-saved");

  const fresh = await page.context().newPage();
  await fresh.goto(link);
  await expect(fresh.getByTestId("system-message")).toHaveValue("Preset system message");
  await expect(fresh.getByTestId("param-max-tokens")).toHaveValue("77");
  await expect(fresh.getByTestId("message-editor").first()).toHaveValue("Hello from a preset");
  await expect(fresh.getByTestId("current-preset-name")).toHaveText("Story starter");
  // And from the list, in the same page after a clear.
  await page.getByTestId("clear-conversation").click();
  await page.getByTestId("presets-menu").click();
  await page.getByTestId("preset-item").filter({ hasText: "Story starter" }).click();
  await expect(page.getByTestId("message-editor").first()).toHaveValue("Hello from a preset");
});

test("compare: two settings side by side stream in parallel, each with its own stats", async ({ page }) => {
  await openPlayground(page);
  await setMaxTokens(page, 60);
  await page.getByTestId("compare-toggle").click();
  const columns = page.getByTestId("compare-column");
  await expect(columns).toHaveCount(2);
  // The second column: another temperature and seed.
  await columns.nth(1).getByTestId("column-parameters").click();
  const dialog = page.getByTestId("column-parameters-dialog");
  await dialog.getByTestId("param-temperature-input").fill("1.5");
  await dialog.getByTestId("param-seed").fill("99");
  await page.keyboard.press("Escape");
  const bodies = captureRuns(page);
  await page.getByTestId("composer-input").fill("Tell me about the moon");
  await page.getByTestId("run-button").click();
  for (const i of [0, 1]) {
    await expect(columns.nth(i).getByTestId("assistant-output").last()).toHaveAttribute("data-status", "done", { timeout: 30_000 });
    await expect(columns.nth(i).getByTestId("stat-completion-tokens")).toContainText(/\d/);
    await expect(columns.nth(i).getByTestId("request-id")).toContainText(/req_/);
  }
  expect(bodies).toHaveLength(2);
  expect(bodies.map((b) => b.temperature).sort()).toEqual([1, 1.5]);
  const ids = await columns.getByTestId("request-id").allInnerTexts();
  expect(new Set(ids).size).toBe(2);
  await shot(page, "playground-compare");
});

test("view code: the generated curl, run against the server with a key, returns 200 and the page's shape", async ({ page, baseURL }) => {
  await openPlayground(page);
  await page.getByTestId("system-message").fill("It's a 'quoted' system message");
  await setMaxTokens(page, 20);
  await page.getByTestId("composer-input").fill("Say \"hi\" & it's fine");
  await page.getByTestId("add-message").click();
  await page.getByTestId("view-code").click();
  const dialog = page.getByTestId("view-code-dialog");
  await expect(dialog).toBeVisible();
  await shot(page, "playground-view-code");
  for (const lang of ["node", "python"]) {
    await dialog.getByTestId(`view-code-tab-${lang}`).click();
    const code = await dialog.getByTestId(`view-code-${lang}`).innerText();
    expect(code).not.toContain(E2E_API_KEY);
    expect(code).toMatch(/OPENAI_API_KEY/);
  }
  await dialog.getByTestId("view-code-tab-curl").click();
  const curl = await dialog.getByTestId("view-code-curl").innerText();
  expect(curl).toContain("$OPENAI_API_KEY");
  expect(curl).toContain(`${baseURL}/v1/chat/completions`);
  const { stdout } = await run("bash", ["-c", curl.replace(/^curl /, "curl -sS -w '\\n%{http_code}' ")], { env: { ...process.env, OPENAI_API_KEY: E2E_API_KEY } });
  const lines = stdout.trim().split("\n");
  expect(lines.at(-1)).toBe("200");
  const body = JSON.parse(lines.slice(0, -1).join("\n"));
  expect(body).toMatchObject({ object: "chat.completion", model: MODEL, choices: [{ index: 0, message: { role: "assistant" } }] });
  expect(body.usage.prompt_tokens).toBeGreaterThan(0);
});

// Last: it leaves the project with a limit of one request per minute.
test("a rate-limited run says so plainly, with when to try again", async ({ page }) => {
  await page.goto(`/projects/${projectId}/settings`);
  await page.getByTestId("add-project-limit-button").click();
  const limitDialog = page.getByTestId("project-limit-dialog");
  await limitDialog.getByTestId("project-limit-model").selectOption(MODEL);
  await limitDialog.getByTestId("project-limit-rpm-input").fill("1");
  await limitDialog.getByTestId("project-limit-submit").click();
  await expect(limitDialog).toBeHidden();

  await openPlayground(page);
  await setMaxTokens(page, 8);
  // The runs of the tests before may already fill the minute; if not, the second run does.
  for (const text of ["One", "Two"]) {
    await page.getByTestId("composer-input").fill(text);
    await page.getByTestId("run-button").click();
    await expect(page.getByTestId("stop-button")).toBeHidden({ timeout: 30_000 });
    if ((await page.getByTestId("run-error").count()) > 0) break;
  }
  const error = page.getByTestId("run-error").last();
  await expect(error).toHaveAttribute("data-status", "429");
  await expect(error.getByTestId("run-error-message")).toContainText(/Rate limit reached/i);
  await expect(error).toContainText(/Try again in \d/);
  await shot(page, "playground-rate-limited");
});
