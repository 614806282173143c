"use server";

import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { runAction, type ActionResult, type ActionState } from "@/lib/actions";
import { listOrgTiers } from "@/lib/admin/limits";
import { formInput } from "@/lib/admin/validation";
import { postCredit, type postCreditSchema } from "@/lib/billing/ledger";
import { formatUsd } from "@/lib/billing/money";
import { createRedemptionCodes, revokeRedemptionCode, type createCodesSchema } from "@/lib/billing/redemption";
import { updateBillingSettings, type updateBillingSettingsSchema } from "@/lib/billing/settings";
import { utcDate } from "@/components/billing/format";
import type { CreatedCodes, OrgOption } from "@/components/billing/admin-types";

// The services check that the caller is an instance administrator and validate the input.

const PATH = "/admin/billing";

export async function updateBillingSettingsAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(formInput, form, async (actor, d) => {
    await updateBillingSettings(actor, d as z.input<typeof updateBillingSettingsSchema>);
    revalidatePath(PATH);
    return { ok: true, message: "Billing settings saved" };
  });
}

export async function postCreditAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(formInput, form, async (actor, d) => {
    const entry = await postCredit(actor, d as z.input<typeof postCreditSchema>);
    // The API's spend guard keeps a snapshot of each balance: new credit applies to the next
    // request on this instance, not only after the next refresh.
    revalidatePath(PATH);
    revalidatePath(`/orgs/${entry.orgId}/billing`);
    const kind = entry.kind;
    const name = typeof d.orgName === "string" && d.orgName ? d.orgName : "the organization";
    const amount = formatUsd(entry.amountMicros);
    const message =
      kind === "grant" ? `Granted ${amount} to ${name}` : kind === "topup" ? `Payment of ${amount} recorded for ${name}` : `Balance of ${name} adjusted by ${amount}`;
    return { ok: true, message };
  });
}

export async function createCodesAction(_prev: ActionState<CreatedCodes>, form: FormData): Promise<ActionResult<CreatedCodes>> {
  return runAction(formInput, form, async (actor, d) => {
    const r = await createRedemptionCodes(actor, d as z.input<typeof createCodesSchema>);
    revalidatePath(PATH);
    return {
      ok: true,
      message: r.codes.length === 1 ? "Code created" : `${r.codes.length} codes created`,
      data: { codes: r.codes, amount: formatUsd(r.amountMicros), maxRedemptions: r.maxRedemptions, expires: r.expiresAt ? utcDate(r.expiresAt) : null },
    };
  });
}

export async function revokeCodeAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(formInput, form, async (actor, d) => {
    await revokeRedemptionCode(actor, { codeId: d.codeId });
    revalidatePath(PATH);
    return { ok: true, message: "Code revoked: it can no longer be redeemed" };
  });
}

/** The organization picker's search (name, id or owner email). */
export async function searchOrgsAction(input: { query: string }): Promise<ActionResult<{ orgs: OrgOption[]; total: number }>> {
  return runAction(formInput, input, async (actor, d) => {
    const r = await listOrgTiers(actor, { query: typeof d.query === "string" ? d.query : "" });
    return { ok: true, data: { orgs: r.orgs.map((o) => ({ id: o.id, name: o.name, owner: o.owner })), total: r.total } };
  });
}
