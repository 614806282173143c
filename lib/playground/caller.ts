import "server-only";
import { getProjectAccess, type ProjectAccess } from "@/lib/auth/access";
import { db } from "@/lib/db";
import { sessionCaller } from "@/lib/gateway/session-caller";

// Who runs a model from the console's playground: the signed-in user, in a project they can
// see. Calls go through the same pipeline as API keys (limits, metering, request log) with
// the user as the caller and no key. Project owners may always use it; members when the
// project allows it (Settings → "Members can use the playground").

export type PlaygroundAccess = { allowed: true; role: "owner" | "member" } | { allowed: false; reason: string };

function verdictFor(access: ProjectAccess, playgroundForMembers: boolean): PlaygroundAccess {
  if (access.projectStatus !== "active") return { allowed: false, reason: "This project is archived: its models cannot be run. An organization owner can unarchive it." };
  if (access.role === "owner" || playgroundForMembers) return { allowed: true, role: access.role };
  return { allowed: false, reason: "This project does not let members use the playground. A project owner can allow it in the project's settings." };
}

async function membersMayUse(projectId: string) {
  const prisma = await db();
  const project = await prisma.project.findUnique({ where: { id: projectId }, select: { playgroundForMembers: true } });
  return project?.playgroundForMembers ?? false;
}

export async function playgroundAccess(userId: string, projectId: string) {
  const access = await getProjectAccess({ userId }, projectId);
  return { access, verdict: verdictFor(access, await membersMayUse(access.projectId)) };
}

/** The `identify` step of the pipeline for playground calls to `projectId` (same-origin, signed in, allowed). */
export function playgroundCaller(projectId: string) {
  return sessionCaller(projectId, {
    name: "Playground",
    refusalCode: "playground_not_allowed",
    check: async (access) => {
      const verdict = verdictFor(access, await membersMayUse(access.projectId));
      return verdict.allowed ? null : verdict.reason;
    },
  });
}
