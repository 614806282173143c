import "server-only";
import { db, type Tx } from "@/lib/db";
import { hashPassword } from "@/lib/auth/password";
import { recordAuditEvent } from "@/lib/audit/audit";
import { ServiceError } from "@/lib/errors";
import { isUniqueViolation } from "@/lib/db/errors";
import { grantSignupCredit } from "@/lib/billing/ledger";

/** Gives a new user their own organization ("Personal") with a "Default project" they own. */
export async function createPersonalOrg(tx: Tx, userId: string) {
  const org = await tx.organization.create({
    data: { name: "Personal", memberships: { create: { userId, role: "owner" } } },
  });
  const project = await tx.project.create({ data: { orgId: org.id, name: "Default project" } });
  await grantSignupCredit(tx, org.id);
  await recordAuditEvent(tx, { orgId: org.id, actorId: userId, action: "org.created", targetType: "organization", targetId: org.id });
  await recordAuditEvent(tx, {
    orgId: org.id, actorId: userId, action: "project.created", projectId: project.id,
    targetType: "project", targetId: project.id, details: { name: project.name },
  });
  return { org, project };
}

/** Without a bootstrap admin, the instance's first account administers it. */
export async function isFirstAccount(tx: Tx) {
  return (await tx.user.count()) === 0;
}

/** Signs up a user with a password. Input is already validated (lib/auth/validation.ts). */
export async function createUserWithPassword(input: { email: string; password: string; name?: string }) {
  const prisma = await db();
  const passwordHash = await hashPassword(input.password);
  try {
    return await prisma.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email: input.email, name: input.name || null, passwordHash, isAdmin: await isFirstAccount(tx) },
        select: { id: true, email: true },
      });
      const { org, project } = await createPersonalOrg(tx, user.id);
      return { user, org, project };
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new ServiceError("conflict", "An account with this email already exists.", {
        email: "An account with this email already exists. Sign in instead.",
      });
    }
    throw err;
  }
}
