"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { id, runAction, type ActionResult, type ActionState } from "@/lib/actions";
import { nameSchema } from "@/lib/auth/validation";
import { createProject, setProjectArchived } from "@/lib/projects/projects";
import type { CreatedProject } from "@/components/orgs/types";

const createSchema = z.object({ orgId: id, name: nameSchema("project name") });

/** The client opens the new project's API keys page on success. */
export async function createProjectAction(_prev: ActionState<CreatedProject>, form: FormData): Promise<ActionResult<CreatedProject>> {
  return runAction(createSchema, form, async (actor, { orgId, name }) => {
    const project = await createProject(actor, orgId, name);
    // Projects show in the switcher on every console page.
    revalidatePath("/", "layout");
    return { ok: true, message: `Project “${project.name}” created`, data: { projectId: project.id } };
  });
}

const archiveSchema = z.object({
  projectId: id,
  archived: z.enum(["true", "false"], { error: "Invalid request" }).transform((v) => v === "true"),
});

export async function setProjectArchivedAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(archiveSchema, form, async (actor, { projectId, archived }) => {
    await setProjectArchived(actor, projectId, archived);
    revalidatePath("/", "layout");
    return { ok: true, message: archived ? "Project archived" : "Project unarchived" };
  });
}
