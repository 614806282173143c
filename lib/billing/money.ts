// Credit amounts: integer micro-dollars held in bigint, typed by people in dollars. Parsing
// works on the decimal string (never through a float), so every amount typed is kept exactly.
// Pure: the console formats with it too.

export const MICROS = 1_000_000n;
/** The largest single credit amount accepted: $10,000,000. */
export const MAX_AMOUNT_MICROS = 10_000_000n * MICROS;

export type ParsedAmount = { ok: true; micros: bigint | null } | { ok: false; error: string };

/**
 * "$5", "5.25", "1,250.000001", "-3" (when negative amounts are allowed) → micro-dollars;
 * "" → null. At most 6 decimal places; at most MAX_AMOUNT_MICROS either way.
 */
export function parseAmount(input: unknown, opts: { allowNegative?: boolean; allowZero?: boolean } = {}): ParsedAmount {
  if (input === null || input === undefined) return { ok: true, micros: null };
  let s = String(input).trim();
  if (s === "") return { ok: true, micros: null };
  let negative = false;
  if (s.startsWith("-")) {
    if (!opts.allowNegative) return { ok: false, error: "Enter an amount of $0 or more" };
    negative = true;
    s = s.slice(1).trim();
  }
  s = s.replace(/^\$/, "").replace(/[,_\s]/g, "");
  const m = /^(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[1] === "" && !m[2])) return { ok: false, error: "Enter an amount in dollars, e.g. 25 or 0.50" };
  const whole = (m[1] || "0").replace(/^0+(?=\d)/, "");
  const frac = m[2] ?? "";
  if (frac.length > 6) return { ok: false, error: "Use at most 6 decimal places ($0.000001)" };
  const tooLarge = `Enter at most ${formatUsd(MAX_AMOUNT_MICROS)}`;
  if (whole.length > 9) return { ok: false, error: tooLarge };
  const micros = BigInt(whole) * MICROS + BigInt(frac.padEnd(6, "0"));
  if (micros > MAX_AMOUNT_MICROS) return { ok: false, error: tooLarge };
  if (micros === 0n && !opts.allowZero) return { ok: false, error: "Enter an amount above $0" };
  return { ok: true, micros: negative ? -micros : micros };
}

/**
 * "$5.00", "-$0.000123", "$1,250.50": cents always shown, micro-dollars only when present
 * (so tiny charges never read as $0.00).
 */
export function formatUsd(micros: bigint | number | string): string {
  let m = BigInt(micros);
  const sign = m < 0n ? "-" : "";
  if (m < 0n) m = -m;
  const whole = (m / MICROS).toLocaleString("en-US");
  let frac = (m % MICROS).toString().padStart(6, "0").replace(/0+$/, "");
  if (frac.length < 2) frac = frac.padEnd(2, "0");
  return `${sign}$${whole}.${frac}`;
}

/** The value to put back into an amount input: "5.25", no separators. */
export function amountInputValue(micros: bigint | number | null | undefined): string {
  return micros === null || micros === undefined ? "" : formatUsd(micros).replace(/[$,]/g, "");
}

/** The month ("YYYY-MM", UTC) a moment falls in, and its bounds. Budgets and statements run on UTC months. */
export function utcMonth(at: Date): { month: string; start: Date; end: Date } {
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const end = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  return { month: `${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, "0")}`, start, end };
}

/** "2026-12" → its UTC bounds; null for anything else. */
export function parseMonth(month: unknown): { month: string; start: Date; end: Date } | null {
  if (typeof month !== "string" || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return null;
  const [y, mo] = month.split("-").map(Number);
  if (y < 2000 || y > 2999) return null;
  return utcMonth(new Date(Date.UTC(y, mo - 1, 1)));
}
