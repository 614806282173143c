import "server-only";
import { db, type Tx } from "@/lib/db";
import { getOrgAccess, type Actor } from "@/lib/auth/access";
import { can } from "@/lib/auth/roles";
import { forbidden } from "@/lib/errors";

export type AuditAction =
  | "org.created"
  | "org.renamed"
  | "member.invited"
  | "member.invitation_revoked"
  | "member.joined"
  | "member.role_changed"
  | "member.removed"
  | "member.left"
  | "project.created"
  | "project.renamed"
  | "project.archived"
  | "project.unarchived"
  | "project_member.added"
  | "project_member.role_changed"
  | "project_member.removed"
  | "api_key.created"
  | "api_key.updated"
  | "api_key.revoked"
  | "service_account.created"
  | "service_account.deleted"
  | "org.tier_changed"
  | "project.api_settings_changed"
  | "project.model_limit_set"
  | "project.model_limit_removed"
  | "org.tier_advanced"
  | "billing.credit_posted"
  | "billing.code_redeemed"
  | "billing.budget_set"
  | "billing.settings_changed"
  | "fine_tuning.job_created"
  | "fine_tuning.job_cancelled"
  | "fine_tuning.model_deleted"
  | "file.deleted";

export const AUDIT_ACTIONS: AuditAction[] = [
  "org.created", "org.renamed", "member.invited", "member.invitation_revoked", "member.joined",
  "member.role_changed", "member.removed", "member.left", "project.created", "project.renamed",
  "project.archived", "project.unarchived", "project_member.added", "project_member.role_changed",
  "project_member.removed", "api_key.created", "api_key.updated", "api_key.revoked",
  "service_account.created", "service_account.deleted",
  "org.tier_changed", "project.api_settings_changed", "project.model_limit_set", "project.model_limit_removed",
  "org.tier_advanced", "billing.credit_posted", "billing.code_redeemed", "billing.budget_set", "billing.settings_changed",
  "fine_tuning.job_created", "fine_tuning.job_cancelled", "fine_tuning.model_deleted",
  "file.deleted",
];

/** Records who did what, inside the caller's transaction so the log never disagrees with the data. */
export async function recordAuditEvent(
  tx: Tx,
  e: {
    orgId: string;
    actorId: string | null;
    action: AuditAction;
    projectId?: string | null;
    targetType?: string;
    targetId?: string;
    details?: Record<string, unknown>;
  },
) {
  const actorEmail = e.actorId
    ? ((await tx.user.findUnique({ where: { id: e.actorId }, select: { email: true } }))?.email ?? null)
    : null;
  await tx.auditEvent.create({
    data: {
      orgId: e.orgId,
      projectId: e.projectId ?? null,
      actorId: e.actorId,
      actorEmail,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId,
      details: (e.details ?? {}) as object,
    },
  });
}

export type AuditFilter = { action?: string; actor?: string; from?: Date; to?: Date; cursor?: string; limit?: number };

/** Newest first, keyset-paginated on (createdAt, id). Owners only. */
export async function listAuditEvents(actor: Actor, orgId: string, f: AuditFilter = {}) {
  const access = await getOrgAccess(actor, orgId);
  if (!can.viewAuditLog(access.role)) throw forbidden("Only organization owners can view the audit log.");
  const prisma = await db();
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200);
  const cursor = f.cursor ? await prisma.auditEvent.findFirst({ where: { id: f.cursor, orgId }, select: { id: true, createdAt: true } }) : null;
  const rows = await prisma.auditEvent.findMany({
    where: {
      orgId,
      ...(f.action ? { action: f.action.endsWith(".") ? { startsWith: f.action } : f.action } : {}),
      ...(f.actor ? { actorEmail: { contains: f.actor.toLowerCase() } } : {}),
      ...(f.from || f.to ? { createdAt: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lt: f.to } : {}) } } : {}),
      ...(cursor
        ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  return { events: rows.slice(0, limit), nextCursor: rows.length > limit ? rows[limit - 1].id : null };
}
