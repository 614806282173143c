// Load-generation helpers for the benchmarks: one keep-alive request with its timings, a
// closed-loop run at a given concurrency, and percentile summaries. Plain node:http, so the
// client costs the same for the baseline and for Gatehouse (fetch/undici adds its own work).
import http from "node:http";
import os from "node:os";
import zlib from "node:zlib";

export function agentFor(concurrency) {
  return new http.Agent({ keepAlive: true, maxSockets: concurrency, keepAliveMsecs: 30_000 });
}

/**
 * One request. Resolves with the status, headers, body, and times in ms since it was sent:
 * `first` when the body received so far first matches `firstMatch` (by default: any byte) and
 * `end` at the last byte. Compressed answers (the OpenAI SDK sends accept-encoding: gzip,
 * deflate) are decompressed as they arrive, so times are those of usable content.
 */
export function send(agent, { port, method = "POST", path, headers = {}, body = null, firstMatch = null }) {
  return new Promise((resolve, reject) => {
    const payload = body === null ? null : Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
    const t0 = performance.now();
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        agent,
        headers: { ...(payload ? { "content-type": "application/json", "content-length": payload.length } : {}), ...headers },
      },
      (res) => {
        const encoding = String(res.headers["content-encoding"] ?? "identity");
        const decoded = encoding === "gzip" ? res.pipe(zlib.createGunzip()) : encoding === "deflate" ? res.pipe(zlib.createInflate()) : res;
        const chunks = [];
        let first = null;
        let seen = "";
        decoded.on("data", (c) => {
          chunks.push(c);
          if (first !== null) return;
          if (!firstMatch) first = performance.now() - t0;
          else {
            // Matched on everything so far: an event may be split across TCP reads.
            seen += c.toString("utf8");
            if (firstMatch.test(seen)) first = performance.now() - t0;
          }
        });
        decoded.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), first, end: performance.now() - t0 }));
        decoded.on("error", reject);
        if (decoded !== res) res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload ?? undefined);
  });
}

export function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function summarize(samples) {
  const s = Float64Array.from(samples).sort();
  return { n: s.length, p10: percentile(s, 0.1), p50: percentile(s, 0.5), p90: percentile(s, 0.9), p99: percentile(s, 0.99), p999: percentile(s, 0.999), max: s[s.length - 1] };
}

/**
 * `count` sequential requests, returning the timing `pick` selects from each (end by default).
 * Any non-2xx answer fails the run: a benchmark of error answers measures nothing useful.
 */
export async function sequential(agent, spec, count, pick = (r) => r.end) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const r = await send(agent, spec);
    if (r.status < 200 || r.status > 299) throw new Error(`${spec.method ?? "POST"} ${spec.path} answered ${r.status}: ${r.body.toString().slice(0, 300)}`);
    out.push(pick(r));
  }
  return out;
}

/**
 * A closed loop: `concurrency` clients each send the next request when the previous answers,
 * for `durationMs` after `warmupMs`. Returns completed requests per second and latencies.
 */
export async function closedLoop(spec, { concurrency, durationMs, warmupMs }) {
  const agent = agentFor(concurrency);
  const latencies = [];
  let errors = 0;
  let firstError = null;
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const stopAt = measureFrom + durationMs;
  let measuredEnd = measureFrom;
  async function client() {
    while (performance.now() < stopAt) {
      const sentAt = performance.now();
      const r = await send(agent, spec).catch((e) => ({ status: 0, body: Buffer.from(String(e)), end: performance.now() - sentAt }));
      const doneAt = performance.now();
      if (sentAt < measureFrom) continue;
      if (r.status < 200 || r.status > 299) {
        errors++;
        firstError ??= `${r.status} ${r.body.toString().slice(0, 200)}`;
        continue;
      }
      latencies.push(r.end);
      measuredEnd = Math.max(measuredEnd, doneAt);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, client));
  agent.destroy();
  const seconds = (measuredEnd - measureFrom) / 1000;
  return { rps: latencies.length / seconds, seconds, latencies, errors, firstError, ...summarize(latencies) };
}

export function loadAverage() {
  return os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(" ");
}
