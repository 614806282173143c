import assert from "node:assert/strict";
import { it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { settleWithin } from "@/lib/settle-within";

it("settleWithin: true for a promise that resolves or rejects in time, false for one that does not", async () => {
  assert.equal(await settleWithin(sleep(5), 2000), true);
  assert.equal(await settleWithin(Promise.reject(new Error("boom")), 2000), true);
  const started = Date.now();
  assert.equal(await settleWithin(new Promise(() => {}), 50), false);
  assert.ok(Date.now() - started >= 45, "waited for the bound");
});
