// A minimal OpenAI-compatible upstream for benchmarks: fixed answers, no work, so what is
// measured through Gatehouse is Gatehouse. It runs in a worker thread of the benchmark
// process (startFakeUpstream), so its event loop never waits behind the load generator's.
//
//   POST /v1/chat/completions  a fixed small completion, or with "stream": true a fixed number
//                              of SSE chunks (role, content..., finish, usage if asked, [DONE])
//   GET  /v1/models            one model
import http from "node:http";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

export const UPSTREAM_MODEL = "bench-upstream";

/** Starts the upstream in a worker thread; resolves once it listens. */
export function startFakeUpstream({ streamChunks = 16, chunkDelayMs = 1 } = {}) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { streamChunks, chunkDelayMs } });
  return new Promise((resolve, reject) => {
    worker.once("error", reject);
    worker.once("message", (m) => {
      resolve({
        port: m.port,
        baseUrl: `http://127.0.0.1:${m.port}/v1`,
        /** Requests served since start, by kind: to check a run really reached the upstream. */
        stats: () =>
          new Promise((res) => {
            worker.once("message", res);
            worker.postMessage("stats");
          }),
        stop: () => worker.terminate(),
      });
    });
  });
}

function serve({ streamChunks, chunkDelayMs }) {
  const created = 1_700_000_000;
  const counts = { chat: 0, stream: 0, models: 0, other: 0 };
  const completion = (model) =>
    JSON.stringify({
      id: "chatcmpl-bench",
      object: "chat.completion",
      created,
      model,
      choices: [{ index: 0, message: { role: "assistant", content: "Hello from the bench upstream.", refusal: null }, finish_reason: "stop", logprobs: null }],
      usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19, prompt_tokens_details: { cached_tokens: 0 } },
      system_fingerprint: "fp_bench",
    });
  const chunk = (model, delta, finish = null, usage = undefined) =>
    `data: ${JSON.stringify({
      id: "chatcmpl-bench",
      object: "chat.completion.chunk",
      created,
      model,
      choices: delta === null ? [] : [{ index: 0, delta, finish_reason: finish, logprobs: null }],
      ...(usage !== undefined ? { usage } : {}),
    })}\n\n`;
  const modelList = JSON.stringify({ object: "list", data: [{ id: UPSTREAM_MODEL, object: "model", created, owned_by: "bench" }] });
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  async function stream(res, model, includeUsage) {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.write(chunk(model, { role: "assistant", content: "" }));
    for (let i = 0; i < streamChunks; i++) {
      // Spaced out like a model generating, so the first chunk is not coalesced with the rest.
      if (chunkDelayMs > 0) await sleep(chunkDelayMs);
      res.write(chunk(model, { content: ` tok${i}` }));
    }
    res.write(chunk(model, {}, "stop"));
    if (includeUsage) res.write(chunk(model, null, null, { prompt_tokens: 12, completion_tokens: streamChunks, total_tokens: 12 + streamChunks }));
    res.end("data: [DONE]\n\n");
  }

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      if (req.method === "GET" && req.url === "/v1/models") {
        counts.models++;
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(modelList);
      }
      if (req.method === "POST" && req.url === "/v1/chat/completions") {
        let body;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          res.writeHead(400, { "content-type": "application/json" });
          return res.end(JSON.stringify({ error: { message: "bad json", type: "invalid_request_error", param: null, code: null } }));
        }
        const model = typeof body.model === "string" ? body.model : UPSTREAM_MODEL;
        if (body.stream) {
          counts.stream++;
          return void stream(res, model, body.stream_options?.include_usage === true);
        }
        counts.chat++;
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(completion(model));
      }
      counts.other++;
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "not found", type: "invalid_request_error", param: null, code: null } }));
    });
  });
  // Longer than the gateway's keep-alive use, so it never writes on a socket we are closing.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 130_000;
  server.listen(0, "127.0.0.1", () => parentPort.postMessage({ port: server.address().port }));
  parentPort.on("message", (m) => {
    if (m === "stats") parentPort.postMessage({ ...counts });
  });
}

if (!isMainThread && workerData) serve(workerData);
