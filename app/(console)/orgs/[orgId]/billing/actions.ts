"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runAction, type ActionResult, type ActionState } from "@/lib/actions";
import { formInput } from "@/lib/admin/validation";
import { setAlertWebhook, setBudget, type setBudgetSchema, type webhookSchema } from "@/lib/billing/budgets";
import { listLedger } from "@/lib/billing/ledger";
import { formatUsd } from "@/lib/billing/money";
import { setAutoRecharge, type autoRechargeSchema } from "@/lib/billing/payments";
import { redeemCode, type redeemSchema } from "@/lib/billing/redemption";
import { toLedgerDisplayRow, type LedgerDisplayRow } from "@/components/billing/ledger-rows";
import { utcDate } from "@/components/billing/format";

// The billing services validate their input and check the caller's role (org owners, or a
// project's owners for its budget); these only pass the form on and refresh the page.

const billingPath = (orgId: unknown) => `/orgs/${encodeURIComponent(String(orgId ?? ""))}/billing`;

export async function redeemCodeAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(formInput, form, async (actor, d) => {
    const r = await redeemCode(actor, d as z.input<typeof redeemSchema>);
    revalidatePath(billingPath(d.orgId));
    const expiry = r.expiresAt ? ` It expires on ${utcDate(r.expiresAt)}.` : "";
    return { ok: true, message: `${formatUsd(r.amountMicros)} added to your credit balance.${expiry}` };
  });
}

export async function setBudgetAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(formInput, form, async (actor, d) => {
    await setBudget(actor, d as z.input<typeof setBudgetSchema>);
    revalidatePath(billingPath(d.orgId));
    const removed = !String(d.cap ?? "").trim() && !String(d.alert ?? "").trim();
    return { ok: true, message: removed ? "Budget removed" : "Budget saved" };
  });
}

export async function setAlertWebhookAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(formInput, form, async (actor, d) => {
    await setAlertWebhook(actor, d as z.input<typeof webhookSchema>);
    revalidatePath(billingPath(d.orgId));
    return { ok: true, message: String(d.url ?? "").trim() ? "Alert webhook saved" : "Alert webhook removed" };
  });
}

export async function setAutoRechargeAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(formInput, form, async (actor, d) => {
    await setAutoRecharge(actor, d as z.input<typeof autoRechargeSchema>);
    revalidatePath(billingPath(d.orgId));
    return { ok: true, message: "Auto-recharge settings saved" };
  });
}

const ledgerPageSchema = z.object({
  orgId: z.string().trim().min(1).max(200),
  cursor: z.string().trim().regex(/^\d{1,19}$/, "Invalid cursor"),
  kind: z.string().trim().max(20).optional(),
});

/** The next page of the ledger after `cursor` (keyset), for "Load more". */
export async function loadLedgerAction(input: { orgId: string; cursor: string; kind?: string }): Promise<ActionResult<{ rows: LedgerDisplayRow[]; nextCursor: string | null }>> {
  return runAction(ledgerPageSchema, input, async (actor, d) => {
    const page = await listLedger(actor, d.orgId, { cursor: d.cursor, kind: d.kind || null });
    const now = new Date();
    return { ok: true, data: { rows: page.rows.map((r) => toLedgerDisplayRow(r, now)), nextCursor: page.nextCursor } };
  });
}
