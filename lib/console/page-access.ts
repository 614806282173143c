import "server-only";
import { notFound } from "next/navigation";
import { getOrgAccess, getProjectAccess } from "@/lib/auth/access";
import { requireUser } from "@/lib/auth/session";
import { ServiceError } from "@/lib/errors";

// Page loads check access on the server like actions do. Objects a user may not see answer
// 404, the same as objects that do not exist, so ids of other organizations reveal nothing.

async function orNotFound<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof ServiceError && (err.code === "not_found" || err.code === "forbidden")) notFound();
    throw err;
  }
}

export async function loadProjectPage(projectId: string) {
  const user = await requireUser();
  const access = await orNotFound(getProjectAccess({ userId: user.id }, projectId));
  return { user, actor: { userId: user.id }, access };
}

export async function loadOrgPage(orgId: string) {
  const user = await requireUser();
  const access = await orNotFound(getOrgAccess({ userId: user.id }, orgId));
  return { user, actor: { userId: user.id }, access };
}

/** For lists a page shows: a service's not-found/forbidden becomes the 404 page. */
export const pageData = orNotFound;
