import "server-only";
import { getServerSession } from "next-auth";
import { getProjectAccess } from "@/lib/auth/access";
import { getAuthOptions } from "@/lib/auth/options";
import { db } from "@/lib/db";
import { ServiceError } from "@/lib/errors";
import type { Caller } from "@/lib/gateway/with-api-key";
import { ALL_PERMISSIONS } from "@/lib/keys/permissions";
import { OpenAIError } from "@/lib/openai/errors";

// Who runs a model from the console's playground: the signed-in user, in a project they can
// see. Calls go through the same pipeline as API keys (limits, metering, request log) with
// the user as the caller and no key. Project owners may always use it; members when the
// project allows it (Settings → "Members can use the playground").

export type PlaygroundAccess = { allowed: true; role: "owner" | "member" } | { allowed: false; reason: string };

export async function playgroundAccess(userId: string, projectId: string) {
  const access = await getProjectAccess({ userId }, projectId);
  const prisma = await db();
  const project = await prisma.project.findUnique({ where: { id: access.projectId }, select: { playgroundForMembers: true } });
  let verdict: PlaygroundAccess;
  if (access.projectStatus !== "active") verdict = { allowed: false, reason: "This project is archived: its models cannot be run. An organization owner can unarchive it." };
  else if (access.role === "owner" || project?.playgroundForMembers) verdict = { allowed: true, role: access.role };
  else verdict = { allowed: false, reason: "This project does not let members use the playground. A project owner can allow it in the project's settings." };
  return { access, verdict };
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/** The `identify` step of the pipeline for playground calls to `projectId`. */
export function playgroundCaller(projectId: string) {
  return async (request: Request): Promise<Caller> => {
    // Same-origin only: the session cookie must not let another site spend the project's budget.
    const origin = request.headers.get("origin");
    const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
    if (origin && host && hostOf(origin) !== host) {
      throw new OpenAIError(403, "Playground calls must come from the Gatehouse console itself.", "invalid_request_error", null, "cross_origin");
    }
    const session = await getServerSession(getAuthOptions());
    const userId = session?.user?.id;
    if (!userId) throw new OpenAIError(401, "You are not signed in. Sign in to the Gatehouse console and try again.", "invalid_request_error", null, "unauthenticated");
    let result;
    try {
      result = await playgroundAccess(userId, projectId);
    } catch (err) {
      if (err instanceof ServiceError) throw new OpenAIError(404, "Project not found.", "invalid_request_error", null, "project_not_found");
      throw err;
    }
    if (!result.verdict.allowed) throw new OpenAIError(403, result.verdict.reason, "invalid_request_error", null, "playground_not_allowed");
    return {
      keyId: null,
      name: "Playground",
      projectId: result.access.projectId,
      orgId: result.access.orgId,
      permissions: ALL_PERMISSIONS,
      ownerUserId: userId,
      serviceAccountId: null,
      rpmLimit: null,
      tpmLimit: null,
    };
  };
}
