import path from "node:path";
import { expect, test } from "@playwright/test";
import { startServer, waitForHealth } from "./servers";

// Graceful shutdown (SIGTERM): a stream already running is finished, a new request is refused
// with a retryable 503 in OpenAI's shape, then the process exits by itself.

const MODEL = "stories260K";
const KEY = "sk-proj-" + "S".repeat(40) + "shutdown";
const PORT = 3248;

test("SIGTERM lets a running stream finish, refuses new requests with 503, then exits", async () => {
  test.setTimeout(120_000);
  const server = startServer(PORT, {
    AUTH_SECRET: "s".repeat(40),
    BOOTSTRAP_ADMIN_EMAIL: "shutdown@example.com",
    BOOTSTRAP_ADMIN_PASSWORD: "shutdown-password-1",
    BOOTSTRAP_API_KEY: KEY,
    LOCAL_MODEL_DIR: process.env.TEST_MODEL_DIR ?? path.resolve("../shared/models"),
    LOCAL_MODEL_THREADS: "1",
  });
  try {
    await waitForHealth(PORT, 200);
    const call = (body: object) =>
      fetch(`http://127.0.0.1:${PORT}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "Once upon a time" }], ...body }),
      });
    // Long enough to still be running at SIGTERM: no end-of-sequence token (id 2) before 1,800 tokens.
    const res = await call({ max_tokens: 1800, logit_bias: { "2": -100 }, stream: true, stream_options: { include_usage: true } });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value, { stream: true });

    server.child.kill("SIGTERM");
    // Once the server says it is shutting down (it drains from then on), a new request is
    // refused; the port stays open while the stream runs.
    const deadline = Date.now() + 10_000;
    while (!server.output().includes('"msg":"shutting down"') && Date.now() < deadline) await new Promise((done) => setTimeout(done, 10));
    const refused = await call({ max_tokens: 4 });
    expect(refused.status).toBe(503);
    expect((await refused.json()).error.message).toMatch(/shutting down/);
    expect(refused.headers.get("retry-after")).toBeTruthy();

    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
    expect(text).toMatch(/"usage":\{"prompt_tokens":\d+,"completion_tokens":1800/);
    expect(await Promise.race([server.exited.then(() => "exited"), new Promise((r) => setTimeout(() => r("still running"), 15_000))])).toBe("exited");
  } finally {
    await server.stop();
  }
});
