import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { expect, test } from "@playwright/test";
import OpenAI, { toFile } from "openai";
import { ADMIN_URL, startServer, waitForHealth } from "./servers";

// The upstream trainer: a Gatehouse whose model comes from an OpenAI-compatible upstream (here
// another Gatehouse, which trains its local model for real) fine-tunes it there. The job's
// status, events and checkpoints are mirrored, the result is a model served through the
// upstream, and cancelling here cancels there.

const UP_PORT = 3235;
const PORT = 3236;
const UP_KEY = "sk-proj-" + "U".repeat(40) + "upstream";
const KEY = "sk-proj-" + "G".repeat(40) + "gateway1";
const MODEL = "stories-upstream";
const ANSWER = "The cat sat on the mat.";
const THINGS = ["sun", "moon", "tree", "dog", "ball", "boat", "cake", "bird", "fish", "rain", "star", "hill", "door", "shoe", "milk", "kite", "frog", "bell", "sock", "lamp"];
const jsonl = THINGS.map((t) => JSON.stringify({ messages: [{ role: "user", content: `Tell me about the ${t}.` }, { role: "assistant", content: ANSWER }] })).join("\n") + "\n";

test("fine-tuning a model served by an upstream runs the job there and mirrors it", async () => {
  test.setTimeout(240_000);
  const upDir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-ft-up-"));
  const upstreamServer = startServer(UP_PORT, {
    DATA_DIR: upDir, AUTH_SECRET: "u".repeat(40), BOOTSTRAP_ADMIN_EMAIL: "up@example.com", BOOTSTRAP_ADMIN_PASSWORD: "up-password-1", BOOTSTRAP_API_KEY: UP_KEY,
    LOCAL_MODEL_DIR: process.env.TEST_MODEL_DIR ?? path.resolve("../shared/models"), LOCAL_MODEL_THREADS: "1", FINE_TUNING_THREADS: "1",
  });
  // The gateway runs on PostgreSQL so that the test can price the upstream model, as an admin would.
  const name = `gatehouse_e2e_ft_upstream_${Date.now()}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const gateway = startServer(PORT, {
    DATABASE_URL: url.toString(), AUTH_SECRET: "g".repeat(40), BOOTSTRAP_ADMIN_EMAIL: "gw@example.com", BOOTSTRAP_ADMIN_PASSWORD: "gw-password-1", BOOTSTRAP_API_KEY: KEY,
    UPSTREAM_BASE_URL: `http://127.0.0.1:${UP_PORT}/v1`, UPSTREAM_API_KEY: UP_KEY, UPSTREAM_MODELS: `${MODEL}=stories260K`,
  });
  const db = new pg.Client({ connectionString: url.toString() });
  try {
    await Promise.all([waitForHealth(UP_PORT, 200), waitForHealth(PORT, 200)]);
    await db.connect();
    await db.query(`UPDATE "Model" SET "inputPriceMicros" = 1000000, "outputPriceMicros" = 2000000, "trainingPriceMicros" = 3000000 WHERE id = $1`, [MODEL]);
    const openai = new OpenAI({ baseURL: `http://127.0.0.1:${PORT}/v1`, apiKey: KEY, maxRetries: 0, timeout: 60_000 });
    const up = new OpenAI({ baseURL: `http://127.0.0.1:${UP_PORT}/v1`, apiKey: UP_KEY, maxRetries: 0, timeout: 60_000 });
    await expect.poll(async () => (await openai.models.list()).data.map((m) => m.id), { timeout: 10_000 }).toContain(MODEL);

    const file = await openai.files.create({ file: await toFile(Buffer.from(jsonl), "train.jsonl"), purpose: "fine-tune" });
    const created = await openai.fineTuning.jobs.create({ model: MODEL, training_file: file.id, suffix: "mirror", seed: 11, hyperparameters: { n_epochs: 2, batch_size: 4, learning_rate_multiplier: 4 } });
    const deadline = Date.now() + 120_000;
    let job = created;
    while (!["succeeded", "failed", "cancelled"].includes(job.status) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      job = await openai.fineTuning.jobs.retrieve(created.id);
    }
    expect(job.error, JSON.stringify(job.error)).toBeNull();
    expect(job.status).toBe("succeeded");
    expect(job.fine_tuned_model).toMatch(new RegExp(`^ft:${MODEL}:[a-z0-9-]+:mirror:[A-Za-z0-9]{8}$`));

    // The job ran at the upstream (found by its metadata) with the upstream's own model id.
    const remote = (await up.fineTuning.jobs.list()).data.find((j) => j.metadata?.gatehouse_job === job.id);
    expect(remote).toMatchObject({ model: "stories260K", status: "succeeded", trained_tokens: job.trained_tokens });
    // Its events and checkpoints were mirrored; its metrics file copied.
    const mine = (await openai.fineTuning.jobs.listEvents(job.id, { limit: 100 })).data.map((e) => e.message);
    const theirs = (await up.fineTuning.jobs.listEvents(remote!.id, { limit: 100 })).data.map((e) => e.message);
    expect(mine).toEqual(expect.arrayContaining(theirs));
    const checkpoints = (await openai.fineTuning.jobs.checkpoints.list(job.id)).data;
    expect(checkpoints.map((c) => c.step_number)).toEqual([10, 5]);
    const csv = await (await openai.files.content(job.result_files[0])).text();
    expect(csv.split(/\r?\n/)[0]).toBe("step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy");

    // The fine-tuned model answers through the gateway (served by the upstream).
    const chat = await openai.chat.completions.create({ model: job.fine_tuned_model!, messages: [{ role: "user", content: "Tell me about the garden." }], temperature: 0, max_tokens: 12 });
    expect(chat.choices[0].message.content).toMatch(/^\s*The cat sat/);
    // Training was charged at the gateway's training price.
    await expect
      .poll(async () => (await db.query(`SELECT "promptTokens", "costMicros" FROM "UsageEvent" WHERE "requestId" = $1`, [job.id])).rows, { timeout: 10_000 })
      .toEqual([{ promptTokens: job.trained_tokens, costMicros: String(Math.round((job.trained_tokens! * 3_000_000) / 1_000_000)) }]);

    // Cancelling a job here cancels it at the upstream.
    const long = await openai.fineTuning.jobs.create({ model: MODEL, training_file: file.id, hyperparameters: { n_epochs: 50, batch_size: 1 } });
    let remoteLong: OpenAI.FineTuning.FineTuningJob | undefined;
    await expect
      .poll(async () => {
        remoteLong = (await up.fineTuning.jobs.list()).data.find((j) => j.metadata?.gatehouse_job === long.id);
        return remoteLong?.status;
      }, { timeout: 60_000 })
      .toBe("running");
    expect((await openai.fineTuning.jobs.cancel(long.id)).status).toBe("cancelled");
    await expect.poll(async () => (await up.fineTuning.jobs.retrieve(remoteLong!.id)).status, { timeout: 15_000 }).toBe("cancelled");
  } finally {
    await db.end().catch(() => undefined);
    await Promise.all([gateway.stop(), upstreamServer.stop()]);
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    fs.rmSync(upDir, { recursive: true, force: true });
  }
});
