"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { id, runAction, type ActionResult, type ActionState } from "@/lib/actions";
import { nameSchema } from "@/lib/auth/validation";
import { renameProject, setProjectArchived } from "@/lib/projects/projects";
import { formInput } from "@/lib/admin/validation";
import {
  removeProjectModelLimit,
  setProjectModelLimit,
  updateProjectApiSettings,
  type ProjectApiInput,
} from "@/lib/admin/project-api-settings";

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

// API settings and model limits: the services check the caller owns the project, validate the
// form (limits against the organization's tier) and drop the cached policy so the API applies
// the change at once.

const settingsPath = (projectId: unknown) => `/projects/${String(projectId)}/settings`;

export async function updateApiSettingsAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(formInput, form, async (actor, d) => {
    await updateProjectApiSettings(actor, d as ProjectApiInput<"settings">);
    revalidatePath(settingsPath(d.projectId));
    return { ok: true, message: "API settings saved" };
  });
}

export async function setProjectLimitAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(formInput, form, async (actor, d) => {
    await setProjectModelLimit(actor, d as ProjectApiInput<"setLimit">);
    revalidatePath(settingsPath(d.projectId));
    return { ok: true, message: "Model limit saved" };
  });
}

export async function removeProjectLimitAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(formInput, form, async (actor, d) => {
    await removeProjectModelLimit(actor, d as ProjectApiInput<"removeLimit">);
    revalidatePath(settingsPath(d.projectId));
    return { ok: true, message: "Model limit removed: the tier's limits apply" };
  });
}
