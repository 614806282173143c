import path from "node:path";
import pg from "pg";
import { expect, test } from "@playwright/test";
import OpenAI, { toFile } from "openai";
import { ADMIN_URL, startServer, waitForHealth } from "./servers";

// Two instances on one PostgreSQL share the fine-tuning queue: every job is trained once, by
// one of them, and its events are not doubled. Jobs created on one instance are trained by
// either (files are on a shared DATA_DIR, as they would be on shared storage).

const PORTS = [3237, 3238];
const KEY = "sk-proj-" + "Q".repeat(40) + "instance";
const THINGS = ["sun", "moon", "tree", "dog", "ball", "boat", "cake", "bird", "fish", "rain", "star", "hill"];
const jsonl = THINGS.map((t) => JSON.stringify({ messages: [{ role: "user", content: `Tell me about the ${t}.` }, { role: "assistant", content: "The cat sat on the mat." }] })).join("\n") + "\n";

test("two instances share the fine-tuning queue: each job trained once", async () => {
  test.setTimeout(180_000);
  const name = `gatehouse_e2e_ft_instances_${Date.now()}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const dataDir = path.join(test.info().outputDir, "data");
  const env = {
    DATABASE_URL: url.toString(), DATA_DIR: dataDir, AUTH_SECRET: "q".repeat(40), BOOTSTRAP_ADMIN_EMAIL: "q@example.com", BOOTSTRAP_ADMIN_PASSWORD: "q-password-1",
    BOOTSTRAP_API_KEY: KEY, LOCAL_MODEL_DIR: process.env.TEST_MODEL_DIR ?? path.resolve("../shared/models"), LOCAL_MODEL_THREADS: "1", FINE_TUNING_THREADS: "1",
  };
  const servers = PORTS.map((port) => startServer(port, env));
  const db = new pg.Client({ connectionString: url.toString() });
  try {
    await Promise.all(PORTS.map((port) => waitForHealth(port, 200)));
    await db.connect();
    const clients = PORTS.map((port) => new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: KEY, maxRetries: 0, timeout: 60_000 }));
    const file = await clients[0].files.create({ file: await toFile(Buffer.from(jsonl), "train.jsonl"), purpose: "fine-tune" });
    // Six jobs, created on both instances at once.
    const jobs = await Promise.all(
      Array.from({ length: 6 }, (_, i) => clients[i % 2].fineTuning.jobs.create({ model: "stories260K", training_file: file.id, seed: i, hyperparameters: { n_epochs: 2, batch_size: 3 } })),
    );
    await expect
      .poll(async () => (await Promise.all(jobs.map((j) => clients[0].fineTuning.jobs.retrieve(j.id)))).map((j) => j.status), { timeout: 150_000, intervals: [500] })
      .toEqual(jobs.map(() => "succeeded"));

    for (const job of jobs) {
      const { rows } = await db.query(`SELECT data->>'step' AS step, count(*)::int AS n FROM "FineTuningEvent" WHERE "jobId" = $1 AND type = 'metrics' GROUP BY 1 ORDER BY (data->>'step')::int`, [job.id]);
      expect(rows.map((r) => [Number(r.step), r.n])).toEqual(Array.from({ length: 8 }, (_, i) => [i + 1, 1]));
      const started = await db.query(`SELECT count(*)::int AS n FROM "FineTuningEvent" WHERE "jobId" = $1 AND message = 'Fine-tuning job started'`, [job.id]);
      expect(started.rows[0].n).toBe(1);
      const billed = await db.query(`SELECT count(*)::int AS n FROM "UsageEvent" WHERE "requestId" = $1`, [job.id]);
      expect(billed.rows[0].n).toBe(1);
    }
    // Both instances trained (each claims one job at a time, so six jobs spread over both).
    const trainedBy = () => servers.map((s) => (s.output().match(/fine-tuning job succeeded/g) ?? []).length);
    await expect.poll(() => trainedBy().reduce((a, b) => a + b), { timeout: 5_000 }).toBe(6); // log lines are written in batches
    expect(Math.min(...trainedBy())).toBeGreaterThan(0);
  } finally {
    await db.end().catch(() => undefined);
    await Promise.all(servers.map((s) => s.stop()));
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
});
