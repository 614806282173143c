import type { PlaygroundModel } from "@/lib/playground/models";

// Display rules for models, stats and rate-limit resets.

export const num = (n: number) => n.toLocaleString("en-US");

/** "$0.15" / "$2.50" / "$0.075": dollars per 1M tokens, at least two decimals. */
export function formatPrice(dollars: number | null): string {
  if (dollars === null) return "—";
  const s = dollars.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 6 });
  return `$${s}`;
}

/** A run's cost: small amounts keep their significant digits ("$0.0000123"). */
export function formatCost(nanos: number | null): string {
  if (nanos === null) return "—";
  const dollars = nanos / 1e9;
  if (dollars === 0) return "$0";
  if (dollars >= 0.01) return `$${dollars.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 4 })}`;
  return `$${dollars.toPrecision(3).replace(/0+$/, "").replace(/\.$/, "")}`;
}

export function formatContext(tokens: number | null): string {
  if (tokens === null) return "context unknown";
  if (tokens >= 1000 && tokens % 1000 === 0) return `${num(tokens / 1000)}K context`;
  if (tokens >= 1024 && tokens % 1024 === 0) return `${num(tokens / 1024)}K context`;
  return `${num(tokens)} context`;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return "—";
  return ms < 10_000 ? `${num(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** One line per model in the picker: id · context · in/out price. */
export function modelOptionLabel(m: PlaygroundModel): string {
  const parts = [m.id, formatContext(m.contextWindow)];
  if (m.inputPricePerMTok !== null || m.outputPricePerMTok !== null) {
    parts.push(`${formatPrice(m.inputPricePerMTok)} / ${formatPrice(m.outputPricePerMTok)} per 1M`);
  }
  return parts.join(" · ");
}

export const CAPABILITY_LABELS: Record<string, string> = {
  chat: "Chat",
  tools: "Tools",
  json_schema: "JSON schema",
  vision: "Vision",
  embeddings: "Embeddings",
};

/**
 * Seconds until a rate limit resets, from `retry-after` (seconds or an HTTP date) or OpenAI's
 * `x-ratelimit-reset-*` durations ("1s", "6m0s", "20ms", "1h2m3.5s").
 */
export function parseResetSeconds(value: string | null | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let matched = "";
  for (let m = re.exec(v); m; m = re.exec(v)) {
    total += Number(m[1]) * units[m[2]];
    matched += m[0];
  }
  if (matched && matched === v) return total;
  const date = Date.parse(v);
  if (!Number.isNaN(date)) return Math.max(0, (date - now) / 1000);
  return null;
}

export function formatSeconds(s: number): string {
  if (s < 1) return `${Math.max(1, Math.round(s * 1000))} ms`;
  if (s < 60) return `${Math.ceil(s)} s`;
  const m = Math.floor(s / 60);
  const rest = Math.ceil(s - m * 60);
  return rest ? `${m} min ${rest} s` : `${m} min`;
}
