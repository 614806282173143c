"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { id, runAction, type ActionResult, type ActionState } from "@/lib/actions";
import { getProjectAccess } from "@/lib/auth/access";
import { emailSchema } from "@/lib/auth/validation";
import { addProjectMember, changeProjectMemberRole, removeProjectMember } from "@/lib/projects/projects";

const role = z.enum(["owner", "member"], { error: "Choose Owner or Member" });

const addSchema = z.object({ projectId: id, email: emailSchema, role: role.default("member") });
const changeRoleSchema = z.object({ projectId: id, userId: id, role });
const removeSchema = z.object({ projectId: id, userId: id });

const membersPath = (projectId: string) => `/projects/${projectId}/members`;

export async function addMemberAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(addSchema, form, async (actor, d) => {
    await addProjectMember(actor, d.projectId, d.email, d.role);
    revalidatePath(membersPath(d.projectId));
    return { ok: true, message: `Added ${d.email} as ${d.role === "owner" ? "an owner" : "a member"}` };
  });
}

export async function changeMemberRoleAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(changeRoleSchema, form, async (actor, d) => {
    await changeProjectMemberRole(actor, d.projectId, d.userId, d.role);
    // The actor may have demoted themselves: refresh the whole project (controls it shows).
    revalidatePath(`/projects/${d.projectId}`, "layout");
    return { ok: true, message: `Role changed to ${d.role === "owner" ? "Owner" : "Member"}` };
  });
}

export async function removeMemberAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(removeSchema, form, async (actor, d) => {
    await removeProjectMember(actor, d.projectId, d.userId);
    if (d.userId === actor.userId) {
      // Leaving: org owners still see the project; anyone else goes home.
      const stillHasAccess = await getProjectAccess(actor, d.projectId).then(
        () => true,
        () => false,
      );
      if (!stillHasAccess) redirect("/");
      revalidatePath(`/projects/${d.projectId}`, "layout");
      return { ok: true, message: "You left the project" };
    }
    revalidatePath(membersPath(d.projectId));
    return { ok: true, message: "Member removed" };
  });
}
