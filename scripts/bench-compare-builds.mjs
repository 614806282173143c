#!/usr/bin/env node
// Two builds of Gatehouse side by side: this checkout's and another's (`--base <dir>`, a checkout
// of an earlier commit with its own `npm ci && npm run build`). Each runs as in production on
// its own embedded database, both proxy the same fake upstream, and requests alternate between
// them in rotating blocks at concurrency 1, so machine noise falls on both alike. Prints p50,
// p90 and p99 of each, and this build's figures as ratios to the base's.
//
//   npm run build && node scripts/bench-compare-builds.mjs --base ../base [--n 4000] [--redis] [--concurrency 16]
//
// With --concurrency C (> 1), each block is a closed loop of C clients for BLOCK_MS instead,
// and the requests per second of each build are printed too (the upstream is not measured).
//
// With --node-args "<flags>", this build's server runs with those Node.js flags (and the base's
// with --base-node-args); `--base .` then compares flags on one build, e.g.
//   node scripts/bench-compare-builds.mjs --base . --node-args "--v8-pool-size=1"
//
// With --local [--stream], both serve the test model (BENCH_MODEL, default
// ../shared/models/stories260K.gguf) on 1 thread, and the figure is the time of a 200-token
// completion at temperature 0 (the same text on both), in alternating blocks; `--n` then counts
// completions per build (default 150).
//
// With --redis both use the Redis rate limiter and shared spend checks (BENCH_REDIS_URL,
// default redis://127.0.0.1:6379). Ports 3310-3313. Env: BENCH_LATENCY_N overrides --n.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startFakeUpstream, UPSTREAM_MODEL } from "./bench/fake-upstream.mjs";
import { BENCH_API_KEY, checkBuild, prepareDatabase, startGatehouse } from "./bench/gatehouse-server.mjs";
import { agentFor, closedLoop, loadAverage, send, sequential, summarize } from "./bench/http-load.mjs";

const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  return i === -1 ? null : argv[i + 1];
};
const base = opt("--base");
if (!base || !fs.existsSync(path.join(base, ".next/BUILD_ID"))) {
  console.error("usage: node scripts/bench-compare-builds.mjs --base <checkout with a production build> [--n 4000]");
  process.exit(2);
}
checkBuild();
const LOCAL = argv.includes("--local");
const STREAM = argv.includes("--stream");
const N = Number(process.env.BENCH_LATENCY_N ?? opt("--n") ?? (LOCAL ? 150 : 4000));
const MODEL_PATH = path.resolve(process.env.BENCH_MODEL ?? "../shared/models/stories260K.gguf");
const LOCAL_MODEL = path.basename(MODEL_PATH, ".gguf");
const ROUNDS = 20;
const CONCURRENCY = Number(opt("--concurrency") ?? 1);
const BLOCK_MS = 1_000;
const MODEL = "bench";
const body = { model: MODEL, messages: [{ role: "user", content: "Say hello." }], max_tokens: 16 };
const localBody = {
  model: LOCAL_MODEL, messages: [{ role: "user", content: "Tell me a story about a cat." }], max_tokens: 200, temperature: 0, seed: 42,
  ...(STREAM ? { stream: true, stream_options: { include_usage: true } } : {}),
};
const headers = { "accept-encoding": "gzip, deflate", "user-agent": "OpenAI/JS 7.57.0", authorization: `Bearer ${BENCH_API_KEY}` };

const upstream = await startFakeUpstream({ streamChunks: 16, chunkDelayMs: 1 });
const env = {
  UPSTREAM_BASE_URL: upstream.baseUrl,
  UPSTREAM_API_KEY: "sk-upstream-bench",
  UPSTREAM_MODELS: `${MODEL}=${UPSTREAM_MODEL}`,
  ...(LOCAL ? { LOCAL_MODEL_DIR: path.dirname(MODEL_PATH), LOCAL_MODEL_THREADS: "1" } : {}),
  ...(argv.includes("--redis") ? { REDIS_URL: process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379" } : {}),
};
const flags = (name) => (opt(name) ?? "").split(/\s+/).filter(Boolean);
const sides = [
  { name: "base", cwd: path.resolve(base), port: 3310, nodeArgs: flags("--base-node-args") },
  { name: "this build", cwd: process.cwd(), port: 3312, nodeArgs: flags("--node-args") },
];
const servers = [];
try {
  for (const side of sides) {
    side.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-ab-"));
    const setup = startGatehouse({ port: side.port, dataDir: side.dataDir, env, cwd: side.cwd });
    await setup.waitHealthy();
    await setup.stop();
    await prepareDatabase(side.dataDir, LOCAL ? [MODEL, LOCAL_MODEL] : [MODEL]);
    const server = startGatehouse({ port: side.port + 1, dataDir: side.dataDir, env, cwd: side.cwd, nodeArgs: side.nodeArgs });
    servers.push(server);
    await server.waitHealthy();
    side.spec = { port: side.port + 1, path: "/v1/chat/completions", headers, body: LOCAL ? localBody : body };
    side.agent = agentFor(1);
    side.samples = [];
  }
  if (LOCAL) {
    await localGeneration();
  } else if (CONCURRENCY > 1) {
    await concurrent();
  } else {
    for (const side of sides) if (side.nodeArgs.length) console.log(`# ${side.name}: node ${side.nodeArgs.join(" ")}`);
    console.log(`# ${N} requests per build, ${ROUNDS} alternating blocks, concurrency 1, ${env.REDIS_URL ? "Redis limiter and spend checks" : "in-memory limiter"}; load average at start ${loadAverage()}`);
    for (const side of sides) await sequential(side.agent, side.spec, 500); // warm-up
    const direct = { port: upstream.port, path: "/v1/chat/completions", headers: { ...headers, authorization: "Bearer sk-upstream-bench" }, body: { ...body, model: UPSTREAM_MODEL } };
    const directAgent = agentFor(1);
    const directSamples = [];
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 ? [...sides].reverse() : sides;
      for (const side of order) side.samples.push(...(await sequential(side.agent, side.spec, Math.ceil(N / ROUNDS))));
      directSamples.push(...(await sequential(directAgent, direct, Math.ceil(N / ROUNDS / 2))));
    }
    const d = summarize(directSamples);
    const [a, b] = sides.map((s) => summarize(s.samples));
    const f = (v) => v.toFixed(3);
    const cols = ["p50", "p90", "p99", "p999"];
    const line = (label, cells) => console.log(`${label.padEnd(30)}${cells.map((c) => c.padStart(9)).join("")}`);
    line("ms", ["p50", "p90", "p99", "p99.9"]);
    line("upstream directly", cols.map((c) => f(d[c])));
    for (const [name, x] of [["base", a], ["this build", b]]) {
      line(name, cols.map((c) => f(x[c])));
      line(`  added (${name})`, cols.map((c) => f(x[c] - d[c])));
    }
    line("this build / base", cols.map((c) => `${(b[c] / a[c]).toFixed(3)}x`));
    console.log(`load average at the end ${loadAverage()}`);
    directAgent.destroy();
  }
  for (const side of sides) side.agent.destroy();
} finally {
  await Promise.all(servers.map((s) => s.stop().catch(() => {})));
  await upstream.stop();
  for (const side of sides) if (side.dataDir) fs.rmSync(side.dataDir, { recursive: true, force: true });
}

/** Closed-loop blocks at CONCURRENCY clients, alternating between the builds. */
async function concurrent() {
  console.log(`# ${ROUNDS} alternating blocks of ${BLOCK_MS} ms per build, ${CONCURRENCY} clients, ${env.REDIS_URL ? "Redis limiter and spend checks" : "in-memory limiter"}; load average at start ${loadAverage()}`);
  for (const side of sides) {
    side.seconds = 0;
    side.errors = 0;
  }
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 ? [...sides].reverse() : sides;
    for (const side of order) {
      const x = await closedLoop(side.spec, { concurrency: CONCURRENCY, durationMs: BLOCK_MS, warmupMs: 100 });
      side.samples.push(...x.latencies);
      side.seconds += x.seconds;
      side.errors += x.errors;
    }
  }
  const [a, b] = sides.map((s) => ({ ...summarize(s.samples), rps: s.samples.length / s.seconds, errors: s.errors }));
  const f = (v) => v.toFixed(3);
  console.log(`\n${"ms".padEnd(30)}${"RPS".padStart(9)}${"p50".padStart(9)}${"p90".padStart(9)}${"p99".padStart(9)}${"max".padStart(9)}${"errors".padStart(9)}`);
  for (const [name, x] of [["base", a], ["this build", b]]) {
    console.log(`${name.padEnd(30)}${x.rps.toFixed(0).padStart(9)}${f(x.p50).padStart(9)}${f(x.p90).padStart(9)}${f(x.p99).padStart(9)}${x.max.toFixed(1).padStart(9)}${String(x.errors).padStart(9)}`);
  }
  const ratio = (k) => `${(b[k] / a[k]).toFixed(3)}x`.padStart(9);
  console.log(`${"this build / base".padEnd(30)}${ratio("rps")}${ratio("p50")}${ratio("p90")}${ratio("p99")}${ratio("max")}`);
  console.log(`load average at the end ${loadAverage()}`);
}

/** 200-token completions from the local model, alternating between the builds. */
async function localGeneration() {
  console.log(`# ${N} completions per build (${STREAM ? "streamed" : "not streamed"}), ${LOCAL_MODEL}, 1 thread, ${ROUNDS} alternating blocks; load average at start ${loadAverage()}`);
  for (const side of sides) await sequential(side.agent, side.spec, 3); // load the model, warm up
  const texts = sides.map((side) => send(side.agent, side.spec).then((r) => r.body.toString().replace(/"(id|created)":"?[\w-]+"?/g, "")));
  const [ta, tb] = await Promise.all(texts);
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 ? [...sides].reverse() : sides;
    for (const side of order) side.samples.push(...(await sequential(side.agent, side.spec, Math.ceil(N / ROUNDS))));
  }
  const [a, b] = sides.map((s) => summarize(s.samples));
  const f = (v) => v.toFixed(1);
  const cols = ["p10", "p50", "p90"];
  console.log(`${"ms per completion".padEnd(30)}${["p10", "p50", "p90"].map((c) => c.padStart(9)).join("")}`);
  for (const [name, x] of [["base", a], ["this build", b]]) console.log(`${name.padEnd(30)}${cols.map((c) => f(x[c]).padStart(9)).join("")}`);
  console.log(`${"speed, this build / base".padEnd(30)}${cols.map((c) => `${(a[c] / b[c]).toFixed(3)}x`.padStart(9)).join("")}`);
  console.log(`same answer from both: ${ta === tb ? "yes" : "NO"}; load average at the end ${loadAverage()}`);
}
