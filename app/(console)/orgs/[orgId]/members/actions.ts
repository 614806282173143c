"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import { formToObject, id, runAction, type ActionResult, type ActionState } from "@/lib/actions";
import { emailSchema } from "@/lib/auth/validation";
import { changeMemberRole, removeMember } from "@/lib/orgs/orgs";
import { createInvitation, revokeInvitation } from "@/lib/orgs/invitations";
import { sendInvitationEmail } from "@/lib/mail/send-invitation";
import { db } from "@/lib/db";
import type { InviteResult } from "@/components/orgs/types";

const orgRole = z.enum(["owner", "reader"], { error: "Choose owner or reader" });
const projectRole = z.enum(["owner", "member"], { error: "Choose owner or member for each project" });

const membersPath = (orgId: string) => `/orgs/${orgId}/members`;

const changeRoleSchema = z.object({ orgId: id, userId: id, role: orgRole });

/** Called from the role select's onChange with a plain object. */
export async function changeMemberRoleAction(input: { orgId: string; userId: string; role: string }): Promise<ActionResult> {
  return runAction(changeRoleSchema, input, async (actor, { orgId, userId, role }) => {
    await changeMemberRole(actor, orgId, userId, role);
    // Demoting yourself changes what the whole console shows you (e.g. the audit log link).
    revalidatePath("/", "layout");
    return { ok: true, message: `Role changed to ${role}` };
  });
}

const removeSchema = z.object({ orgId: id, userId: id });

export async function removeMemberAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(removeSchema, form, async (actor, { orgId, userId }) => {
    await removeMember(actor, orgId, userId);
    revalidatePath(membersPath(orgId));
    return { ok: true, message: "Member removed" };
  });
}

const inviteSchema = z.object({
  orgId: id,
  email: emailSchema,
  role: orgRole,
  projects: z
    .array(z.object({ projectId: id, role: projectRole }))
    .max(200, "Choose at most 200 projects")
    .refine((ps) => new Set(ps.map((p) => p.projectId)).size === ps.length, "Each project can be chosen once"),
});

/**
 * Form fields: orgId, email, role, `project` (repeated, one per checked project id) and
 * `projectRole:<projectId>` for each. Returns the invite path; the client prefixes its own origin.
 */
export async function inviteMemberAction(_prev: ActionState<InviteResult>, form: FormData): Promise<ActionResult<InviteResult>> {
  const raw = formToObject(form);
  const projectIds = ([] as unknown[]).concat(raw.project ?? []);
  const input = {
    orgId: raw.orgId,
    email: raw.email,
    role: raw.role,
    projects: projectIds.map((projectId) => ({
      projectId,
      role: typeof projectId === "string" ? raw[`projectRole:${projectId}`] : undefined,
    })),
  };
  return runAction(inviteSchema, input, async (actor, data) => {
    const { token, orgName } = await createInvitation(actor, data.orgId, { email: data.email, role: data.role, projects: data.projects });
    revalidatePath(membersPath(data.orgId));
    const path = `/invite/${token}`;
    const emailed = await emailInvitation({ to: data.email, path, orgName, inviterId: actor.userId });
    const message = emailed ? `Invitation emailed to ${data.email}` : `Invitation created for ${data.email}`;
    return { ok: true, message, data: { path, email: data.email, emailed } };
  });
}

const revokeSchema = z.object({ orgId: id, invitationId: id });

export async function revokeInvitationAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(revokeSchema, form, async (actor, { orgId, invitationId }) => {
    await revokeInvitation(actor, orgId, invitationId);
    revalidatePath(membersPath(orgId));
    return { ok: true, message: "Invitation revoked" };
  });
}

/** Emails the link when SMTP is configured; the link is built from the address the inviter used. */
async function emailInvitation(input: { to: string; path: string; orgName: string; inviterId: string }) {
  const origin = (await headers()).get("origin");
  if (!origin) return false;
  const inviter = await (await db()).user.findUnique({ where: { id: input.inviterId }, select: { name: true, email: true } });
  return sendInvitationEmail({
    to: input.to,
    link: new URL(input.path, origin).toString(),
    orgName: input.orgName,
    inviter: inviter?.name || inviter?.email || "A teammate",
  });
}
