import path from "node:path";
import OpenAI from "openai";
import pg from "pg";
import { expect, test } from "@playwright/test";
import { ADMIN_URL, startServer, waitForHealth } from "./servers";

// The OpenAI-compatible upstream provider against a real upstream: a second Gatehouse process
// serving the tiny local model. Real HTTP both ways, streaming passed through chunk by chunk,
// retries on a refused connection, and a clear 502 when the upstream stays down.

const UPSTREAM_PORT = 3243;
const GATEWAY_PORT = 3244;
const UPSTREAM_KEY = "sk-proj-" + "U".repeat(40) + "upstream";
const GATEWAY_KEY = "sk-proj-" + "G".repeat(40) + "gateway1";

function upstreamEnv() {
  return {
    AUTH_SECRET: "u".repeat(40),
    BOOTSTRAP_ADMIN_EMAIL: "upstream@example.com",
    BOOTSTRAP_ADMIN_PASSWORD: "upstream-password-1",
    BOOTSTRAP_API_KEY: UPSTREAM_KEY,
    LOCAL_MODEL_DIR: process.env.TEST_MODEL_DIR ?? path.resolve("../shared/models"),
    LOCAL_MODEL_THREADS: "1",
  };
}

function gatewayEnv(extra: Record<string, string> = {}) {
  return {
    AUTH_SECRET: "g".repeat(40),
    BOOTSTRAP_ADMIN_EMAIL: "gateway@example.com",
    BOOTSTRAP_ADMIN_PASSWORD: "gateway-password-1",
    BOOTSTRAP_API_KEY: GATEWAY_KEY,
    UPSTREAM_BASE_URL: `http://127.0.0.1:${UPSTREAM_PORT}/v1`,
    UPSTREAM_API_KEY: UPSTREAM_KEY,
    UPSTREAM_MODELS: "remote-stories=stories260K",
    ...extra,
  };
}

/**
 * The gateway runs on its own PostgreSQL database so the test can price the aliased model, as an
 * administrator would: an upstream model with no known price is refused rather than billed $0.
 */
async function gatewayDatabase() {
  const name = `gatehouse_e2e_upstream_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async price() {
      const c = new pg.Client({ connectionString: url.toString() });
      await c.connect();
      const r = await c.query(`UPDATE "Model" SET "inputPriceMicros" = 100000, "outputPriceMicros" = 200000 WHERE id = 'remote-stories'`);
      await c.end();
      expect(r.rowCount).toBe(1);
    },
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

const sdk = (port: number, apiKey: string) => new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey, maxRetries: 0, timeout: 60_000 });

test("chat and streams pass through another Gatehouse serving the model; the gateway retries a refused connection", async () => {
  test.setTimeout(180_000);
  // The gateway starts first: its upstream is not listening yet.
  const database = await gatewayDatabase();
  const gateway = startServer(GATEWAY_PORT, gatewayEnv({ UPSTREAM_MAX_RETRIES: "10", DATABASE_URL: database.url }));
  let upstream: ReturnType<typeof startServer> | null = null;
  try {
    await waitForHealth(GATEWAY_PORT, 200);
    await database.price();
    const viaGateway = sdk(GATEWAY_PORT, GATEWAY_KEY);
    const models = await viaGateway.models.list();
    expect(models.data.map((m) => m.id)).toContain("remote-stories");

    // A request made while the upstream is down is retried until it comes up.
    const pending = viaGateway.chat.completions.create({ model: "remote-stories", messages: [{ role: "user", content: "Once" }], max_tokens: 8, temperature: 0, seed: 3 });
    await new Promise((r) => setTimeout(r, 500));
    upstream = startServer(UPSTREAM_PORT, upstreamEnv());
    const retried = await pending;
    expect(retried.model).toBe("remote-stories");
    expect(retried.usage!.completion_tokens).toBe(8);

    // Same answer as asking the upstream directly, with the upstream's usage.
    const direct = sdk(UPSTREAM_PORT, UPSTREAM_KEY);
    const ask = { messages: [{ role: "user" as const, content: "The little cat" }], max_tokens: 24, temperature: 0, seed: 5 };
    const a = await direct.chat.completions.create({ model: "stories260K", ...ask });
    const b = await viaGateway.chat.completions.create({ model: "remote-stories", ...ask });
    expect(b.choices[0].message.content).toBe(a.choices[0].message.content);
    expect(b.usage!.prompt_tokens).toBe(a.usage!.prompt_tokens);
    expect(b.usage!.completion_tokens).toBe(a.usage!.completion_tokens);

    // Streaming: every chunk arrives as its own event, the text and usage match.
    const stream = await viaGateway.chat.completions.create({ model: "remote-stories", ...ask, stream: true, stream_options: { include_usage: true } });
    const deltas: string[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      for (const c of chunk.choices) if (c.delta.content) deltas.push(c.delta.content);
      if (chunk.usage) usage = chunk.usage;
    }
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.join("")).toBe(a.choices[0].message.content);
    expect(usage!.completion_tokens).toBe(a.usage!.completion_tokens);

    // Embeddings go through too.
    const e = await viaGateway.embeddings.create({ model: "remote-stories", input: "a cat" }).catch((err) => err);
    // The alias is a chat model by default; the catalog says so plainly.
    expect(e).toBeInstanceOf(OpenAI.BadRequestError);
  } finally {
    await gateway.stop();
    await upstream?.stop();
    await database.drop();
  }
});

test("an upstream that stays down gives a retryable 502 in OpenAI's shape", async () => {
  test.setTimeout(120_000);
  const database = await gatewayDatabase();
  const gateway = startServer(GATEWAY_PORT, gatewayEnv({ UPSTREAM_MAX_RETRIES: "1", DATABASE_URL: database.url }));
  try {
    await waitForHealth(GATEWAY_PORT, 200);
    await database.price();
    const res = await fetch(`http://127.0.0.1:${GATEWAY_PORT}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${GATEWAY_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "remote-stories", messages: [{ role: "user", content: "x" }], max_tokens: 2 }),
    });
    expect(res.status).toBe(502);
    const body = await res.json();
    expect(body.error.type).toBe("server_error");
    expect(body.error.message).toMatch(/could not be reached/);
    expect(body.error.message).not.toContain(UPSTREAM_KEY);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
  } finally {
    await gateway.stop();
    await database.drop();
  }
});
