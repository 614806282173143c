import "server-only";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/auth/access";
import { forbidden } from "@/lib/errors";

// Instance administrators manage what every organization shares: models, providers, prices and
// tiers. The flag is read from the database on every check (never from the session), so
// revoking it takes effect at once.

export async function isInstanceAdmin(userId: string): Promise<boolean> {
  const prisma = await db();
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { isAdmin: true } });
  return user?.isAdmin === true;
}

/** For services: refuses everyone but instance administrators. */
export async function requireInstanceAdmin(actor: Actor): Promise<void> {
  if (!(await isInstanceAdmin(actor.userId))) throw forbidden("Only instance administrators can do that.");
}
