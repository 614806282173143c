import "server-only";
import crypto from "node:crypto";
import { db } from "@/lib/db";
import { getOrgAccess, requireOrgOwner, type Actor } from "@/lib/auth/access";
import { recordAuditEvent } from "@/lib/audit/audit";
import { invalid, notFound, ServiceError } from "@/lib/errors";
import type { OrgRole, ProjectRole } from "@/lib/auth/roles";
import { z } from "zod";

const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;
const projectGrants = z.array(z.object({ projectId: z.string(), role: z.enum(["owner", "member"]) }));

export function hashInviteToken(token: string) {
  return crypto.createHash("sha256").update(token).digest("hex");
}

/** Invite tokens are 32 random bytes, base64url: 43 characters. */
export function isWellFormedInviteToken(token: unknown): token is string {
  return typeof token === "string" && /^[A-Za-z0-9_-]{43}$/.test(token);
}

export async function createInvitation(
  actor: Actor,
  orgId: string,
  input: { email: string; role: OrgRole; projects: { projectId: string; role: ProjectRole }[] },
) {
  const access = await requireOrgOwner(actor, orgId);
  const prisma = await db();
  const existing = await prisma.orgMembership.findFirst({ where: { orgId, user: { email: input.email } } });
  if (existing) throw invalid("That person is already a member.", { email: "Already a member of this organization" });
  if (input.projects.length) {
    const found = await prisma.project.count({
      where: { orgId, status: "active", id: { in: input.projects.map((p) => p.projectId) } },
    });
    if (found !== new Set(input.projects.map((p) => p.projectId)).size) {
      throw invalid("One of the chosen projects does not exist in this organization.", { projects: "Unknown project" });
    }
  }
  const token = crypto.randomBytes(32).toString("base64url");
  const invitation = await prisma.$transaction(async (tx) => {
    // A new invitation to the same address replaces any pending one.
    await tx.invitation.updateMany({
      where: { orgId, email: input.email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    const inv = await tx.invitation.create({
      data: {
        orgId,
        email: input.email,
        role: input.role,
        projects: input.projects,
        tokenHash: hashInviteToken(token),
        invitedById: actor.userId,
        expiresAt: new Date(Date.now() + INVITE_TTL_MS),
      },
    });
    await recordAuditEvent(tx, {
      orgId, actorId: actor.userId, action: "member.invited", targetType: "invitation", targetId: inv.id,
      details: { email: input.email, role: input.role, projects: input.projects.length },
    });
    return inv;
  });
  return { invitation, token, orgName: access.orgName };
}

export async function listPendingInvitations(actor: Actor, orgId: string) {
  await getOrgAccess(actor, orgId);
  const prisma = await db();
  return prisma.invitation.findMany({
    where: { orgId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
    select: { id: true, email: true, role: true, createdAt: true, expiresAt: true },
  });
}

export async function revokeInvitation(actor: Actor, orgId: string, invitationId: string) {
  await requireOrgOwner(actor, orgId);
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    const r = await tx.invitation.updateMany({
      where: { id: invitationId, orgId, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (r.count === 0) throw notFound("Invitation");
    await recordAuditEvent(tx, { orgId, actorId: actor.userId, action: "member.invitation_revoked", targetType: "invitation", targetId: invitationId });
  });
}

/** What the invite page shows; null when the token is malformed, unknown, used, revoked or expired. */
export async function findInvitation(token: unknown) {
  if (!isWellFormedInviteToken(token)) return null;
  const prisma = await db();
  const inv = await prisma.invitation.findUnique({
    where: { tokenHash: hashInviteToken(token) },
    select: {
      id: true, email: true, role: true, expiresAt: true, acceptedAt: true, revokedAt: true,
      org: { select: { id: true, name: true } },
      invitedBy: { select: { email: true, name: true } },
    },
  });
  if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt <= new Date()) return null;
  return inv;
}

/** Joins the organization (and the invitation's projects). The signed-in email must match. */
export async function acceptInvitation(actor: Actor, token: unknown) {
  if (!isWellFormedInviteToken(token)) throw invalid("This invitation link is malformed. Ask for a new one.");
  const prisma = await db();
  const user = await prisma.user.findUnique({ where: { id: actor.userId }, select: { email: true } });
  if (!user) throw notFound("User");
  return prisma.$transaction(async (tx) => {
    const inv = await tx.invitation.findUnique({ where: { tokenHash: hashInviteToken(token) } });
    if (!inv || inv.revokedAt || inv.expiresAt <= new Date()) {
      throw new ServiceError("not_found", "This invitation is invalid or has expired. Ask for a new one.");
    }
    if (inv.acceptedAt) throw new ServiceError("conflict", "This invitation has already been used.");
    if (inv.email !== user.email) {
      throw new ServiceError("forbidden", `This invitation is for ${inv.email}. Sign in with that address to accept it.`);
    }
    const claimed = await tx.invitation.updateMany({ where: { id: inv.id, acceptedAt: null }, data: { acceptedAt: new Date() } });
    if (claimed.count === 0) throw new ServiceError("conflict", "This invitation has already been used.");
    await tx.orgMembership.upsert({
      where: { orgId_userId: { orgId: inv.orgId, userId: actor.userId } },
      create: { orgId: inv.orgId, userId: actor.userId, role: inv.role },
      update: {},
    });
    const grants = projectGrants.safeParse(inv.projects);
    for (const g of grants.success ? grants.data : []) {
      const project = await tx.project.findFirst({ where: { id: g.projectId, orgId: inv.orgId } });
      if (!project) continue;
      await tx.projectMembership.upsert({
        where: { projectId_userId: { projectId: g.projectId, userId: actor.userId } },
        create: { projectId: g.projectId, userId: actor.userId, role: g.role },
        update: {},
      });
    }
    await recordAuditEvent(tx, {
      orgId: inv.orgId, actorId: actor.userId, action: "member.joined", targetType: "user", targetId: actor.userId,
      details: { role: inv.role },
    });
    return { orgId: inv.orgId, projectIds: grants.success ? grants.data.map((g) => g.projectId) : [] };
  });
}
