"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { runAction, type ActionResult, type ActionState } from "@/lib/actions";
import { getProjectAccess } from "@/lib/auth/access";
import { acceptInvitation } from "@/lib/orgs/invitations";

const acceptSchema = z.object({ token: z.string({ error: "This invitation link is malformed." }).max(200, "This invitation link is malformed.") });

/** Form field: token. On success, opens the first granted project (or the organization's settings). */
export async function acceptInviteAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(acceptSchema, form, async (actor, data) => {
    const { orgId, projectIds } = await acceptInvitation(actor, data.token);
    let destination = `/orgs/${orgId}/settings`;
    for (const projectId of projectIds) {
      const access = await getProjectAccess(actor, projectId).catch(() => null);
      if (access?.projectStatus === "active") {
        destination = `/projects/${projectId}/api-keys`;
        break;
      }
    }
    // The new organization now shows in the switcher everywhere.
    revalidatePath("/", "layout");
    redirect(destination);
  });
}
