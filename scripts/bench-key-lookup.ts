// Key lookup cost: resolveApiKey with its cache (the API's hot path) against the same lookup
// with the cache disabled (one database query per call), on PGlite and PostgreSQL.
// Run: node --conditions=react-server --import tsx scripts/bench-key-lookup.ts
import { useDatabase as attachDatabase } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import { createApiKey } from "@/lib/keys/api-keys";
import { invalidateKey, resolveApiKey } from "@/lib/keys/resolve-api-key";
import { KINDS, openTestDatabase } from "../tests/helpers/databases";
import { signUp } from "../tests/helpers/fixtures";

function quantile(sorted: number[], q: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function time(n: number, fn: () => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  samples.sort((a, b) => a - b);
  return { p50: quantile(samples, 0.5), p99: quantile(samples, 0.99) };
}

for (const kind of KINDS) {
  const t = await openTestDatabase(kind);
  await migrate(t.db.sql);
  attachDatabase(t.db);
  const u = await signUp("bench");
  const { key, secret } = await createApiKey(u.actor, u.projectId, { name: "bench", owner: { kind: "user" }, permissions: { mode: "all" }, expiresAt: null });
  await resolveApiKey(secret);
  const cached = await time(20_000, () => resolveApiKey(secret));
  const uncached = await time(500, () => {
    invalidateKey(key.id);
    return resolveApiKey(secret);
  });
  console.log(
    `${kind.padEnd(8)} cached p50 ${cached.p50.toFixed(1)} µs p99 ${cached.p99.toFixed(1)} µs | uncached (baseline) p50 ${uncached.p50.toFixed(0)} µs p99 ${uncached.p99.toFixed(0)} µs | ratio p50 ${(uncached.p50 / cached.p50).toFixed(0)}x`,
  );
  await t.drop();
}
