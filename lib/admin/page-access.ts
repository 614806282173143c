import "server-only";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { isInstanceAdmin } from "./access";

// Kept apart from ./access so services (and their tests) do not load Next.js navigation.

/** For admin pages: anyone but an instance administrator gets the same 404 as any page they may not see. */
export async function loadAdminPage() {
  const user = await requireUser();
  if (!(await isInstanceAdmin(user.id))) notFound();
  return { user, actor: { userId: user.id } };
}
