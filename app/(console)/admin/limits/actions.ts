"use server";

import { revalidatePath } from "next/cache";
import { runAction, type ActionResult, type ActionState } from "@/lib/actions";
import { formInput } from "@/lib/admin/validation";
import { removeTierLimit, setOrgTier, setTierLimit, type LimitsInput } from "@/lib/admin/limits";
import { setTierRequirement, type setTierRequirementSchema } from "@/lib/billing/settings";
import type { z } from "zod";

// The services check that the caller is an instance administrator and validate the input.

const LIMITS_PATH = "/admin/limits";

export async function setTierLimitAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(formInput, form, async (actor, d) => {
    await setTierLimit(actor, d as LimitsInput<"set">);
    revalidatePath(LIMITS_PATH);
    return { ok: true, message: "Tier limits saved" };
  });
}

export async function removeTierLimitAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(formInput, form, async (actor, d) => {
    await removeTierLimit(actor, d as LimitsInput<"remove">);
    revalidatePath(LIMITS_PATH);
    return { ok: true, message: "The model now uses the tier default" };
  });
}

/** Called from the organization's tier select with a plain object. */
export async function setOrgTierAction(input: { orgId: string; tier: string }): Promise<ActionResult> {
  return runAction(formInput, input, async (actor, d) => {
    const changed = await setOrgTier(actor, d as LimitsInput<"orgTier">);
    revalidatePath(LIMITS_PATH);
    return { ok: true, message: changed ? `${changed.name} moved to tier ${changed.to}` : "Tier unchanged" };
  });
}

/** What a tier needs to be reached automatically: amount paid (dollars) and days since the first payment. */
export async function setTierRequirementAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(formInput, form, async (actor, d) => {
    await setTierRequirement(actor, d as z.input<typeof setTierRequirementSchema>);
    revalidatePath(LIMITS_PATH);
    // Organizations' Limits pages show the requirements too.
    revalidatePath("/orgs/[orgId]/limits", "page");
    return { ok: true, message: `Tier ${Number(d.tier)} requirements saved` };
  });
}
