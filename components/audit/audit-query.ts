import { z } from "zod";

// The audit log's URL filters. Anything a user can type into the address bar is validated here;
// problems become messages on the page, never errors.

export type AuditSearchParams = Record<string, string | string[] | undefined>;

export type AuditQueryValues = { action: string; actor: string; from: string; to: string; cursor: string };

export type AuditQuery = {
  action?: string;
  actor?: string;
  from?: string;
  to?: string;
  cursor?: string;
};

const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

function isRealDate(s: string) {
  const d = new Date(`${s}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const dateField = (label: string) =>
  z.preprocess(
    blank,
    z
      .string()
      .trim()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { message: `${label} must be a date like 2025-01-31.`, abort: true })
      .refine(isRealDate, `${label} is not a real date.`)
      .optional(),
  );

function schemaFor(actionValues: ReadonlySet<string>) {
  return z
    .object({
      action: z.preprocess(
        (v) => (blank(v) === undefined || v === "all" ? undefined : v),
        z.string().refine((v) => actionValues.has(v), "Unknown action. Choose one from the list.").optional(),
      ),
      actor: z.preprocess(blank, z.string().trim().max(254, "The actor filter can be at most 254 characters.").optional()),
      from: dateField("“From”"),
      to: dateField("“To”"),
      cursor: z.preprocess(
        blank,
        z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,64}$/, "This page link is not valid. Start again from the newest events.")
          .optional(),
      ),
    })
    .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "“From” must be on or before “To”.", path: ["to"] });
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

export type ParsedAuditQuery =
  | { ok: true; query: AuditQuery; values: AuditQueryValues }
  | { ok: false; errors: string[]; invalid: Set<string>; values: AuditQueryValues };

/** `actionValues`: every action and group prefix ("member.") the filter accepts. */
export function parseAuditQuery(sp: AuditSearchParams, actionValues: ReadonlySet<string>): ParsedAuditQuery {
  const values: AuditQueryValues = {
    action: first(sp.action).slice(0, 100),
    actor: first(sp.actor).slice(0, 300),
    from: first(sp.from).slice(0, 40),
    to: first(sp.to).slice(0, 40),
    cursor: first(sp.cursor).slice(0, 100),
  };
  const parsed = schemaFor(actionValues).safeParse(values);
  if (parsed.success) return { ok: true, query: parsed.data, values };
  const errors = [...new Set(parsed.error.issues.map((i) => i.message))];
  const invalid = new Set(parsed.error.issues.map((i) => String(i.path[0] ?? "")));
  return { ok: false, errors, invalid, values };
}

/** UTC day bounds: `from` inclusive, `to` inclusive of the whole day. */
export function dayRange(q: AuditQuery): { from?: Date; to?: Date } {
  const from = q.from ? new Date(`${q.from}T00:00:00.000Z`) : undefined;
  const to = q.to ? new Date(Date.parse(`${q.to}T00:00:00.000Z`) + 24 * 3600 * 1000) : undefined;
  return { from, to };
}

/** A link to the log with these filters (blank ones left out). */
export function auditHref(basePath: string, q: Partial<AuditQueryValues>): string {
  const params = new URLSearchParams();
  for (const key of ["action", "actor", "from", "to", "cursor"] as const) {
    const v = q[key];
    if (v) params.set(key, v);
  }
  const s = params.toString();
  return s ? `${basePath}?${s}` : basePath;
}
