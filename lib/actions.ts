import "server-only";
import crypto from "node:crypto";
import { z } from "zod";
import { getCurrentUser } from "@/lib/auth/session";
import type { Actor } from "@/lib/auth/access";
import { ServiceError } from "@/lib/errors";
import { log } from "@/lib/log";

// Console server actions all return this: forms show `error` and `fieldErrors`, and toast
// `message` on success. Nothing a user submits can produce a 500.
export type ActionResult<T = undefined> =
  | { ok: true; message?: string; data?: T }
  | { ok: false; error: string; fieldErrors?: Record<string, string> };

export type ActionState<T = undefined> = ActionResult<T> | null;

/** First message per field, keyed by the dotted path. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "form";
    out[key] ??= issue.message;
  }
  return out;
}

/** FormData to a plain object; repeated names become arrays. */
export function formToObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of form.entries()) {
    if (typeof v !== "string") continue;
    if (k in out) out[k] = ([] as unknown[]).concat(out[k], v);
    else out[k] = v;
  }
  return out;
}

/**
 * Runs a console mutation for the signed-in user: parses `input` with `schema`, calls `fn`,
 * and maps every failure to an ActionResult.
 */
export async function runAction<S extends z.ZodType, T = undefined>(
  schema: S,
  input: unknown,
  fn: (actor: Actor, data: z.infer<S>) => Promise<ActionResult<T> | void>,
): Promise<ActionResult<T>> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, error: "Your session has ended. Sign in again." };
  const parsed = schema.safeParse(input instanceof FormData ? formToObject(input) : input);
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    return { ok: false, error: Object.values(fieldErrors)[0] ?? "Check the form and try again.", fieldErrors };
  }
  try {
    return (await fn({ userId: user.id }, parsed.data)) ?? { ok: true };
  } catch (err) {
    if (err instanceof ServiceError) return { ok: false, error: err.message, fieldErrors: err.fieldErrors };
    // Next.js signals redirect()/notFound() by throwing; let those through.
    if (err && typeof err === "object" && "digest" in err && String((err as { digest: unknown }).digest).startsWith("NEXT_")) throw err;
    const errorId = crypto.randomUUID();
    log.error("console action failed", { errorId, error: (err as Error)?.message, stack: (err as Error)?.stack });
    return { ok: false, error: `Something went wrong on our side (error ${errorId.slice(0, 8)}). Try again.` };
  }
}

/** Common field schemas for console forms. */
export const id = z.string({ error: "Missing identifier" }).trim().min(1, "Missing identifier").max(64, "Invalid identifier");
