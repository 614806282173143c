"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { id, runAction, type ActionResult, type ActionState } from "@/lib/actions";
import { nameSchema } from "@/lib/auth/validation";
import { createServiceAccount, deleteServiceAccount } from "@/lib/keys/service-accounts";
import type { CreatedServiceAccount } from "@/components/projects/types";

const createSchema = z.object({ projectId: id, name: nameSchema("name") });
const deleteSchema = z.object({ projectId: id, serviceAccountId: id });

function revalidate(projectId: string) {
  revalidatePath(`/projects/${projectId}/service-accounts`);
  revalidatePath(`/projects/${projectId}/api-keys`);
}

export async function createServiceAccountAction(
  _prev: ActionState<CreatedServiceAccount>,
  form: FormData,
): Promise<ActionResult<CreatedServiceAccount>> {
  return runAction<typeof createSchema, CreatedServiceAccount>(createSchema, form, async (actor, d) => {
    const sa = await createServiceAccount(actor, d.projectId, d.name);
    revalidate(d.projectId);
    return { ok: true, message: `Service account "${sa.name}" created`, data: { id: sa.id, name: sa.name } };
  });
}

/** Deleting a service account also revokes all of its keys (in the service). */
export async function deleteServiceAccountAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(deleteSchema, form, async (actor, d) => {
    await deleteServiceAccount(actor, d.projectId, d.serviceAccountId);
    revalidate(d.projectId);
    return { ok: true, message: "Service account deleted" };
  });
}
