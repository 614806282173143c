import "server-only";
import { db } from "@/lib/db";
import { getProjectAccess, requireProjectOwner, type Actor } from "@/lib/auth/access";
import { recordAuditEvent } from "@/lib/audit/audit";
import { notFound } from "@/lib/errors";
import { invalidateKey } from "./resolve-api-key";

export async function listServiceAccounts(actor: Actor, projectId: string) {
  await getProjectAccess(actor, projectId);
  const prisma = await db();
  const rows = await prisma.serviceAccount.findMany({
    where: { projectId, deletedAt: null },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, createdAt: true, _count: { select: { apiKeys: { where: { revokedAt: null } } } } },
  });
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.createdAt, activeKeys: r._count.apiKeys }));
}

export async function createServiceAccount(actor: Actor, projectId: string, name: string) {
  const access = await requireProjectOwner(actor, projectId);
  const prisma = await db();
  return prisma.$transaction(async (tx) => {
    const sa = await tx.serviceAccount.create({ data: { projectId, name, createdById: actor.userId } });
    await recordAuditEvent(tx, {
      orgId: access.orgId, actorId: actor.userId, action: "service_account.created", projectId,
      targetType: "service_account", targetId: sa.id, details: { name },
    });
    return sa;
  });
}

/** Deleting a service account revokes every key it owns. */
export async function deleteServiceAccount(actor: Actor, projectId: string, serviceAccountId: string) {
  const access = await requireProjectOwner(actor, projectId);
  const prisma = await db();
  const revokedIds = await prisma.$transaction(async (tx) => {
    const sa = await tx.serviceAccount.findFirst({ where: { id: serviceAccountId, projectId, deletedAt: null } });
    if (!sa) throw notFound("Service account");
    const keys = await tx.apiKey.findMany({ where: { serviceAccountId, revokedAt: null }, select: { id: true } });
    const now = new Date();
    await tx.apiKey.updateMany({ where: { serviceAccountId, revokedAt: null }, data: { revokedAt: now } });
    await tx.serviceAccount.update({ where: { id: serviceAccountId }, data: { deletedAt: now } });
    await recordAuditEvent(tx, {
      orgId: access.orgId, actorId: actor.userId, action: "service_account.deleted", projectId,
      targetType: "service_account", targetId: serviceAccountId, details: { name: sa.name, keysRevoked: keys.length },
    });
    return keys.map((k) => k.id);
  });
  revokedIds.forEach(invalidateKey);
}
