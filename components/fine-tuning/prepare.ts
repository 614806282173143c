import type { MetricPoint } from "./types";

// The charts' data, prepared without Recharts: the metrics events as they arrive, nothing
// interpolated or made up. Pure, so the page and tests can share it.

/**
 * Appends newly fetched metric points. A step that comes again (a job resumed from its last
 * checkpoint trains the later steps again) replaces what was shown from that step on.
 */
export function mergeMetrics(prev: readonly MetricPoint[], incoming: readonly MetricPoint[]): MetricPoint[] {
  if (!incoming.length) return prev as MetricPoint[];
  let out = [...prev];
  for (const p of incoming) {
    const last = out.at(-1);
    if (last && last.step >= p.step) out = out.filter((x) => x.step < p.step);
    out.push(p);
  }
  return out;
}

export type ChartRow = {
  step: number;
  epoch: number;
  trainLoss: number;
  validLoss: number | null;
  trainAccuracy: number | null;
  validAccuracy: number | null;
};

export function chartRows(points: readonly MetricPoint[]): ChartRow[] {
  return points.map((p) => ({
    step: p.step,
    epoch: p.epoch,
    trainLoss: p.trainLoss,
    validLoss: p.validLoss,
    trainAccuracy: p.trainAccuracy,
    validAccuracy: p.validAccuracy,
  }));
}

/** Count of points that have a value for `key` (what a line draws). */
export const countDefined = (rows: readonly ChartRow[], key: keyof ChartRow) => rows.reduce((n, r) => (r[key] === null ? n : n + 1), 0);
