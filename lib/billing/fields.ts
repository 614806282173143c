import { z } from "zod";
import { parseAmount } from "./money";

// Form fields of the billing services (console forms send strings; services validate again).

/** A dollar amount → bigint micro-dollars; blank → null. */
export function amountField(opts: { allowNegative?: boolean; allowZero?: boolean } = {}) {
  return z
    .union([z.string(), z.number(), z.bigint(), z.null()])
    .optional()
    .transform((v, ctx) => {
      const r = parseAmount(typeof v === "bigint" ? formatPlain(v) : v, opts);
      if (!r.ok) {
        ctx.addIssue({ code: "custom", message: r.error });
        return z.NEVER;
      }
      return r.micros;
    });
}

function formatPlain(micros: bigint) {
  const neg = micros < 0n;
  const m = neg ? -micros : micros;
  return `${neg ? "-" : ""}${m / 1_000_000n}.${(m % 1_000_000n).toString().padStart(6, "0")}`;
}

/** A whole number of days (0–3650); blank → null. */
export const daysField = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v, ctx) => {
    if (v === null || v === undefined || String(v).trim() === "") return null;
    const s = String(v).trim();
    if (!/^\d+$/.test(s) || Number(s) > 3650) {
      ctx.addIssue({ code: "custom", message: "Enter a whole number of days from 0 to 3,650" });
      return z.NEVER;
    }
    return Number(s);
  });

/** Optional free text, trimmed, at most `max` characters. */
export function noteField(max = 200) {
  return z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim())
    .pipe(z.string().max(max, `Use at most ${max} characters`));
}

/** An on/off form switch: "on"/"true"/true, or "off"/"false"/false/absent; anything else is refused. */
export const switchField = z
  .union([z.literal("on"), z.literal("true"), z.literal(true), z.literal("off"), z.literal("false"), z.literal(false), z.undefined()])
  .transform((v) => v === "on" || v === "true" || v === true);
