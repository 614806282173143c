// Prices are stored as integer micro-dollars per 1M tokens ($0.15 = 150000) and typed by
// admins in dollars. The conversion works on the decimal string itself, never through a
// float, so every price an admin can type is stored exactly. Pure: the console formats with it too.

export const MICROS_PER_DOLLAR = 1_000_000;
/**
 * The highest price per 1M tokens accepted: $2,000. Prices live in 32-bit integer columns
 * (at most $2,147.48 in micro-dollars); $2,000 is a round ceiling well above any list price.
 */
export const MAX_PRICE_DOLLARS = 2_000;
export const MAX_PRICE_MICROS = MAX_PRICE_DOLLARS * MICROS_PER_DOLLAR;

export type ParsedPrice = { ok: true; micros: number | null } | { ok: false; error: string };

/**
 * "$0.15", "0.15", "30", "1,250.5" → micro-dollars; "" → null (not priced). Refuses negative
 * amounts, more than 6 decimal places (below one micro-dollar) and more than MAX_PRICE_DOLLARS.
 */
export function parseDollars(input: string | number | null | undefined): ParsedPrice {
  if (input === null || input === undefined) return { ok: true, micros: null };
  let s = String(input).trim();
  if (s === "") return { ok: true, micros: null };
  if (s.startsWith("-")) return { ok: false, error: "Enter a price of $0 or more" };
  s = s.replace(/^\$/, "").replace(/,/g, "").trim();
  const m = /^(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[1] === "" && !m[2])) return { ok: false, error: "Enter a price in dollars, e.g. 0.15" };
  const whole = m[1] || "0";
  const frac = m[2] ?? "";
  if (frac.length > 6) return { ok: false, error: "Use at most 6 decimal places ($0.000001)" };
  const tooHigh = `Enter at most $${MAX_PRICE_DOLLARS.toLocaleString("en-US")} per 1M tokens`;
  // Compare lengths first: a huge whole part must not go through Number.
  if (whole.replace(/^0+/, "").length > 6) return { ok: false, error: tooHigh };
  const micros = Number(whole) * MICROS_PER_DOLLAR + Number(frac.padEnd(6, "0"));
  if (micros > MAX_PRICE_MICROS) return { ok: false, error: tooHigh };
  return { ok: true, micros };
}

/** 150000 → "0.15", 30000000 → "30.00", 75000 → "0.075": at least 2 decimals, no trailing zeros beyond. */
export function microsToDollars(micros: number): string {
  const whole = Math.floor(micros / MICROS_PER_DOLLAR);
  let frac = String(micros % MICROS_PER_DOLLAR).padStart(6, "0").replace(/0+$/, "");
  if (frac.length < 2) frac = frac.padEnd(2, "0");
  return `${whole.toLocaleString("en-US")}.${frac}`;
}

/** "$0.15", or null for an unpriced value. */
export function formatPrice(micros: number | null): string | null {
  return micros === null ? null : `$${microsToDollars(micros)}`;
}

/** The value to put back into a price input (no thousands separators). */
export function priceInputValue(micros: number | null): string {
  return micros === null ? "" : microsToDollars(micros).replace(/,/g, "");
}
