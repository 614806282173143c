import "server-only";
import { db, type Tx } from "@/lib/db";
import { getProjectAccess, requireProjectOwner, type Actor } from "@/lib/auth/access";
import { recordAuditEvent } from "@/lib/audit/audit";
import { invalid, notFound } from "@/lib/errors";
import { generateSecret, hashSecret, redactSecret } from "./secret";
import { describePermissions, permissionsSchema, type Permissions } from "./permissions";
import { invalidateKey } from "./resolve-api-key";

export type KeyOwner = { kind: "user" } | { kind: "service_account"; serviceAccountId: string };

/** Inserts a key row for a secret. Used by the console and by start-up bootstrap. */
export async function insertApiKey(
  tx: Tx,
  input: {
    projectId: string;
    name: string;
    secret: string;
    permissions: Permissions;
    ownerUserId: string | null;
    serviceAccountId: string | null;
    createdById: string | null;
    expiresAt: Date | null;
  },
) {
  return tx.apiKey.create({
    data: {
      projectId: input.projectId,
      name: input.name,
      secretHash: hashSecret(input.secret),
      redactedValue: redactSecret(input.secret),
      permissions: input.permissions,
      ownerUserId: input.ownerUserId,
      serviceAccountId: input.serviceAccountId,
      createdById: input.createdById,
      expiresAt: input.expiresAt,
    },
    select: { id: true, name: true, redactedValue: true, createdAt: true },
  });
}

/**
 * Creates a key and returns its secret: the only time the secret exists outside the caller's
 * hands. Project owners may create keys for themselves or the project's service accounts.
 */
export async function createApiKey(
  actor: Actor,
  projectId: string,
  input: { name: string; owner: KeyOwner; permissions: Permissions; expiresAt: Date | null },
) {
  const access = await requireProjectOwner(actor, projectId);
  if (access.projectStatus === "archived") throw invalid("This project is archived. Unarchive it to create keys.");
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
    throw invalid("The expiry must be in the future.", { expiresAt: "Choose a date in the future" });
  }
  const prisma = await db();
  const secret = generateSecret();
  const key = await prisma.$transaction(async (tx) => {
    let serviceAccountId: string | null = null;
    if (input.owner.kind === "service_account") {
      const sa = await tx.serviceAccount.findFirst({
        where: { id: input.owner.serviceAccountId, projectId, deletedAt: null },
        select: { id: true },
      });
      if (!sa) throw invalid("That service account does not exist in this project.", { owner: "Unknown service account" });
      serviceAccountId = sa.id;
    }
    const created = await insertApiKey(tx, {
      projectId,
      name: input.name,
      secret,
      permissions: input.permissions,
      ownerUserId: serviceAccountId ? null : actor.userId,
      serviceAccountId,
      createdById: actor.userId,
      expiresAt: input.expiresAt,
    });
    await recordAuditEvent(tx, {
      orgId: access.orgId, actorId: actor.userId, action: "api_key.created", projectId,
      targetType: "api_key", targetId: created.id,
      details: { name: input.name, redacted: created.redactedValue, permissions: describePermissions(input.permissions), serviceAccountId },
    });
    return created;
  });
  return { key, secret };
}

export async function listApiKeys(actor: Actor, projectId: string) {
  await getProjectAccess(actor, projectId);
  const prisma = await db();
  const rows = await prisma.apiKey.findMany({
    where: { projectId, revokedAt: null },
    orderBy: { createdAt: "desc" },
    select: {
      id: true, name: true, redactedValue: true, permissions: true, createdAt: true, lastUsedAt: true, expiresAt: true,
      createdBy: { select: { email: true, name: true } },
      owner: { select: { email: true, name: true } },
      serviceAccount: { select: { id: true, name: true } },
    },
  });
  return rows.map((r) => {
    const permissions = permissionsSchema.safeParse(r.permissions);
    return { ...r, permissions: permissions.success ? permissions.data : ({ mode: "read_only" } as Permissions) };
  });
}

export async function updateApiKey(
  actor: Actor,
  projectId: string,
  keyId: string,
  input: { name: string; permissions: Permissions },
) {
  const access = await requireProjectOwner(actor, projectId);
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    const r = await tx.apiKey.updateMany({
      where: { id: keyId, projectId, revokedAt: null },
      data: { name: input.name, permissions: input.permissions },
    });
    if (r.count === 0) throw notFound("API key");
    await recordAuditEvent(tx, {
      orgId: access.orgId, actorId: actor.userId, action: "api_key.updated", projectId,
      targetType: "api_key", targetId: keyId,
      details: { name: input.name, permissions: describePermissions(input.permissions) },
    });
  });
  invalidateKey(keyId);
}

export async function revokeApiKey(actor: Actor, projectId: string, keyId: string) {
  const access = await requireProjectOwner(actor, projectId);
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    const key = await tx.apiKey.findFirst({ where: { id: keyId, projectId, revokedAt: null }, select: { name: true, redactedValue: true } });
    if (!key) throw notFound("API key");
    await tx.apiKey.update({ where: { id: keyId }, data: { revokedAt: new Date() } });
    await recordAuditEvent(tx, {
      orgId: access.orgId, actorId: actor.userId, action: "api_key.revoked", projectId,
      targetType: "api_key", targetId: keyId, details: { name: key.name, redacted: key.redactedValue },
    });
  });
  invalidateKey(keyId);
}
