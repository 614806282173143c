import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chartRows, countDefined, mergeMetrics } from "@/components/fine-tuning/prepare";
import { formatDuration, jobDuration } from "@/components/fine-tuning/format";
import type { MetricPoint } from "@/components/fine-tuning/types";

const point = (step: number, trainLoss: number, validLoss: number | null = null): MetricPoint => ({
  step, totalSteps: 10, epoch: 1, trainLoss, trainAccuracy: 0.5, validLoss, validAccuracy: validLoss === null ? null : 0.4, tokens: 100, elapsedMs: step * 10,
});

describe("fine-tuning charts", () => {
  it("appends newly fetched points in order", () => {
    const merged = mergeMetrics([point(1, 3), point(2, 2.5)], [point(3, 2), point(4, 1.5)]);
    assert.deepEqual(merged.map((p) => p.step), [1, 2, 3, 4]);
    assert.equal(mergeMetrics(merged, []), merged);
  });

  it("a step sent again (a resumed job) replaces the points from that step on", () => {
    const merged = mergeMetrics([point(1, 3), point(2, 2.5), point(3, 2), point(4, 1.9)], [point(3, 2.1), point(4, 1.8), point(5, 1.6)]);
    assert.deepEqual(merged.map((p) => [p.step, p.trainLoss]), [[1, 3], [2, 2.5], [3, 2.1], [4, 1.8], [5, 1.6]]);
  });

  it("rows carry the events' values only: no validation value is invented between evaluations", () => {
    const rows = chartRows([point(1, 3, 3.2), point(2, 2.5), point(3, 2, 2.4)]);
    assert.deepEqual(rows.map((r) => r.validLoss), [3.2, null, 2.4]);
    assert.equal(countDefined(rows, "trainLoss"), 3);
    assert.equal(countDefined(rows, "validLoss"), 2);
  });

  it("durations", () => {
    assert.equal(formatDuration(6_300), "6.3s");
    assert.equal(formatDuration(65_000), "1m 5s");
    assert.equal(formatDuration(7_380_000), "2h 3m");
    assert.equal(formatDuration(null), "—");
    assert.equal(jobDuration({ createdAt: 0, startedAt: 1_000, finishedAt: 19_000 }, null), 18_000);
    assert.equal(jobDuration({ createdAt: 0, startedAt: 1_000, finishedAt: null }, null), null);
    assert.equal(jobDuration({ createdAt: 0, startedAt: null, finishedAt: null }, 5_000), 5_000);
  });
});
