"use server";

import { headers } from "next/headers";
import { z } from "zod";
import { emailSchema, passwordSchema } from "@/lib/auth/validation";
import { getConfig } from "@/lib/config";
import { createUserWithPassword } from "@/lib/users/create-user";
import { fieldErrorsOf, formToObject, type ActionResult, type ActionState } from "@/lib/actions";
import { ServiceError } from "@/lib/errors";
import { AttemptLimiter, formatWait } from "@/lib/limits/attempt-limiter";
import { log } from "@/lib/log";

const signUpSchema = z.object({
  name: z.string().trim().max(80, "Name must be at most 80 characters").optional(),
  email: emailSchema,
  password: passwordSchema,
});

const g = globalThis as unknown as { __gatehouseSignUpLimit?: AttemptLimiter };
const signUpLimit = () => (g.__gatehouseSignUpLimit ??= new AttemptLimiter(getConfig().SIGN_UPS_PER_HOUR, 60 * 60_000));

/** Creates an account; the form then signs in with the same credentials. */
export async function signUpAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  const h = await headers();
  const ip = h.get("x-forwarded-for")?.split(",")[0]?.trim() || h.get("x-real-ip") || "unknown";
  const wait = signUpLimit().retryAfter(ip);
  if (wait > 0) return { ok: false, error: `Too many sign-ups from your network. Try again in ${formatWait(wait)}.` };
  const parsed = signUpSchema.safeParse(formToObject(form));
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    return { ok: false, error: "Check the highlighted fields.", fieldErrors };
  }
  signUpLimit().hit(ip);
  try {
    await createUserWithPassword({ ...parsed.data, name: parsed.data.name || undefined });
    return { ok: true };
  } catch (err) {
    if (err instanceof ServiceError) return { ok: false, error: err.message, fieldErrors: err.fieldErrors };
    log.error("sign-up failed", { error: (err as Error).message });
    return { ok: false, error: "Something went wrong on our side. Try again." };
  }
}

