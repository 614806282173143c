#!/usr/bin/env node
// admit() latency of the memory and Redis rate limiters: sequential calls, p50/p99/max.
//   node --conditions=react-server --import tsx scripts/bench-rate-limiter.mjs [calls]
// Uses TEST_REDIS_URL or REDIS_URL (default redis://127.0.0.1:6379) and deletes its keys.
import crypto from "node:crypto";
import { Redis } from "ioredis";
import { createMemoryRateLimiter, createRedisRateLimiter } from "../lib/limits/rate-limiter.ts";

const calls = Number(process.argv[2] ?? 5000);
const url = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `gatehouse-bench:rl:${crypto.randomUUID()}:`;

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(name, limiter, limits, scopes) {
  for (let i = 0; i < 200; i++) await limiter.admit(`warm-${i % scopes}`, limits, 10); // JIT, script load
  const times = [];
  let admitted = 0;
  for (let i = 0; i < calls; i++) {
    const t = performance.now();
    const a = await limiter.admit(`${name}-${i % scopes}`, limits, 10);
    times.push(performance.now() - t);
    if (a.allowed) admitted++;
  }
  times.sort((a, b) => a - b);
  const f = (v) => `${(v * 1000).toFixed(0)} µs`;
  console.log(
    `${name.padEnd(44)} p50 ${f(pct(times, 50)).padStart(8)}  p99 ${f(pct(times, 99)).padStart(8)}  max ${f(times.at(-1)).padStart(8)}  (${admitted}/${calls} admitted)`,
  );
}

const all = { rpm: 1_000_000, tpm: 100_000_000, rpd: 10_000_000 };
const tight = { rpm: 100, tpm: 100_000, rpd: 1_000 }; // mostly refusals after the first 100 per scope
const rpmOnly = { rpm: 1_000_000, tpm: null, rpd: null };

const memory = createMemoryRateLimiter();
await measure("memory, rpm+tpm+rpd, 1 scope", memory, all, 1);
await measure("memory, rpm+tpm+rpd, 1000 scopes", memory, all, 1000);
await measure("memory, tight limits (refusals), 1 scope", memory, tight, 1);
await memory.close();

const client = new Redis(url);
const redis = createRedisRateLimiter({ client, prefix });
await measure("redis, rpm only, 1 scope", redis, rpmOnly, 1);
await measure("redis, rpm+tpm+rpd, 1 scope", redis, all, 1);
await measure("redis, rpm+tpm+rpd, 1000 scopes", redis, all, 1000);
await measure("redis, tight limits (refusals), 1 scope", redis, tight, 1);
await redis.close();

let cursor = "0";
do {
  const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
  if (keys.length) await client.del(...keys);
  cursor = next;
} while (cursor !== "0");
await client.quit();
