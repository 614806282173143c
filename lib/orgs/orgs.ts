import "server-only";
import { db } from "@/lib/db";
import { getOrgAccess, requireOrgOwner, type Actor } from "@/lib/auth/access";
import { recordAuditEvent } from "@/lib/audit/audit";
import { notFound, ServiceError } from "@/lib/errors";
import { wouldLeaveNoOwner, type OrgRole } from "@/lib/auth/roles";

/** Organizations the user belongs to, oldest membership first. */
export async function listUserOrgs(userId: string) {
  const prisma = await db();
  const rows = await prisma.orgMembership.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { role: true, org: { select: { id: true, name: true } } },
  });
  return rows.map((r) => ({ id: r.org.id, name: r.org.name, role: r.role }));
}

export async function renameOrg(actor: Actor, orgId: string, name: string) {
  const access = await requireOrgOwner(actor, orgId);
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    await tx.organization.update({ where: { id: orgId }, data: { name } });
    await recordAuditEvent(tx, {
      orgId, actorId: actor.userId, action: "org.renamed", targetType: "organization", targetId: orgId,
      details: { from: access.orgName, to: name },
    });
  });
}

export async function listOrgMembers(actor: Actor, orgId: string) {
  await getOrgAccess(actor, orgId);
  const prisma = await db();
  const rows = await prisma.orgMembership.findMany({
    where: { orgId },
    orderBy: { createdAt: "asc" },
    select: { id: true, role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
  });
  return rows.map((r) => ({ membershipId: r.id, userId: r.user.id, email: r.user.email, name: r.user.name, role: r.role, joinedAt: r.createdAt }));
}

export async function changeMemberRole(actor: Actor, orgId: string, userId: string, role: OrgRole) {
  await requireOrgOwner(actor, orgId);
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    // Lock the org's memberships so two owners demoting each other at once cannot both win.
    await tx.$queryRaw`SELECT id FROM "OrgMembership" WHERE "orgId" = ${orgId} FOR UPDATE`;
    const m = await tx.orgMembership.findUnique({ where: { orgId_userId: { orgId, userId } } });
    if (!m) throw notFound("Member");
    if (m.role === role) return;
    const owners = await tx.orgMembership.count({ where: { orgId, role: "owner" } });
    if (role !== "owner" && wouldLeaveNoOwner(owners, m.role === "owner")) {
      throw new ServiceError("conflict", "An organization needs at least one owner. Make someone else an owner first.");
    }
    await tx.orgMembership.update({ where: { id: m.id }, data: { role } });
    await recordAuditEvent(tx, {
      orgId, actorId: actor.userId, action: "member.role_changed", targetType: "user", targetId: userId,
      details: { from: m.role, to: role },
    });
  });
}

/** Removes a member from the organization and all its projects. */
export async function removeMember(actor: Actor, orgId: string, userId: string) {
  if (userId === actor.userId) return leaveOrg(actor, orgId);
  await requireOrgOwner(actor, orgId);
  await removeMembership(orgId, userId, actor.userId, "member.removed");
}

export async function leaveOrg(actor: Actor, orgId: string) {
  await getOrgAccess(actor, orgId);
  await removeMembership(orgId, actor.userId, actor.userId, "member.left");
}

async function removeMembership(orgId: string, userId: string, actorId: string, action: "member.removed" | "member.left") {
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "OrgMembership" WHERE "orgId" = ${orgId} FOR UPDATE`;
    const m = await tx.orgMembership.findUnique({ where: { orgId_userId: { orgId, userId } } });
    if (!m) throw notFound("Member");
    const owners = await tx.orgMembership.count({ where: { orgId, role: "owner" } });
    if (wouldLeaveNoOwner(owners, m.role === "owner")) {
      throw new ServiceError(
        "conflict",
        action === "member.left"
          ? "You are the last owner. Make someone else an owner before leaving."
          : "An organization needs at least one owner.",
      );
    }
    await tx.projectMembership.deleteMany({ where: { userId, project: { orgId } } });
    await tx.orgMembership.delete({ where: { id: m.id } });
    await recordAuditEvent(tx, { orgId, actorId, action, targetType: "user", targetId: userId });
  });
}

