import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { expect, test } from "@playwright/test";
import { startServer, waitForHealth } from "./servers";

// Image inputs: forwarded unchanged to a vision-capable upstream model and counted with
// OpenAI's image token rule; refused for non-vision models, private addresses and non-images.
// The upstream is a minimal OpenAI-compatible server in this process that records what it got.

const UPSTREAM_PORT = 3245;
const GATEWAY_PORT = 3246;
const KEY = "sk-proj-" + "V".repeat(40) + "vision01";

/** A real PNG of the given size (grey pixels), built by hand so the test needs no image files. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc((width + 1) * height, 0x80);
  for (let y = 0; y < height; y++) raw[y * (width + 1)] = 0; // filter type per row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

test("images reach a vision upstream unchanged and are counted by OpenAI's rule; bad images are refused", async () => {
  test.setTimeout(120_000);
  const received: { messages: { content: unknown }[] }[] = [];
  const upstream = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      if (req.url === "/v1/chat/completions") {
        received.push(JSON.parse(body));
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({
          id: "chatcmpl-upstream", object: "chat.completion", created: 1, model: "gpt-4o",
          choices: [{ index: 0, message: { role: "assistant", content: "A grey square." }, finish_reason: "stop" }],
          usage: { prompt_tokens: 800, completion_tokens: 4, total_tokens: 804 },
        }));
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((r) => upstream.listen(UPSTREAM_PORT, "127.0.0.1", r));
  const gateway = startServer(GATEWAY_PORT, {
    AUTH_SECRET: "v".repeat(40),
    BOOTSTRAP_ADMIN_EMAIL: "vision@example.com",
    BOOTSTRAP_ADMIN_PASSWORD: "vision-password-1",
    BOOTSTRAP_API_KEY: KEY,
    UPSTREAM_BASE_URL: `http://127.0.0.1:${UPSTREAM_PORT}/v1`,
    UPSTREAM_API_KEY: "sk-upstream-secret-value",
    UPSTREAM_MODELS: "gpt-4o",
    LOCAL_MODEL_DIR: process.env.TEST_MODEL_DIR ?? path.resolve("../shared/models"),
    LOCAL_MODEL_THREADS: "1",
  });
  const call = (model: string, url: string, detail: "low" | "high" = "high") =>
    fetch(`http://127.0.0.1:${GATEWAY_PORT}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify({
        model,
        max_tokens: 5,
        messages: [{ role: "user", content: [{ type: "text", text: "What is this?" }, { type: "image_url", image_url: { url, detail } }] }],
      }),
    });
  try {
    await waitForHealth(GATEWAY_PORT, 200);
    const dataUrl = `data:image/png;base64,${png(1024, 1024).toString("base64")}`;

    // 1024×1024 at high detail is 765 tokens; the reservation (prompt + max_tokens) shows in
    // the remaining-tokens header against gpt-4o's tier-1 limit of 30,000 TPM.
    const high = await call("gpt-4o", dataUrl, "high");
    expect(high.status).toBe(200);
    const usedHigh = 30_000 - Number(high.headers.get("x-ratelimit-remaining-tokens"));
    expect(usedHigh).toBeGreaterThanOrEqual(765 + 5);
    expect(usedHigh).toBeLessThan(765 + 5 + 30);
    expect(received[0].messages[0].content).toEqual([{ type: "text", text: "What is this?" }, { type: "image_url", image_url: { url: dataUrl, detail: "high" } }]);
    const body = await high.json();
    expect(body.usage.prompt_tokens).toBe(800); // the upstream's count is what is billed

    // Low detail is a flat 85 tokens. (The first call now counts with the upstream's 804 tokens:
    // its reservation was reconciled with the real usage.)
    const low = await call("gpt-4o", dataUrl, "low");
    expect(low.status).toBe(200);
    const usedLow = 30_000 - 804 - Number(low.headers.get("x-ratelimit-remaining-tokens"));
    expect(usedLow).toBeGreaterThanOrEqual(85 + 5);
    expect(usedLow).toBeLessThan(85 + 5 + 30);

    const refusals: [string, string, RegExp][] = [
      ["stories260K", dataUrl, /does not support image inputs/],
      ["gpt-4o", `http://127.0.0.1:${UPSTREAM_PORT}/secret.png`, /private|internal|not allowed|loopback/i],
      ["gpt-4o", "http://169.254.169.254/latest/meta-data", /private|internal|not allowed|link-local/i],
      ["gpt-4o", `data:image/png;base64,${Buffer.from("not an image at all").toString("base64")}`, /image/i],
    ];
    for (const [model, url, message] of refusals) {
      const res = await call(model, url);
      expect(res.status, url.slice(0, 40)).toBe(400);
      const err = (await res.json()).error;
      expect(err.type).toBe("invalid_request_error");
      expect(err.message).toMatch(message);
    }
    expect(received).toHaveLength(2); // nothing refused reached the upstream
  } finally {
    await gateway.stop();
    await new Promise((r) => upstream.close(r));
  }
});
