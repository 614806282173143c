"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { id, runAction, type ActionResult, type ActionState } from "@/lib/actions";
import { nameSchema } from "@/lib/auth/validation";
import { renameProject, setProjectArchived } from "@/lib/projects/projects";

const renameSchema = z.object({ projectId: id, name: nameSchema("project name") });
const projectSchema = z.object({ projectId: id });

// Name and status show in the project switcher and on every project page: refresh them all.
const revalidateProject = (projectId: string) => revalidatePath(`/projects/${projectId}`, "layout");

export async function renameProjectAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(renameSchema, form, async (actor, d) => {
    await renameProject(actor, d.projectId, d.name);
    revalidateProject(d.projectId);
    return { ok: true, message: "Project renamed" };
  });
}

export async function archiveProjectAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(projectSchema, form, async (actor, d) => {
    await setProjectArchived(actor, d.projectId, true);
    revalidateProject(d.projectId);
    return { ok: true, message: "Project archived. Its API keys no longer work." };
  });
}

export async function unarchiveProjectAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(projectSchema, form, async (actor, d) => {
    await setProjectArchived(actor, d.projectId, false);
    revalidateProject(d.projectId);
    return { ok: true, message: "Project unarchived" };
  });
}
