import { z } from "zod";
import { invalid } from "@/lib/errors";
import { parseDollars } from "./money";

// Field schemas shared by the admin and project-limit services. Services parse their own
// input (console forms send strings), so a service called from anywhere validates the same way.

/** Parses `input` or throws an "invalid" ServiceError with one message per field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const fieldErrors: Record<string, string> = {};
  for (const issue of r.error.issues) fieldErrors[issue.path.join(".") || "form"] ??= issue.message;
  throw invalid(Object.values(fieldErrors)[0] ?? "Check the form and try again.", fieldErrors);
}

/** A dollar amount per 1M tokens → integer micro-dollars; blank → null (not priced). */
export const priceField = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v, ctx) => {
    const r = parseDollars(v);
    if (!r.ok) {
      ctx.addIssue({ code: "custom", message: r.error });
      return z.NEVER;
    }
    return r.micros;
  });

/** The largest limit we store: the columns are 32-bit integers. */
export const MAX_LIMIT = 2_000_000_000;

/** A requests/tokens limit: blank → null (unlimited), else a whole number ≥ 1 ("10,000" is fine). */
export const limitField = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v, ctx) => {
    if (v === null || v === undefined) return null;
    const s = String(v).trim().replace(/[,_\s]/g, "");
    if (s === "") return null;
    if (!/^\d+$/.test(s)) {
      ctx.addIssue({ code: "custom", message: "Enter a whole number, or leave blank for no limit" });
      return z.NEVER;
    }
    const n = Number(s);
    if (n < 1) {
      ctx.addIssue({ code: "custom", message: "Enter at least 1, or leave blank for no limit" });
      return z.NEVER;
    }
    if (n > MAX_LIMIT) {
      ctx.addIssue({ code: "custom", message: "Enter at most 2,000,000,000" });
      return z.NEVER;
    }
    return n;
  });

export const MODEL_CAPABILITIES = ["chat", "embeddings", "tools", "json_schema", "vision"] as const;
export type Capability = (typeof MODEL_CAPABILITIES)[number];

/** Checkbox groups arrive as nothing, one string, or an array of strings. */
export const stringList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter(Boolean));

export const capabilitiesField = stringList.transform((caps, ctx) => {
  const unknown = caps.filter((c) => !(MODEL_CAPABILITIES as readonly string[]).includes(c));
  if (unknown.length) {
    ctx.addIssue({ code: "custom", message: `Unknown capability: ${unknown[0].slice(0, 40)}` });
    return z.NEVER;
  }
  if (caps.length === 0) {
    ctx.addIssue({ code: "custom", message: "Choose at least one capability" });
    return z.NEVER;
  }
  return MODEL_CAPABILITIES.filter((c) => caps.includes(c));
});

/** HTML checkboxes: present ("on", "true") or absent. Booleans pass through for direct calls. */
export const checkboxField = z
  .union([z.boolean(), z.string()])
  .optional()
  .transform((v) => v === true || v === "on" || v === "true" || v === "1");

/**
 * A public model id, as clients send it in `model`. Letters, digits and . _ : / - (upstream
 * ids like "org/model" stay usable); "*" is reserved for the tier defaults.
 */
export const modelIdField = z
  .string({ error: "Enter a model ID" })
  .trim()
  .min(1, "Enter a model ID")
  .max(128, "Use at most 128 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, "Use letters, digits and . _ : / - (starting with a letter or digit)");

export const contextWindowField = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === "number" ? v : Number(v.trim().replace(/[,_\s]/g, "") || NaN)))
  .pipe(
    z
      .number({ error: "Enter the context window in tokens" })
      .int("Enter a whole number of tokens")
      .min(16, "Enter at least 16 tokens")
      .max(100_000_000, "Enter at most 100,000,000 tokens"),
  );

/** An identifier of a row (cuid, model id), as hidden form fields send it. */
export const rowId = z.string({ error: "Missing identifier" }).trim().min(1, "Missing identifier").max(200, "Invalid identifier");

/**
 * What a console action hands to an admin service: the submitted fields, unvalidated. The
 * service parses them with its own schema (after checking the caller may act at all).
 */
export const formInput = z.record(z.string(), z.unknown(), { error: "Check the form and try again." });
