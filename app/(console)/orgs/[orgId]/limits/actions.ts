"use server";

import { revalidatePath } from "next/cache";
import { runAction, type ActionResult, type ActionState } from "@/lib/actions";
import { formInput } from "@/lib/admin/validation";
import { removeProjectModelLimit, setProjectModelLimit, type ProjectApiInput } from "@/lib/admin/project-api-settings";
import { setApiKeyLimits, type ApiKeyLimitsInput } from "@/lib/keys/key-limits";

// The Limits page's changes. Each service checks that the caller owns the project (an
// organization owner owns every project), validates the form, keeps project limits within the
// organization's tier, and drops the cached policy or key so the API applies the change at once.

function revalidateLimits(projectId: unknown) {
  revalidatePath("/orgs/[orgId]/limits", "page");
  // The project's settings page shows the same project limits.
  if (typeof projectId === "string" && projectId) revalidatePath(`/projects/${projectId}/settings`);
}

export async function setProjectLimitAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(formInput, form, async (actor, d) => {
    await setProjectModelLimit(actor, d as ProjectApiInput<"setLimit">);
    revalidateLimits(d.projectId);
    return { ok: true, message: "Project limit saved" };
  });
}

export async function removeProjectLimitAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(formInput, form, async (actor, d) => {
    await removeProjectModelLimit(actor, d as ProjectApiInput<"removeLimit">);
    revalidateLimits(d.projectId);
    return { ok: true, message: "Override removed: the tier's limits apply" };
  });
}

export async function setKeyLimitsAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(formInput, form, async (actor, d) => {
    const r = await setApiKeyLimits(actor, d as ApiKeyLimitsInput);
    revalidateLimits(null);
    if (!r.changed) return { ok: true, message: "Key limits unchanged" };
    return { ok: true, message: r.rpmLimit === null && r.tpmLimit === null ? "Key limits cleared" : "Key limits saved" };
  });
}

export async function clearKeyLimitsAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(formInput, form, async (actor, d) => {
    await setApiKeyLimits(actor, { projectId: d.projectId as string, keyId: d.keyId as string, rpm: null, tpm: null });
    revalidateLimits(null);
    return { ok: true, message: "Key limits cleared" };
  });
}
