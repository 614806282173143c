import "server-only";
import { cache } from "react";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { db } from "@/lib/db";
import { getAuthOptions } from "./options";

/** The signed-in user (checked against the database), or null. Memoized per request. */
export const getCurrentUser = cache(async () => {
  const session = await getServerSession(getAuthOptions());
  const id = session?.user?.id;
  if (!id) return null;
  const prisma = await db();
  return prisma.user.findUnique({ where: { id }, select: { id: true, email: true, name: true } });
});

/** For pages: the signed-in user, or a redirect to sign-in. */
export async function requireUser() {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  return user;
}
