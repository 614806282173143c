import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  balanceState, budgetState, monthLabel, percentOf, perThousand, signedUsd, typicalRequestMicros, utcHourRange,
  FALLBACK_TYPICAL_REQUEST_MICROS,
} from "@/components/billing/format";
import { toLedgerDisplayRow } from "@/components/billing/ledger-rows";
import { sortModels, type PricingModel } from "@/components/billing/pricing";
import type { LedgerRow } from "@/lib/billing/ledger";

// The billing pages' display rules: exact money text from integer micro-dollars, when a budget
// counts as reached, and the pricing page's order.

describe("perThousand (per-1M Int micro-dollars → dollars per 1K tokens, exactly)", () => {
  const table: [number, string][] = [
    [0, "$0.00"],
    [50_000, "$0.00005"], // $0.05 / 1M
    [100_000, "$0.0001"],
    [150_000, "$0.00015"],
    [75_000, "$0.000075"],
    [1_500, "$0.0000015"],
    [1, "$0.000000001"],
    [30_000_000, "$0.03"], // $30 / 1M
    [2_000_000_000, "$2.00"], // the highest price accepted: $2,000 / 1M
    [1_999_999_999, "$1.999999999"],
  ];
  for (const [micros, text] of table) it(`${micros} → ${text}`, () => assert.equal(perThousand(micros), text));
});

describe("signedUsd", () => {
  it("writes the sign of credits and charges, so colour is never the only cue", () => {
    assert.equal(signedUsd(7_250_000n), "+$7.25");
    assert.equal(signedUsd(-12n), "-$0.000012");
    assert.equal(signedUsd(0n), "$0.00");
    assert.equal(signedUsd(1_234_567_890_000n), "+$1,234,567.89");
  });
});

describe("typicalRequestMicros", () => {
  const chat = (input: number | null, output: number | null, capabilities = ["chat"]) => ({ capabilities, inputPriceMicros: input, outputPriceMicros: output });

  it("is 1,000 input and 1,000 output tokens on the cheapest priced chat model, rounded up", () => {
    // stories260K: $0.05 / $0.10 per 1M → 50 + 100 micro-dollars.
    assert.equal(typicalRequestMicros([chat(50_000, 100_000), chat(5_000_000, 15_000_000)]), 150n);
    // $0.0001 / 1M in and out: 0.2 micro-dollars, rounded up like a reservation.
    assert.equal(typicalRequestMicros([chat(100, 100)]), 1n);
  });

  it("ignores embeddings-only, unpriced and free models", () => {
    assert.equal(
      typicalRequestMicros([chat(20_000, null, ["embeddings"]), chat(null, null), chat(50_000, null), chat(0, 0), chat(150_000, 600_000)]),
      750n,
    );
    assert.equal(typicalRequestMicros([]), FALLBACK_TYPICAL_REQUEST_MICROS);
  });
});

describe("budgetState", () => {
  const b = (cap: bigint | null, alert: bigint | null, spent: bigint) => ({ capMicros: cap, alertMicros: alert, spentMicros: spent });
  it("has no state without a budget", () => assert.equal(budgetState(b(null, null, 5n), 150n), "none"));
  it("is reached at the cap, and when less than a typical request is left under it", () => {
    assert.equal(budgetState(b(1_000_000n, null, 1_000_000n), 150n), "reached");
    assert.equal(budgetState(b(1_000_000n, null, 2_000_000n), 150n), "reached");
    assert.equal(budgetState(b(1n, null, 0n), 150n), "reached"); // a $0.000001 cap refuses every request
    assert.equal(budgetState(b(1_000n, null, 851n), 150n), "reached");
    assert.equal(budgetState(b(1_000n, null, 850n), 150n), "ok");
  });
  it("shows the alert once spend reaches its threshold, below a cap not reached", () => {
    assert.equal(budgetState(b(1_000_000n, 500_000n, 499_999n), 150n), "ok");
    assert.equal(budgetState(b(1_000_000n, 500_000n, 500_000n), 150n), "alert");
    assert.equal(budgetState(b(null, 500_000n, 600_000n), 150n), "alert");
  });
});

describe("percentOf", () => {
  it("is computed on integers, to a tenth, capped at 100", () => {
    assert.equal(percentOf(1n, 3n), 33.3);
    assert.equal(percentOf(2n, 3n), 66.6); // truncated, never rounded up to a fuller bar
    assert.equal(percentOf(5n, 1n), 100);
    assert.equal(percentOf(0n, 0n), 0);
    assert.equal(percentOf(5n, null), null);
    assert.equal(percentOf(123_456_789_012_345n, 246_913_578_024_690n), 50);
  });
});

describe("balanceState", () => {
  it("is empty at or below zero, low under $1 or under the auto-recharge threshold", () => {
    assert.equal(balanceState(0n), "empty");
    assert.equal(balanceState(-5n), "empty");
    assert.equal(balanceState(999_999n), "low");
    assert.equal(balanceState(1_000_000n), "ok");
    assert.equal(balanceState(5_000_000n, 10_000_000n), "low");
    assert.equal(balanceState(5_000_000n, 100n), "ok");
  });
});

describe("dates", () => {
  it("are UTC", () => {
    assert.equal(monthLabel("2026-03"), "March 2026");
    assert.equal(monthLabel("nonsense"), "nonsense");
    assert.equal(utcHourRange(new Date("2026-03-05T14:00:00Z")), "Mar 5, 2026, 14:00–15:00 UTC");
    assert.equal(utcHourRange(new Date("2026-03-05T23:00:00Z")), "Mar 5, 2026, 23:00–24:00 UTC");
  });
});

describe("toLedgerDisplayRow", () => {
  const base: LedgerRow = {
    id: "7", kind: "grant", amountMicros: 5_000_000n, description: "Sign-up credit", projectId: null, projectName: null, model: null,
    periodHour: null, expiresAt: new Date("2026-04-01T00:00:00Z"), createdAt: new Date("2026-03-05T14:03:09Z"),
  };
  const now = new Date("2026-03-20T00:00:00Z");

  it("dates usage by the hour it covers and names its project and model", () => {
    const r = toLedgerDisplayRow({ ...base, kind: "usage", amountMicros: -12n, description: "Usage of m", projectId: "p1", projectName: "Web", model: "m", periodHour: new Date("2026-03-05T13:00:00Z"), expiresAt: null }, now);
    assert.equal(r.date, "Mar 5, 2026, 13:00–14:00 UTC");
    assert.equal(r.iso, "2026-03-05T13:00:00.000Z");
    assert.equal(r.amount, "-$0.000012");
    assert.equal(r.amountTone, "negative");
    assert.equal(r.project, "Web");
    assert.equal(r.model, "m");
    assert.equal(r.kindLabel, "Usage");
  });

  it("dates other entries by their posting, with their expiry", () => {
    const r = toLedgerDisplayRow(base, now);
    assert.equal(r.date, "Mar 5, 2026, 14:03 UTC");
    assert.equal(r.amount, "+$5.00");
    assert.deepEqual(r.expires, { label: "Apr 1, 2026", past: false });
    assert.equal(toLedgerDisplayRow(base, new Date("2026-04-02T00:00:00Z")).expires?.past, true);
    assert.equal(toLedgerDisplayRow({ ...base, projectId: "gone" }, now).project, "(deleted project)");
  });
});

describe("sortModels", () => {
  const m = (id: string, input: number | null, output: number | null): PricingModel => ({
    id, provider: "local", capabilities: ["chat"], contextWindow: 512, inputPriceMicros: input, cachedInputPriceMicros: null, outputPriceMicros: output, trainingPriceMicros: null,
  });
  const models = [m("b", 300, null), m("a", 100, 900), m("c", null, 50), m("d", 100, 10)];
  it("sorts by id, or by a price with unpriced models last and ties by id", () => {
    assert.deepEqual(sortModels(models, "id").map((x) => x.id), ["a", "b", "c", "d"]);
    assert.deepEqual(sortModels(models, "input").map((x) => x.id), ["a", "d", "b", "c"]);
    assert.deepEqual(sortModels(models, "output").map((x) => x.id), ["d", "c", "a", "b"]);
  });
});
