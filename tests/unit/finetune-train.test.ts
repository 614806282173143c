// End-to-end training on the real tiny model: loss goes down on held-out prompts, the written
// GGUF loads in llama.cpp and answers as trained, runs are bit-for-bit deterministic (across
// thread counts too), resume continues exactly, abort is prompt, bad inputs fail clearly.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { getLlama, LlamaLogLevel, type Llama, type LlamaModel, type Token } from "node-llama-cpp";
import { evaluateLoss, trainLocal, type StepMetrics, type TrainingExample, type TrainRun } from "@/lib/finetune/trainer";

const MODEL = process.env.TEST_GGUF ?? path.resolve("../shared/models/stories260K.gguf");
const ANSWER = " The answer is always blue.";

let llama: Llama;
let model: LlamaModel;
let tmp: string;
let train: TrainingExample[];
let heldOut: TrainingExample[];
let heldOutPrompts: string[];

const SUBJECTS = ["the sky", "the sea", "a frog", "the sun", "my hat", "the car", "a bird", "the door", "her dress", "the ball"];
const QUESTIONS = ["What color is", "Tell me the color of", "Which color is", "Do you know the color of"];

function example(prompt: string): TrainingExample {
  const p = model.tokenize(prompt);
  const a = model.tokenize(ANSWER);
  const eos = model.tokens.eos!;
  const tokens = Int32Array.from([model.tokens.bos!, ...p, ...a, eos]);
  const targets = new Uint8Array(tokens.length);
  targets.fill(1, 1 + p.length); // the answer and the EOS are targets
  return { tokens, targets };
}

const sha256 = async (file: string) => createHash("sha256").update(await readFile(file)).digest("hex");

before(async () => {
  llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  model = await llama.loadModel({ modelPath: MODEL });
  tmp = await mkdtemp(path.join(os.tmpdir(), "ft-train-"));
  const prompts: string[] = [];
  for (const q of QUESTIONS) for (const s of SUBJECTS) prompts.push(`User: ${q} ${s}?\nBot:`);
  // 40 prompts: every 5th is held out.
  train = prompts.filter((_, i) => i % 5 !== 0).map(example);
  heldOutPrompts = prompts.filter((_, i) => i % 5 === 0);
  heldOut = heldOutPrompts.map(example);
});

after(async () => {
  await model?.dispose();
  await llama?.dispose();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

function baseRun(dir: string, extra: Partial<TrainRun> = {}): TrainRun {
  return {
    baseModelPath: MODEL,
    train,
    validation: heldOut,
    epochs: 3,
    batchSize: 4,
    learningRate: 3e-3,
    seed: 42,
    threads: 2,
    outputDir: path.join(tmp, dir),
    ...extra,
  };
}

/** Everything but wall time. */
const lossSeq = (ms: StepMetrics[]) => ms.map((m) => ({ ...m, elapsedMs: 0 }));

describe("trainLocal on stories260K", () => {
  let full: { metrics: StepMetrics[]; modelSha: string; modelPath: string; states: string[] };

  test("held-out loss drops, the answer becomes likely, and model.gguf answers as trained", async () => {
    const base = await evaluateLoss(MODEL, heldOut, 2);
    const metrics: StepMetrics[] = [];
    const checkpoints: { epoch: number; step: number; statePath: string }[] = [];
    const t0 = Date.now();
    const result = await trainLocal(baseRun("full", {
      onStep: (m) => void metrics.push(m),
      onCheckpoint: (c) => void checkpoints.push(c),
    }));
    const ms = Date.now() - t0;
    const trained = await evaluateLoss(result.modelPath, heldOut, 2);
    console.log(`  base held-out loss ${base.loss.toPrecision(3)} (acc ${base.accuracy.toFixed(2)}) → trained ${trained.loss.toPrecision(3)} (acc ${trained.accuracy.toFixed(2)}); ${result.steps} steps, ${result.trainedTokens} tokens in ${ms} ms`);
    assert.ok(trained.loss < base.loss / 3, "held-out loss clearly lower");
    // Probability of the whole answer (answer tokens + EOS) for a held-out prompt.
    const answerProb = (lossPerToken: number, tokens: number) => Math.exp((-lossPerToken * tokens) / heldOut.length);
    console.log(`  P(answer | held-out prompt): ${answerProb(base.loss, base.tokens).toExponential(2)} → ${answerProb(trained.loss, trained.tokens).toFixed(3)}`);
    assert.ok(answerProb(trained.loss, trained.tokens) > 100 * answerProb(base.loss, base.tokens));

    // Bookkeeping: steps, epochs, tokens, checkpoints.
    assert.equal(result.steps, 3 * Math.ceil(train.length / 4));
    assert.equal(metrics.length, result.steps);
    assert.deepEqual(metrics.map((m) => m.step), metrics.map((_, i) => i + 1));
    const tokensPerEpoch = train.reduce((s, e) => s + e.tokens.length, 0);
    assert.equal(result.trainedTokens, 3 * tokensPerEpoch);
    assert.equal(metrics.at(-1)!.tokens, 3 * tokensPerEpoch);
    assert.deepEqual(checkpoints.map((c) => c.epoch), [1, 2, 3]);
    assert.ok(metrics.filter((m) => m.validLoss !== undefined).length >= 3);
    assert.equal(result.metrics.validLoss, trained.loss, "the final validation loss is the saved model's");
    const files = (await readdir(path.join(tmp, "full"))).sort();
    assert.deepEqual(files, [...checkpoints.flatMap((c) => [`checkpoint-${c.step}.gguf`, `checkpoint-${c.step}.state`]), "model.gguf"].sort());

    // The written model loads in llama.cpp and greedy-generates the trained answer.
    const tuned = await llama.loadModel({ modelPath: result.modelPath });
    try {
      const ctx = await tuned.createContext({ threads: 1, contextSize: 128 });
      const seq = ctx.getSequence();
      const out: Token[] = [];
      for await (const tok of seq.evaluate([tuned.tokens.bos!, ...tuned.tokenize(heldOutPrompts[1])], { temperature: 0 })) {
        if (tok === tuned.tokens.eos) break;
        out.push(tok);
        if (out.length >= 24) break;
      }
      const text = tuned.detokenize(out);
      console.log(`  held-out prompt ${JSON.stringify(heldOutPrompts[1])} → ${JSON.stringify(text)}`);
      assert.ok(text.startsWith(ANSWER.slice(0, 15)), text);
      await ctx.dispose();
    } finally {
      await tuned.dispose();
    }
    full = { metrics, modelSha: await sha256(result.modelPath), modelPath: result.modelPath, states: checkpoints.map((c) => c.statePath) };
  });

  test("deterministic: same seed → identical losses and bytes, with 1 thread as with 2", async () => {
    assert.ok(full, "needs the first test");
    const metrics: StepMetrics[] = [];
    const r = await trainLocal(baseRun("again-1-thread", { threads: 1, onStep: (m) => void metrics.push(m) }));
    assert.deepEqual(lossSeq(metrics), lossSeq(full.metrics));
    assert.equal(await sha256(r.modelPath), full.modelSha);
    // A different seed shuffles differently.
    const other: StepMetrics[] = [];
    await trainLocal(baseRun("other-seed", { epochs: 1, seed: 43, onStep: (m) => void other.push(m) }));
    assert.notDeepEqual(other.map((m) => m.trainLoss), full.metrics.slice(0, other.length).map((m) => m.trainLoss));
  });

  test("abort after epoch 1, resume from its state: same losses and same final model", async () => {
    assert.ok(full, "needs the first test");
    const controller = new AbortController();
    let statePath = "";
    const dir = "resumed";
    await assert.rejects(
      trainLocal(baseRun(dir, {
        signal: controller.signal,
        onCheckpoint: (c) => {
          statePath = c.statePath;
          controller.abort();
        },
      })),
      (err: Error) => err.name === "AbortError",
    );
    assert.match(statePath, /checkpoint-\d+\.state$/);
    const stepsPerEpoch = Math.ceil(train.length / 4);
    const metrics: StepMetrics[] = [];
    const r = await trainLocal(baseRun(dir, { resumeFrom: statePath, onStep: (m) => void metrics.push(m) }));
    assert.deepEqual(lossSeq(metrics), lossSeq(full.metrics.slice(stepsPerEpoch)));
    assert.equal(r.steps, full.metrics.length);
    assert.equal(await sha256(r.modelPath), full.modelSha);
    // A state from another job is refused.
    await assert.rejects(trainLocal(baseRun("mismatch", { resumeFrom: statePath, seed: 1 })), /different job/);
  });

  test("abort mid-step stops within a second or two", async () => {
    const controller = new AbortController();
    let abortedAt = 0;
    const started = trainLocal(baseRun("abort", {
      epochs: 50,
      signal: controller.signal,
      onStep: (m) => {
        if (m.step === 2 && !abortedAt) {
          // Abort from a timer so that it lands while the workers are busy.
          setTimeout(() => {
            abortedAt = Date.now();
            controller.abort();
          }, 5);
        }
      },
    }));
    await assert.rejects(started, (err: Error) => err.name === "AbortError");
    const took = Date.now() - abortedAt;
    console.log(`  rejected ${took} ms after abort()`);
    assert.ok(abortedAt > 0 && took < 1500, `took ${took} ms`);
    // Already aborted: rejects at once.
    await assert.rejects(trainLocal(baseRun("abort2", { signal: AbortSignal.abort() })), (err: Error) => err.name === "AbortError");
  });

  test("bad inputs reject with clear errors", async () => {
    const junk = path.join(tmp, "junk.gguf");
    await writeFile(junk, "definitely not a GGUF file, only some text in it");
    await assert.rejects(trainLocal(baseRun("bad", { baseModelPath: junk })), /not a GGUF file/);
    await assert.rejects(trainLocal(baseRun("bad", { baseModelPath: path.join(tmp, "missing.gguf") })), /ENOENT/);
    await assert.rejects(trainLocal(baseRun("bad", { train: [] })), /training set is empty/);
    await assert.rejects(trainLocal(baseRun("bad", { epochs: 0 })), /epochs must be a positive integer/);
    await assert.rejects(trainLocal(baseRun("bad", { learningRate: -1 })), /learningRate/);
    await assert.rejects(trainLocal(baseRun("bad", { method: "lora" })), /"lora" is not supported/);
    const badToken = { tokens: Int32Array.from([1, 600, 2]), targets: Uint8Array.from([0, 1, 1]) };
    await assert.rejects(trainLocal(baseRun("bad", { train: [badToken] })), /token 600 is outside the vocabulary/);
    const noTargets = { tokens: Int32Array.from([1, 5, 2]), targets: new Uint8Array(3) };
    await assert.rejects(trainLocal(baseRun("bad", { train: [noTargets] })), /no target tokens/);
    await assert.rejects(evaluateLoss(junk, heldOut), /not a GGUF file/);
    await assert.rejects(evaluateLoss(MODEL, []), /no examples/);
  });
});
