import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import OpenAI, { toFile } from "openai";
import { startServer, waitForHealth } from "./servers";

// Files and fine-tuning through the official openai SDK, on a server of its own: upload a
// narrow training set, train the tiny model for real, follow the job's events and checkpoints,
// chat with the fine-tuned model and its checkpoints, delete it. Bad files fail validation with
// their line numbers; cancel stops training; a server killed mid-training resumes the job from
// its last checkpoint after a restart.

const BASE = "stories260K";
const KEY = "sk-proj-" + "F".repeat(40) + "finetune";
const PORT = 3248;
const ANSWER = "The cat sat on the mat.";
const THINGS = ["sun", "moon", "tree", "dog", "ball", "boat", "cake", "bird", "fish", "rain", "star", "hill", "door", "shoe", "milk", "kite", "frog", "bell", "sock", "lamp", "box", "cup", "hat", "bed"];

const example = (thing: string) => ({ messages: [{ role: "user", content: `Tell me about the ${thing}.` }, { role: "assistant", content: ANSWER }] });
const jsonl = (lines: unknown[]) => lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-ft-"));
const serverEnv = {
  DATA_DIR: dataDir,
  AUTH_SECRET: "f".repeat(40),
  BOOTSTRAP_ADMIN_EMAIL: "ft@example.com",
  BOOTSTRAP_ADMIN_PASSWORD: "ft-password-1",
  BOOTSTRAP_API_KEY: KEY,
  LOCAL_MODEL_DIR: process.env.TEST_MODEL_DIR ?? path.resolve("../shared/models"),
  LOCAL_MODEL_THREADS: "1",
  FINE_TUNING_THREADS: "2",
};

let server: ReturnType<typeof startServer>;
const openai = new OpenAI({ baseURL: `http://127.0.0.1:${PORT}/v1`, apiKey: KEY, maxRetries: 0, timeout: 60_000 });

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  server = startServer(PORT, serverEnv);
  await waitForHealth(PORT, 200);
});

test.afterAll(async () => {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function upload(name: string, text: string, purpose: "fine-tune" | "user_data" = "fine-tune") {
  return openai.files.create({ file: await toFile(Buffer.from(text), name), purpose });
}

async function waitFor(jobId: string, done: (status: string) => boolean, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await openai.fineTuning.jobs.retrieve(jobId);
    if (done(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function allEvents(jobId: string) {
  const events = [];
  for await (const e of openai.fineTuning.jobs.listEvents(jobId, { limit: 50 })) events.push(e);
  return events.reverse(); // oldest first
}

test("upload, train, follow, chat with the fine-tuned model and its checkpoints, delete it", async () => {
  test.setTimeout(300_000);
  const train = await upload("train.jsonl", jsonl(THINGS.slice(0, 20).map(example)));
  const valid = await upload("valid.jsonl", jsonl(THINGS.slice(20).map(example)));
  const created = await openai.fineTuning.jobs.create({
    model: BASE, training_file: train.id, validation_file: valid.id, suffix: "cats", seed: 42,
    method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 3, batch_size: 4, learning_rate_multiplier: 4 } } },
    metadata: { purpose: "e2e" },
  });
  expect(created).toMatchObject({ object: "fine_tuning.job", model: BASE, status: "validating_files", training_file: train.id, validation_file: valid.id, seed: 42, fine_tuned_model: null, user_provided_suffix: "cats", metadata: { purpose: "e2e" } });
  expect(created.id).toMatch(/^ftjob-[A-Za-z0-9]{24}$/);

  const job = await waitFor(created.id, (s) => s === "succeeded" || s === "failed");
  expect(job.error, JSON.stringify(job.error)).toBeNull();
  expect(job.status).toBe("succeeded");
  expect(job.fine_tuned_model).toMatch(new RegExp(`^ft:${BASE}:[a-z0-9-]+:cats:[A-Za-z0-9]{8}$`));
  expect(job.hyperparameters).toEqual({ n_epochs: 3, batch_size: 4, learning_rate_multiplier: 4 });
  expect(job.trained_tokens).toBeGreaterThan(0);
  expect(job.finished_at).toBeGreaterThanOrEqual(job.created_at);
  const model = job.fine_tuned_model!;

  // Events: created → validated → started → metrics per step → checkpoints → model → done.
  const events = await allEvents(job.id);
  const messages = events.map((e) => e.message);
  expect(messages[0]).toBe(`Created fine-tuning job: ${job.id}`);
  expect(messages).toContain("Fine-tuning job started");
  expect(messages.at(-1)).toBe("The job has successfully completed");
  const metrics = events.filter((e) => e.type === "metrics").map((e) => e.data as { step: number; train_loss: number; valid_loss?: number });
  expect(metrics.map((m) => m.step)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1)); // 20 examples / 4 per batch × 3 epochs
  const validLosses = metrics.filter((m) => m.valid_loss !== undefined).map((m) => m.valid_loss!);
  expect(validLosses.length).toBeGreaterThanOrEqual(3);
  // Held-out examples of the trained answer: the loss falls clearly.
  expect(validLosses.at(-1)!).toBeLessThan(validLosses[0] * 0.7);

  // One checkpoint per epoch, each a model of its own.
  const checkpoints = (await openai.fineTuning.jobs.checkpoints.list(job.id)).data;
  expect(checkpoints.map((c) => c.step_number)).toEqual([15, 10, 5]);
  for (const c of checkpoints) {
    expect(c).toMatchObject({ object: "fine_tuning.job.checkpoint", fine_tuning_job_id: job.id, fine_tuned_model_checkpoint: `${model}:ckpt-step-${c.step_number}` });
    expect(c.metrics.train_loss).toBeGreaterThan(0);
  }

  // The result file: metrics per step as CSV.
  expect(job.result_files).toHaveLength(1);
  const csv = await (await openai.files.content(job.result_files[0])).text();
  const rows = csv.trim().split(/\r?\n/);
  expect(rows[0]).toBe("step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy");
  expect(rows).toHaveLength(16);

  // The models list has the fine-tuned model and its checkpoints, owned by the organization.
  const ids = (await openai.models.list()).data.map((m) => m.id);
  expect(ids).toEqual(expect.arrayContaining([BASE, model, ...checkpoints.map((c) => c.fine_tuned_model_checkpoint)]));
  expect((await openai.models.retrieve(model)).owned_by).toBe(job.organization_id);

  // It learned the answer: a prompt it never saw gets (the start of) the trained sentence.
  const chat = await openai.chat.completions.create({ model, messages: [{ role: "user", content: "Tell me about the garden." }], temperature: 0, max_tokens: 12 });
  expect(chat.model).toBe(model);
  expect(chat.choices[0].message.content).toMatch(/^\s*The cat sat/);
  const base = await openai.chat.completions.create({ model: BASE, messages: [{ role: "user", content: "Tell me about the garden." }], temperature: 0, max_tokens: 12 });
  expect(base.choices[0].message.content).not.toContain("The cat sat");
  const early = await openai.chat.completions.create({ model: checkpoints[2].fine_tuned_model_checkpoint, messages: [{ role: "user", content: "Hi" }], max_tokens: 4 });
  expect(early.choices[0].message.content).toBeTruthy();

  // Listing jobs: newest first, cursor pagination.
  const page = await openai.fineTuning.jobs.list({ limit: 1 });
  expect(page.data[0].id).toBe(job.id);

  // Delete the model: gone from the list and the API; the catalog's models cannot be deleted.
  expect(await openai.models.delete(model)).toEqual({ id: model, object: "model", deleted: true });
  expect((await openai.models.list()).data.map((m) => m.id)).not.toContain(model);
  const gone = await openai.chat.completions.create({ model, messages: [{ role: "user", content: "Hi" }] }).catch((e) => e);
  expect(gone).toBeInstanceOf(OpenAI.NotFoundError);
  expect(await openai.models.delete(BASE).catch((e) => e)).toBeInstanceOf(OpenAI.PermissionDeniedError);
});

test("the same seed trains the same model: identical losses", async () => {
  test.setTimeout(180_000);
  const train = await upload("seed.jsonl", jsonl(THINGS.slice(0, 12).map(example)));
  const run = async () => {
    const job = await openai.fineTuning.jobs.create({ model: BASE, training_file: train.id, seed: 7, hyperparameters: { n_epochs: 2, batch_size: 3 } });
    const done = await waitFor(job.id, (s) => s === "succeeded" || s === "failed");
    expect(done.status).toBe("succeeded");
    return (await allEvents(job.id)).filter((e) => e.type === "metrics").map((e) => (e.data as { train_loss: number }).train_loss);
  };
  const a = await run();
  const b = await run();
  expect(a).toHaveLength(8);
  expect(b).toEqual(a);
});

test("bad training files fail validation with their line numbers; bad requests get OpenAI's 400s", async () => {
  test.setTimeout(120_000);
  const longContent = "word ".repeat(5000);
  const bad = await upload("bad.jsonl", jsonl([
    example("sun"),
    "{not json",
    { messages: [{ role: "user", content: "Only a question?" }] },
    example("moon"),
    { messages: [{ role: "user", content: longContent }, { role: "assistant", content: ANSWER }] },
    { messages: [{ role: "robot", content: "beep" }, { role: "assistant", content: ANSWER }] },
    { prompt: "old", completion: "format" },
    ...THINGS.slice(0, 10).map(example),
  ]));
  const job = await openai.fineTuning.jobs.create({ model: BASE, training_file: bad.id });
  const failed = await waitFor(job.id, (s) => s === "failed" || s === "succeeded");
  expect(failed.status).toBe("failed");
  expect(failed.error).toMatchObject({ code: "invalid_training_file", param: "training_file" });
  const message = failed.error!.message;
  for (const line of [2, 3, 5, 6, 7]) expect(message).toContain(`line ${line}:`);
  expect(message).not.toContain("line 1:");
  expect(message).toContain("invalid JSON");
  expect(message).toContain("no assistant message");
  expect(message).toMatch(/line 5: the example has [\d,]+ tokens/);
  expect(message).toContain("legacy prompt/completion");
  expect(failed.fine_tuned_model).toBeNull();

  const few = await upload("few.jsonl", jsonl(THINGS.slice(0, 3).map(example)));
  const small = await waitFor((await openai.fineTuning.jobs.create({ model: BASE, training_file: few.id })).id, (s) => s === "failed" || s === "succeeded");
  expect(small.error?.message).toBe("Training file has 3 example(s), but must have at least 10 examples.");

  // Refused at once: wrong purpose, unknown file, unknown model, bad hyperparameters.
  const notes = await upload("notes.jsonl", jsonl(THINGS.slice(0, 10).map(example)), "user_data");
  const refused = async (body: Parameters<typeof openai.fineTuning.jobs.create>[0]) => {
    const e = await openai.fineTuning.jobs.create(body).catch((err) => err);
    expect(e).toBeInstanceOf(OpenAI.BadRequestError);
    return e as InstanceType<typeof OpenAI.BadRequestError>;
  };
  expect((await refused({ model: BASE, training_file: notes.id })).param).toBe("training_file");
  expect((await refused({ model: BASE, training_file: notes.id })).message).toContain("purpose 'user_data'");
  expect((await refused({ model: BASE, training_file: "file-doesnotexist" })).code).toBe("file_not_found");
  expect((await refused({ model: "no-such-model", training_file: few.id })).param).toBe("model");
  expect((await refused({ model: BASE, training_file: few.id, hyperparameters: { n_epochs: 0 } })).param).toBe("hyperparameters.n_epochs");
  expect((await refused({ model: BASE, training_file: few.id, suffix: "has:colon" })).param).toBe("suffix");
  const missing = await openai.fineTuning.jobs.retrieve("ftjob-nope").catch((e) => e);
  expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
});

test("cancel stops a running job within seconds", async () => {
  test.setTimeout(120_000);
  const train = await upload("long.jsonl", jsonl([...THINGS, ...THINGS].map(example)));
  const job = await openai.fineTuning.jobs.create({ model: BASE, training_file: train.id, hyperparameters: { n_epochs: 50, batch_size: 1 } });
  await waitFor(job.id, (s) => s === "running");
  // Let it train a little.
  await expect.poll(async () => (await allEvents(job.id)).filter((e) => e.type === "metrics").length, { timeout: 60_000 }).toBeGreaterThan(3);
  const cancelled = await openai.fineTuning.jobs.cancel(job.id);
  expect(cancelled.status).toBe("cancelled");
  await new Promise((r) => setTimeout(r, 3_000));
  const settled = (await allEvents(job.id)).filter((e) => e.type === "metrics").length;
  await new Promise((r) => setTimeout(r, 3_000));
  expect((await allEvents(job.id)).filter((e) => e.type === "metrics").length).toBe(settled);
  expect((await openai.fineTuning.jobs.retrieve(job.id)).status).toBe("cancelled");
  const again = await openai.fineTuning.jobs.cancel(job.id).catch((e) => e);
  expect(again).toBeInstanceOf(OpenAI.BadRequestError);
});

test("a job whose server dies while training resumes from its last checkpoint after a restart", async () => {
  test.setTimeout(240_000);
  const train = await upload("resume.jsonl", jsonl(THINGS.slice(0, 20).map(example)));
  const job = await openai.fineTuning.jobs.create({ model: BASE, training_file: train.id, seed: 3, hyperparameters: { n_epochs: 6, batch_size: 1 } });
  // Wait for the first checkpoint (end of epoch 1), then kill the server without warning.
  await expect.poll(async () => (await openai.fineTuning.jobs.checkpoints.list(job.id)).data.length, { timeout: 120_000, intervals: [200] }).toBeGreaterThan(0);
  process.kill(-server.child.pid!, "SIGKILL");
  await server.exited;
  server = startServer(PORT, serverEnv);
  await waitForHealth(PORT, 200);
  // The dead worker's lease runs out, another takes the job and resumes it.
  const done = await waitFor(job.id, (s) => s === "succeeded" || s === "failed", 180_000);
  expect(done.error).toBeNull();
  expect(done.status).toBe("succeeded");
  const events = await allEvents(job.id);
  expect(events.some((e) => /^Resuming after an interruption from the checkpoint at step \d+$/.test(e.message))).toBe(true);
  // Every step's metrics once: the ones past the checkpoint were computed again, not twice.
  const steps = events.filter((e) => e.type === "metrics").map((e) => (e.data as { step: number }).step);
  expect(steps).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
});
