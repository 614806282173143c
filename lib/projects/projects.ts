import "server-only";
import { db } from "@/lib/db";
import { getOrgAccess, getProjectAccess, requireOrgOwner, requireProjectOwner, type Actor } from "@/lib/auth/access";
import { recordAuditEvent } from "@/lib/audit/audit";
import { invalid, notFound, ServiceError } from "@/lib/errors";
import { invalidateProjectKeys } from "@/lib/keys/resolve-api-key";
import type { ProjectRole } from "@/lib/auth/roles";

/** Projects of an org the actor may see: all of them for owners, their own for readers. */
export async function listVisibleProjects(actor: Actor, orgId: string, opts: { includeArchived?: boolean } = {}) {
  const access = await getOrgAccess(actor, orgId);
  const prisma = await db();
  const rows = await prisma.project.findMany({
    where: {
      orgId,
      ...(opts.includeArchived ? {} : { status: "active" }),
      ...(access.role === "owner" ? {} : { memberships: { some: { userId: actor.userId } } }),
    },
    orderBy: [{ status: "asc" }, { createdAt: "asc" }],
    select: {
      id: true, name: true, status: true, createdAt: true, archivedAt: true,
      _count: { select: { apiKeys: { where: { revokedAt: null } }, memberships: true } },
    },
  });
  return rows.map((r) => ({
    id: r.id, name: r.name, status: r.status, createdAt: r.createdAt, archivedAt: r.archivedAt,
    activeKeys: r._count.apiKeys, members: r._count.memberships,
  }));
}

/** The first active project the user can see, for landing after sign-in. */
export async function findLandingProject(userId: string, preferredProjectId?: string) {
  if (preferredProjectId) {
    const ok = await getProjectAccess({ userId }, preferredProjectId).catch(() => null);
    if (ok && ok.projectStatus === "active") return ok.projectId;
  }
  const prisma = await db();
  const p = await prisma.project.findFirst({
    where: {
      status: "active",
      org: { memberships: { some: { userId } } },
      OR: [{ org: { memberships: { some: { userId, role: "owner" } } } }, { memberships: { some: { userId } } }],
    },
    orderBy: { createdAt: "asc" },
    select: { id: true },
  });
  return p?.id ?? null;
}

export async function createProject(actor: Actor, orgId: string, name: string) {
  await requireOrgOwner(actor, orgId);
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const project = await tx.project.create({ data: { orgId, name } });
    await recordAuditEvent(tx, {
      orgId, actorId: actor.userId, action: "project.created", projectId: project.id,
      targetType: "project", targetId: project.id, details: { name },
    });
    return project;
  });
}

export async function renameProject(actor: Actor, projectId: string, name: string) {
  const access = await requireProjectOwner(actor, projectId);
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    await tx.project.update({ where: { id: projectId }, data: { name } });
    await recordAuditEvent(tx, {
      orgId: access.orgId, actorId: actor.userId, action: "project.renamed", projectId,
      targetType: "project", targetId: projectId, details: { from: access.projectName, to: name },
    });
  });
}

/** Archiving stops every key of the project (within the key cache's TTL on other instances). */
export async function setProjectArchived(actor: Actor, projectId: string, archived: boolean) {
  const access = await getProjectAccess(actor, projectId);
  await requireOrgOwner(actor, access.orgId);
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    await tx.project.update({
      where: { id: projectId },
      data: { status: archived ? "archived" : "active", archivedAt: archived ? new Date() : null },
    });
    await recordAuditEvent(tx, {
      orgId: access.orgId, actorId: actor.userId, action: archived ? "project.archived" : "project.unarchived",
      projectId, targetType: "project", targetId: projectId, details: { name: access.projectName },
    });
  });
  invalidateProjectKeys(projectId);
}

export async function listProjectMembers(actor: Actor, projectId: string) {
  const access = await getProjectAccess(actor, projectId);
  const prisma = await db();
  const [members, orgOwners] = await Promise.all([
    prisma.projectMembership.findMany({
      where: { projectId },
      orderBy: { createdAt: "asc" },
      select: { role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
    }),
    prisma.orgMembership.findMany({
      where: { orgId: access.orgId, role: "owner" },
      select: { user: { select: { id: true, email: true, name: true } } },
    }),
  ]);
  return {
    members: members.map((m) => ({ userId: m.user.id, email: m.user.email, name: m.user.name, role: m.role, addedAt: m.createdAt })),
    // Org owners manage every project without being listed as members.
    orgOwners: orgOwners.map((o) => o.user),
  };
}

export async function addProjectMember(actor: Actor, projectId: string, email: string, role: ProjectRole) {
  const access = await requireProjectOwner(actor, projectId);
  const prisma = await db();
  const orgMember = await prisma.orgMembership.findFirst({
    where: { orgId: access.orgId, user: { email } },
    select: { userId: true },
  });
  if (!orgMember) {
    throw invalid("Only members of the organization can be added. Invite them to the organization first.", {
      email: "Not a member of this organization",
    });
  }
  await prisma.$transaction(async (tx) => {
    const existing = await tx.projectMembership.findUnique({ where: { projectId_userId: { projectId, userId: orgMember.userId } } });
    if (existing) throw new ServiceError("conflict", "Already a member of this project.", { email: "Already a member of this project" });
    await tx.projectMembership.create({ data: { projectId, userId: orgMember.userId, role } });
    await recordAuditEvent(tx, {
      orgId: access.orgId, actorId: actor.userId, action: "project_member.added", projectId,
      targetType: "user", targetId: orgMember.userId, details: { email, role },
    });
  });
}

export async function changeProjectMemberRole(actor: Actor, projectId: string, userId: string, role: ProjectRole) {
  const access = await requireProjectOwner(actor, projectId);
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    const m = await tx.projectMembership.findUnique({ where: { projectId_userId: { projectId, userId } } });
    if (!m) throw notFound("Project member");
    if (m.role === role) return;
    await tx.projectMembership.update({ where: { id: m.id }, data: { role } });
    await recordAuditEvent(tx, {
      orgId: access.orgId, actorId: actor.userId, action: "project_member.role_changed", projectId,
      targetType: "user", targetId: userId, details: { from: m.role, to: role },
    });
  });
}

export async function removeProjectMember(actor: Actor, projectId: string, userId: string) {
  const access = await requireProjectOwner(actor, projectId);
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    const r = await tx.projectMembership.deleteMany({ where: { projectId, userId } });
    if (r.count === 0) throw notFound("Project member");
    await recordAuditEvent(tx, {
      orgId: access.orgId, actorId: actor.userId, action: "project_member.removed", projectId,
      targetType: "user", targetId: userId,
    });
  });
}
