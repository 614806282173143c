import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readAhead } from "@/lib/gateway/read-ahead";

const tick = () => new Promise((r) => setTimeout(r, 1));

describe("readAhead", () => {
  it("yields everything in order, then stays done", async () => {
    async function* source() {
      for (let i = 0; i < 5; i++) yield i;
    }
    const it = readAhead(source());
    const seen: number[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) seen.push(r.value);
    assert.deepEqual(seen, [0, 1, 2, 3, 4]);
    assert.equal((await it.next()).done, true);
  });

  it("keeps producing while the consumer is busy, up to its bound", async () => {
    let produced = 0;
    async function* source() {
      for (let i = 0; i < 100; i++) {
        produced++;
        yield i;
      }
    }
    const it = readAhead(source(), 10);
    await it.next();
    for (let i = 0; i < 20; i++) await tick();
    // One handed out, ten waiting, and the producer stopped there.
    assert.ok(produced >= 10 && produced <= 12, `produced ${produced}`);
  });

  it("passes on the source's error after the events before it", async () => {
    async function* source() {
      yield 1;
      throw new Error("boom");
    }
    const it = readAhead(source());
    assert.deepEqual(await it.next(), { done: false, value: 1 });
    await assert.rejects(it.next(), /boom/);
  });

  it("return() stops the source and runs its cleanup", async () => {
    let cleaned = false;
    async function* source() {
      try {
        for (let i = 0; ; i++) {
          await tick();
          yield i;
        }
      } finally {
        cleaned = true;
      }
    }
    const it = readAhead(source(), 4);
    await it.next();
    await it.return!();
    assert.equal(cleaned, true);
  });
});
