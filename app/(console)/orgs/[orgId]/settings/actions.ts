"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { id, runAction, type ActionResult, type ActionState } from "@/lib/actions";
import { nameSchema } from "@/lib/auth/validation";
import { leaveOrg, renameOrg } from "@/lib/orgs/orgs";

const renameSchema = z.object({ orgId: id, name: nameSchema("name") });

export async function renameOrgAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(renameSchema, form, async (actor, { orgId, name }) => {
    await renameOrg(actor, orgId, name);
    // The name shows in the switcher on every console page.
    revalidatePath("/", "layout");
    return { ok: true, message: "Organization renamed" };
  });
}

const leaveSchema = z.object({ orgId: id });

/** The client navigates to "/" on success; this page would 404 for the user afterwards. */
export async function leaveOrgAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(leaveSchema, form, async (actor, { orgId }) => {
    await leaveOrg(actor, orgId);
    return { ok: true, message: "You left the organization" };
  });
}
