"use server";

import { revalidatePath } from "next/cache";
import { runAction, type ActionResult, type ActionState } from "@/lib/actions";
import { formInput } from "@/lib/admin/validation";
import { deleteModel, registerLocalModel, registerUpstreamModel, updateModel, type ModelInput } from "@/lib/admin/models";

// The admin services validate their own input and check that the caller is an instance
// administrator; these actions only carry the form to them.

const MODELS_PATH = "/admin/models";

export async function updateModelAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(formInput, form, async (actor, d) => {
    const m = await updateModel(actor, d as ModelInput<"update">);
    revalidatePath(MODELS_PATH);
    return { ok: true, message: `${m.id} saved` };
  });
}

export async function registerLocalModelAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(formInput, form, async (actor, d) => {
    const m = await registerLocalModel(actor, d as ModelInput<"registerLocal">);
    revalidatePath(MODELS_PATH);
    return { ok: true, message: `${m.id} registered (${m.contextWindow.toLocaleString("en-US")}-token context)` };
  });
}

export async function registerUpstreamModelAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(formInput, form, async (actor, d) => {
    const m = await registerUpstreamModel(actor, d as ModelInput<"registerUpstream">);
    revalidatePath(MODELS_PATH);
    return {
      ok: true,
      message: m.inputPriceMicros === null ? `${m.id} registered. Set its prices: the API refuses unpriced models.` : `${m.id} registered`,
    };
  });
}

export async function deleteModelAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(formInput, form, async (actor, d) => {
    await deleteModel(actor, d as ModelInput<"delete">);
    revalidatePath(MODELS_PATH);
    return { ok: true, message: "Model deleted" };
  });
}
