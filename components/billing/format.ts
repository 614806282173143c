// Display rules for the billing pages. Pure (server and client alike): amounts stay bigint
// micro-dollars until they become text, and dates are formatted in UTC so the server and every
// viewer agree (budgets and statements run on UTC months).

import { formatUsd } from "@/lib/billing/money";

export { formatUsd };

export const KIND_LABELS: Record<string, string> = {
  grant: "Grant",
  topup: "Payment",
  usage: "Usage",
  adjustment: "Adjustment",
  expiry: "Expiry",
};

export type BadgeTone = "success" | "secondary" | "warning" | "destructive" | "muted" | "outline";

export const KIND_TONES: Record<string, BadgeTone> = {
  grant: "success",
  topup: "success",
  usage: "muted",
  adjustment: "warning",
  expiry: "destructive",
};

/** The ledger filter, in the order it is shown. */
export const LEDGER_FILTERS = [
  { value: "", label: "All" },
  { value: "grant", label: "Grants" },
  { value: "topup", label: "Payments" },
  { value: "usage", label: "Usage" },
  { value: "adjustment", label: "Adjustments" },
  { value: "expiry", label: "Expiries" },
] as const;

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

/** "+$5.00" / "-$0.000123" / "$0.00": the sign is always written, so colour is never the only cue. */
export function signedUsd(micros: bigint): string {
  if (micros > 0n) return `+${formatUsd(micros)}`;
  return formatUsd(micros);
}

export function amountTone(micros: bigint): "positive" | "negative" | "zero" {
  return micros > 0n ? "positive" : micros < 0n ? "negative" : "zero";
}

// ---- dates (UTC) ----

const dateFormat = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", year: "numeric", month: "short", day: "numeric" });
const timeFormat = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const monthFormat = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", year: "numeric", month: "long" });

/** "Mar 5, 2026". */
export function utcDate(d: Date): string {
  return dateFormat.format(d);
}

/** "Mar 5, 2026, 14:03 UTC". */
export function utcDateTime(d: Date): string {
  return `${dateFormat.format(d)}, ${timeFormat.format(d)} UTC`;
}

/** "Mar 5, 2026, 14:00–15:00 UTC": the hour a usage charge covers. */
export function utcHourRange(hour: Date): string {
  const end = new Date(hour.getTime() + 3_600_000);
  return `${dateFormat.format(hour)}, ${timeFormat.format(hour)}–${timeFormat.format(end).replace(/^00:00$/, "24:00")} UTC`;
}

/** "2026-03" → "March 2026"; anything else is returned as given. */
export function monthLabel(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return month;
  return monthFormat.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)));
}

/** The last day of a month, from its (exclusive) end. */
export function lastDayOf(end: Date): Date {
  return new Date(end.getTime() - 86_400_000);
}

// ---- balance ----

/** Below this the balance is shown as running low (amber). */
export const LOW_BALANCE_MICROS = 1_000_000n;

export type BalanceState = "empty" | "low" | "ok";

/**
 * Empty at or below zero (the API refuses requests when credit is enforced); low below $1, or
 * below the auto-recharge threshold when one is set.
 */
export function balanceState(availableMicros: bigint, rechargeThresholdMicros: bigint | null = null): BalanceState {
  if (availableMicros <= 0n) return "empty";
  const low = rechargeThresholdMicros !== null && rechargeThresholdMicros > LOW_BALANCE_MICROS ? rechargeThresholdMicros : LOW_BALANCE_MICROS;
  return availableMicros < low ? "low" : "ok";
}

// ---- budgets ----

export type PriceRow = { capabilities: readonly string[]; inputPriceMicros: number | null; outputPriceMicros: number | null };

/** Tokens in and out of the "typical request" a budget should still leave room for. */
export const TYPICAL_REQUEST_TOKENS = { input: 1_000, output: 1_000 } as const;
/** Used when no chat model has a price. */
export const FALLBACK_TYPICAL_REQUEST_MICROS = 100n;

/**
 * What a typical request costs at most: 1,000 input and 1,000 output tokens on the cheapest
 * priced chat model, rounded up like the API's reservations. A cap with less than this left
 * refuses practically every request, so it is shown as reached.
 */
export function typicalRequestMicros(models: readonly PriceRow[]): bigint {
  let best: bigint | null = null;
  for (const m of models) {
    if (!m.capabilities.includes("chat") || m.inputPriceMicros === null || m.outputPriceMicros === null) continue;
    const scaled = BigInt(TYPICAL_REQUEST_TOKENS.input) * BigInt(m.inputPriceMicros) + BigInt(TYPICAL_REQUEST_TOKENS.output) * BigInt(m.outputPriceMicros);
    const cost = (scaled + 999_999n) / 1_000_000n;
    if (cost > 0n && (best === null || cost < best)) best = cost;
  }
  return best ?? FALLBACK_TYPICAL_REQUEST_MICROS;
}

export type BudgetState = "none" | "ok" | "alert" | "reached";

export function budgetState(b: { capMicros: bigint | null; alertMicros: bigint | null; spentMicros: bigint }, typicalMicros: bigint): BudgetState {
  if (b.capMicros === null && b.alertMicros === null) return "none";
  if (b.capMicros !== null && (b.spentMicros >= b.capMicros || b.capMicros - b.spentMicros < typicalMicros)) return "reached";
  if (b.alertMicros !== null && b.spentMicros >= b.alertMicros) return "alert";
  return "ok";
}

/** Spend as a share of the cap, 0–100 with one decimal, computed on integers. */
export function percentOf(spent: bigint, cap: bigint | null): number | null {
  if (cap === null) return null;
  if (cap <= 0n) return spent > 0n ? 100 : 0;
  const tenths = (spent * 1000n) / cap;
  return Math.min(1000, Number(tenths)) / 10;
}

// ---- prices (Int micro-dollars per 1M tokens) ----

/**
 * A per-1M price as dollars per 1K tokens, exactly: 50000 → "$0.00005", 1500 → "$0.0000015".
 * At least two decimals, never rounded (a thousandth of a micro-dollar is the finest unit).
 */
export function perThousand(micros: number): string {
  // Dollars per 1K = micros / 10^9; split on integers so no float rounding creeps in.
  const whole = Math.floor(micros / 1_000_000_000);
  let frac = String(micros % 1_000_000_000).padStart(9, "0").replace(/0+$/, "");
  if (frac.length < 2) frac = frac.padEnd(2, "0");
  return `$${whole.toLocaleString("en-US")}.${frac}`;
}
