// Runs the production build of Gatehouse for benchmarks: `node server.mjs` (as `npm start`) on a port, its own
// DATA_DIR (embedded PGlite), the bootstrap admin and API key, stopped with SIGTERM so it
// drains and flushes usage as in production (and writes its CPU profile when asked).
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const BENCH_API_KEY = "sk-proj-bench" + "0123456789abcdefghij".repeat(2) + "gatehouse";

/** Newest mtime under a directory (skipping generated code the build does not depend on for freshness). */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Exits with a clear message when there is no build, and warns when sources are newer than it. */
export function checkBuild() {
  if (!fs.existsSync(".next/BUILD_ID")) {
    console.error("No production build found: run `npm run build` first.");
    process.exit(1);
  }
  const built = fs.statSync(".next/BUILD_ID").mtimeMs;
  const newest = Math.max(newestMtime("app"), newestMtime("lib"));
  if (newest > built) console.warn("warning: files under app/ or lib/ are newer than the build; figures are for the build as it is.");
}

/**
 * `cwd`: the checkout whose build to run (default: this one), e.g. to compare two builds.
 * The server's output goes to `server-<port>.log` in `dataDir`, not through a pipe to this
 * process: this process is also the load generator, and reading a pipe of log lines would
 * wake it in the middle of the requests it times.
 */
export function startGatehouse({ port, dataDir, env = {}, nodeArgs = [], cwd = process.cwd() }) {
  const logPath = path.join(dataDir, `server-${port}.log`);
  const fd = fs.openSync(logPath, "a");
  const child = spawn(process.execPath, [...nodeArgs, "server.mjs", "-p", String(port), "-H", "127.0.0.1"], {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATA_DIR: dataDir,
      PORT: String(port),
      AUTH_SECRET: "bench-auth-secret-".padEnd(48, "x"),
      BOOTSTRAP_ADMIN_EMAIL: "bench-admin@example.com",
      BOOTSTRAP_ADMIN_PASSWORD: "bench-admin-password-1",
      BOOTSTRAP_API_KEY: BENCH_API_KEY,
      ...env,
    },
    stdio: ["ignore", fd, fd],
  });
  fs.closeSync(fd);
  /** The end of what the server wrote so far. */
  const output = (max = 100_000) => {
    const size = fs.statSync(logPath).size;
    const fd = fs.openSync(logPath, "r");
    try {
      const buf = Buffer.alloc(Math.min(max, size));
      fs.readSync(fd, buf, 0, buf.length, size - buf.length);
      return buf.toString("utf8");
    } finally {
      fs.closeSync(fd);
    }
  };
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
  return {
    port,
    child,
    exited,
    output,
    async waitHealthy(timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      let last = "no answer";
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`Gatehouse exited (${child.exitCode}) before it was healthy:\n${output(3000)}`);
        try {
          const res = await fetch(`http://127.0.0.1:${port}/healthz`);
          if (res.status === 200) return;
          last = `status ${res.status}`;
        } catch (err) {
          last = err.cause?.code ?? String(err);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`Gatehouse was not healthy within ${timeoutMs} ms (last: ${last}):\n${output(3000)}`);
    },
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(t);
    },
  };
}

const PREPARE_SQL = [
  `UPDATE "Model" SET "inputPriceMicros" = COALESCE("inputPriceMicros", 150000), "outputPriceMicros" = COALESCE("outputPriceMicros", 600000) WHERE id = $1`,
  `INSERT INTO "TierLimit" (tier, model, rpm, tpm, rpd) SELECT t, $1, 1000000000, 2000000000, NULL FROM generate_series(1, 5) AS t
   ON CONFLICT (tier, model) DO UPDATE SET rpm = EXCLUDED.rpm, tpm = EXCLUDED.tpm, rpd = NULL`,
];

async function prepare(query, models) {
  for (const model of models) for (const sql of PREPARE_SQL) await query(sql, [model]);
  const priced = await query(`SELECT id FROM "Model" WHERE id = ANY($1) AND "inputPriceMicros" IS NOT NULL`, [models]);
  if (priced.rows.length !== models.length) throw new Error(`expected models ${models.join(", ")} in the catalog, found ${priced.rows.map((r) => r.id).join(", ")}`);
}

/**
 * Prices the bench upstream model (upstream models of unknown price are refused until an admin
 * prices them) and raises every tier's limits for the benchmark models so the limiter checks
 * and counts every request but never refuses one. Edits the embedded database directly, so the
 * server must be stopped (PGlite allows one process per data directory).
 */
export async function prepareDatabase(dataDir, models) {
  const { PGlite } = await import("@electric-sql/pglite");
  const db = new PGlite(path.join(dataDir, "pglite"));
  await db.waitReady;
  try {
    await prepare((sql, params) => db.query(sql, params), models);
  } finally {
    await db.close();
  }
}

/**
 * A fresh PostgreSQL database for one run (dropped by the returned `drop`), and the same
 * preparation as prepareDatabase once the server has migrated it (before its first /v1 request,
 * so no cache holds the old rows).
 */
export async function createPostgresDatabase(adminUrl) {
  const pg = (await import("pg")).default;
  const name = `gatehouse_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async prepare(models) {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        await prepare((sql, params) => client.query(sql, params), models);
      } finally {
        await client.end();
      }
    },
    async countUsageEvents() {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        return (await client.query(`SELECT count(*)::int AS n FROM "UsageEvent"`)).rows[0].n;
      } finally {
        await client.end();
      }
    },
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Usage events written so far (server stopped): proof that metering ran during the benchmark. */
export async function countUsageEvents(dataDir) {
  const { PGlite } = await import("@electric-sql/pglite");
  const db = new PGlite(path.join(dataDir, "pglite"));
  await db.waitReady;
  try {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM "UsageEvent"`);
    return rows[0].n;
  } finally {
    await db.close();
  }
}

/** One value of a Prometheus text exposition (summed over label sets), or null when absent. */
export async function scrapeMetric(port, name) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let sum = null;
  for (const line of text.split("\n")) {
    if (line.startsWith(name) && (line[name.length] === " " || line[name.length] === "{")) sum = (sum ?? 0) + Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
}
