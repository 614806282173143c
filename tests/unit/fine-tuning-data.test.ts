import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { parseDataset, parseExampleLine, problemsText } from "@/lib/finetune/dataset";
import { baseNameOf, fineTunedModelName, orgSlug } from "@/lib/finetune/jobs";
import { parseCreateJob, resolveHyperparameters } from "@/lib/finetune/params";
import { OpenAIError } from "@/lib/openai/errors";

const ok = { messages: [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello." }] };
const problemOf = (value: unknown) => {
  const r = parseExampleLine(typeof value === "string" ? value : JSON.stringify(value), 7);
  assert.ok("problem" in r, `expected a problem for ${JSON.stringify(value)}`);
  assert.equal(r.problem.line, 7);
  return r.problem.message;
};

describe("training data lines", () => {
  it("accepts chat examples, with tools and weights", () => {
    const r = parseExampleLine(JSON.stringify(ok), 1);
    assert.ok("example" in r);
    assert.deepEqual(r.example.learn, [false, true]);
    const withTools = parseExampleLine(JSON.stringify({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Weather?" },
        { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "weather", arguments: "{\"city\":\"Oslo\"}" } }] },
        { role: "tool", tool_call_id: "c1", content: "cold" },
        { role: "assistant", content: "Cold.", weight: 0 },
        { role: "assistant", content: "It is cold.", weight: 1 },
      ],
      tools: [{ type: "function", function: { name: "weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }],
    }), 2);
    assert.ok("example" in withTools);
    assert.deepEqual(withTools.example.learn, [false, false, true, false, false, true]);
    assert.equal(withTools.example.request.tools.length, 1);
  });

  it("names what is wrong with a line", () => {
    assert.match(problemOf("{not json"), /^invalid JSON/);
    assert.match(problemOf("[1,2]"), /JSON object with a 'messages' list/);
    assert.match(problemOf({ prompt: "a", completion: "b" }), /legacy prompt\/completion format/);
    assert.match(problemOf({ text: "a" }), /missing the 'messages' list/);
    assert.match(problemOf({ messages: [] }), /'messages' is empty/);
    assert.match(problemOf({ messages: "hi" }), /must be a list/);
    assert.match(problemOf({ messages: [{ role: "user", content: "Hi" }] }), /no assistant message/);
    assert.match(problemOf({ messages: [{ role: "robot", content: "Hi" }, { role: "assistant", content: "x" }] }), /robot/);
    assert.match(problemOf({ messages: [{ role: "user", content: "Hi", weight: 1 }, { role: "assistant", content: "x" }] }), /only allowed on assistant/);
    assert.match(problemOf({ messages: [{ role: "user", content: "Hi" }, { role: "assistant", content: "x", weight: 2 }] }), /must be 0 or 1/);
    assert.match(problemOf({ messages: [{ role: "user", content: "Hi" }, { role: "assistant", content: "x", weight: 0 }] }), /nothing to learn/);
    assert.match(problemOf({ messages: [{ role: "user", content: "Hi" }, { role: "assistant", content: "  " }] }), /needs content or tool_calls/);
    assert.match(problemOf({ ...ok, extra: 1 }), /unexpected key 'extra'/);
  });

  it("reads a file line by line, numbering lines as in the file and skipping blank ones", async () => {
    const text = [JSON.stringify(ok), "", "{broken", JSON.stringify(ok), "   ", JSON.stringify({ messages: [{ role: "user", content: "x" }] })].join("\r\n");
    const r = await parseDataset(Readable.from([Buffer.from("\uFEFF" + text)]));
    assert.equal(r.examples.length, 2);
    assert.deepEqual(r.examples.map((e) => e.line), [1, 4]);
    assert.deepEqual(r.problems.map((p) => p.line), [3, 6]);
    assert.equal(r.lines, 4);
    assert.equal(problemsText(r.problems, 12, 1), "line 3: " + r.problems[0].message + "; and 11 more problems");
  });
});

describe("fine-tuning job parameters", () => {
  const refused = (body: unknown) => {
    try {
      parseCreateJob(body);
    } catch (err) {
      assert.ok(err instanceof OpenAIError);
      return { status: err.status, param: err.param, message: err.message };
    }
    assert.fail("expected a refusal");
  };

  it("validates like OpenAI, naming the parameter", () => {
    assert.equal(refused({ training_file: "file-x" }).param, "model");
    assert.equal(refused({ model: "m" }).param, "training_file");
    assert.equal(refused({ model: "m", training_file: 3 }).param, "training_file");
    assert.equal(refused({ model: "m", training_file: "f", bogus: 1 }).param, "bogus");
    assert.equal(refused({ model: "m", training_file: "f", hyperparameters: { n_epochs: 0 } }).param, "hyperparameters.n_epochs");
    assert.equal(refused({ model: "m", training_file: "f", hyperparameters: { batch_size: 1.5 } }).param, "hyperparameters.batch_size");
    assert.equal(refused({ model: "m", training_file: "f", hyperparameters: { learning_rate_multiplier: -1 } }).param, "hyperparameters.learning_rate_multiplier");
    assert.equal(refused({ model: "m", training_file: "f", hyperparameters: { warmup: 3 } }).param, "hyperparameters.warmup");
    assert.equal(refused({ model: "m", training_file: "f", method: { type: "dpo" } }).param, "method.type");
    assert.equal(refused({ model: "m", training_file: "f", hyperparameters: {}, method: { type: "supervised" } }).param, "hyperparameters");
    assert.equal(refused({ model: "m", training_file: "f", suffix: "a:b" }).param, "suffix");
    assert.equal(refused({ model: "m", training_file: "f", suffix: "x".repeat(65) }).param, "suffix");
    assert.equal(refused({ model: "m", training_file: "f", seed: -1 }).param, "seed");
    assert.equal(refused({ model: "m", training_file: "f", metadata: { a: 1 } }).param, "metadata.a");
    assert.equal(refused([]).status, 400);
  });

  it("takes hyperparameters from either form and draws a seed when none is given", () => {
    const a = parseCreateJob({ model: "m", training_file: "f", hyperparameters: { n_epochs: 2, batch_size: "auto" } });
    assert.deepEqual(a.hyperparameters, { n_epochs: 2, batch_size: "auto", learning_rate_multiplier: "auto" });
    assert.ok(Number.isInteger(a.seed) && a.seed >= 0);
    const b = parseCreateJob({ model: "m", training_file: "f", seed: 5, method: { type: "supervised", supervised: { hyperparameters: { learning_rate_multiplier: 0.5 } } } });
    assert.deepEqual(b.hyperparameters, { n_epochs: "auto", batch_size: "auto", learning_rate_multiplier: 0.5 });
    assert.equal(b.seed, 5);
  });

  it("resolves auto from the number of examples", () => {
    assert.deepEqual(resolveHyperparameters({ n_epochs: "auto", batch_size: "auto", learning_rate_multiplier: "auto" }, 10), { n_epochs: 10, batch_size: 1, learning_rate_multiplier: 2 });
    assert.equal(resolveHyperparameters({ n_epochs: "auto", batch_size: "auto", learning_rate_multiplier: "auto" }, 500).n_epochs, 3);
    assert.equal(resolveHyperparameters({ n_epochs: "auto", batch_size: "auto", learning_rate_multiplier: "auto" }, 50_000).n_epochs, 1);
    assert.equal(resolveHyperparameters({ n_epochs: "auto", batch_size: "auto", learning_rate_multiplier: "auto" }, 5_000).batch_size, 10);
    assert.deepEqual(resolveHyperparameters({ n_epochs: 4, batch_size: 2, learning_rate_multiplier: 0.3 }, 10), { n_epochs: 4, batch_size: 2, learning_rate_multiplier: 0.3 });
  });

  it("names fine-tuned models like OpenAI: ft:base:org:suffix:id", () => {
    assert.equal(orgSlug("Acme, Inc."), "acme-inc");
    assert.equal(orgSlug("***"), "org");
    assert.equal(fineTunedModelName("stories260K", "Acme, Inc.", "cats", "ftjob-abcdefghijklmnop12345678"), "ft:stories260K:acme-inc:cats:12345678");
    assert.equal(fineTunedModelName("ft:stories260K:acme:cats:12345678", "Acme", null, "ftjob-xxxxxxxxxxxxxxxxAAAAAAAA"), "ft:stories260K:acme::AAAAAAAA");
    assert.equal(baseNameOf("gpt-4o-mini"), "gpt-4o-mini");
  });
});
