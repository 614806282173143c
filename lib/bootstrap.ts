import "server-only";
import { db } from "@/lib/db";
import type { AppConfig } from "@/lib/config";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { createPersonalOrg } from "@/lib/users/create-user";
import { insertApiKey } from "@/lib/keys/api-keys";
import { hashSecret, redactSecret } from "@/lib/keys/secret";
import { ALL_PERMISSIONS } from "@/lib/keys/permissions";

const BOOTSTRAP_LOCK_KEY = "7316500247121140332";

/**
 * Makes sure, idempotently, that BOOTSTRAP_ADMIN_EMAIL exists with BOOTSTRAP_ADMIN_PASSWORD,
 * owns an organization with a default project, and that BOOTSTRAP_API_KEY is an active key
 * of that project with all permissions. Instances starting together take turns on a lock.
 */
export async function ensureBootstrap(config: AppConfig) {
  const email = config.BOOTSTRAP_ADMIN_EMAIL?.toLowerCase();
  const password = config.BOOTSTRAP_ADMIN_PASSWORD;
  if (!email || !password) return null;
  const prisma = await db();
  // Hash outside the transaction: it is slow and needs no lock.
  const freshHash = await hashPassword(password);
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK_KEY})`);
      let user = await tx.user.findUnique({ where: { email }, select: { id: true, passwordHash: true } });
      if (!user) {
        user = await tx.user.create({ data: { email, name: "Admin", passwordHash: freshHash, isAdmin: true }, select: { id: true, passwordHash: true } });
      } else if (!user.passwordHash || !(await verifyPassword(password, user.passwordHash))) {
        await tx.user.update({ where: { id: user.id }, data: { passwordHash: freshHash, isAdmin: true } });
      } else {
        await tx.user.update({ where: { id: user.id }, data: { isAdmin: true } });
      }
      const owned = await tx.orgMembership.findFirst({
        where: { userId: user.id, role: "owner" },
        orderBy: { createdAt: "asc" },
        select: { orgId: true },
      });
      let orgId = owned?.orgId;
      let projectId: string | undefined;
      if (!orgId) {
        const created = await createPersonalOrg(tx, user.id);
        orgId = created.org.id;
        projectId = created.project.id;
      } else {
        const project =
          (await tx.project.findFirst({ where: { orgId, status: "active" }, orderBy: { createdAt: "asc" }, select: { id: true } })) ??
          (await tx.project.create({ data: { orgId, name: "Default project" }, select: { id: true } }));
        projectId = project.id;
      }
      if (config.BOOTSTRAP_API_KEY) {
        const secretHash = hashSecret(config.BOOTSTRAP_API_KEY);
        const existing = await tx.apiKey.findUnique({ where: { secretHash }, select: { id: true } });
        if (existing) {
          await tx.apiKey.update({
            where: { id: existing.id },
            data: {
              projectId, permissions: ALL_PERMISSIONS, revokedAt: null, expiresAt: null,
              redactedValue: redactSecret(config.BOOTSTRAP_API_KEY),
            },
          });
        } else {
          await insertApiKey(tx, {
            projectId, name: "Bootstrap key", secret: config.BOOTSTRAP_API_KEY, permissions: ALL_PERMISSIONS,
            ownerUserId: user.id, serviceAccountId: null, createdById: user.id, expiresAt: null,
          });
        }
      }
      return { userId: user.id, orgId, projectId };
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
}
