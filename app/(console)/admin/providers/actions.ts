"use server";

import { revalidatePath } from "next/cache";
import { runAction, type ActionResult, type ActionState } from "@/lib/actions";
import { formInput } from "@/lib/admin/validation";
import {
  createProviderConnection,
  deleteProviderConnection,
  testProviderConnection,
  updateProviderConnection,
  type ConnectionInput,
  type ConnectionTestResult,
} from "@/lib/admin/providers";

// The services check that the caller is an instance administrator and validate the form.
// API keys go in; nothing here ever sends one (or its ciphertext) back.

const revalidate = () => {
  revalidatePath("/admin/providers");
  revalidatePath("/admin/models"); // model rows name their connection
};

export async function createConnectionAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(formInput, form, async (actor, d) => {
    const c = await createProviderConnection(actor, d as ConnectionInput<"create">);
    revalidate();
    return { ok: true, message: `Connection "${c.name}" added` };
  });
}

export async function updateConnectionAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(formInput, form, async (actor, d) => {
    await updateProviderConnection(actor, d as ConnectionInput<"update">);
    revalidate();
    return { ok: true, message: "Connection saved" };
  });
}

export async function deleteConnectionAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(formInput, form, async (actor, d) => {
    const r = await deleteProviderConnection(actor, d as ConnectionInput<"delete">);
    revalidate();
    return { ok: true, message: r.models ? `Connection deleted with its ${r.models === 1 ? "model" : `${r.models} models`}` : "Connection deleted" };
  });
}

/** Called from the row's button with a plain object; the result is shown in the row. */
export async function testConnectionAction(input: { connectionId: string }): Promise<ActionResult<ConnectionTestResult>> {
  return runAction(formInput, input, async (actor, d) => {
    const result = await testProviderConnection(actor, d as ConnectionInput<"delete">);
    return { ok: true, data: result };
  });
}
