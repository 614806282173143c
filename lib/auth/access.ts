import "server-only";
import { db } from "@/lib/db";
import { forbidden, notFound } from "@/lib/errors";
import { can, effectiveProjectRole, type OrgRole, type ProjectRole } from "./roles";

export type Actor = { userId: string };

export type OrgAccess = { orgId: string; orgName: string; role: OrgRole };
export type ProjectAccess = {
  projectId: string;
  projectName: string;
  projectStatus: "active" | "archived";
  orgId: string;
  orgName: string;
  orgRole: OrgRole;
  role: ProjectRole; // effective
};

/** The actor's role in an organization; "not found" when they are not a member (no existence leak). */
export async function getOrgAccess(actor: Actor, orgId: string): Promise<OrgAccess> {
  if (typeof orgId !== "string" || !orgId) throw notFound("Organization");
  const prisma = await db();
  const m = await prisma.orgMembership.findUnique({
    where: { orgId_userId: { orgId, userId: actor.userId } },
    select: { role: true, org: { select: { id: true, name: true } } },
  });
  if (!m) throw notFound("Organization");
  return { orgId: m.org.id, orgName: m.org.name, role: m.role };
}

export async function requireOrgOwner(actor: Actor, orgId: string): Promise<OrgAccess> {
  const access = await getOrgAccess(actor, orgId);
  if (!can.manageOrg(access.role)) throw forbidden("Only organization owners can do that.");
  return access;
}

/** The actor's effective role in a project; "not found" when they may not see it. */
export async function getProjectAccess(actor: Actor, projectId: string): Promise<ProjectAccess> {
  if (typeof projectId !== "string" || !projectId) throw notFound("Project");
  const prisma = await db();
  const project = await prisma.project.findUnique({
    where: { id: projectId },
    select: {
      id: true,
      name: true,
      status: true,
      org: {
        select: { id: true, name: true, memberships: { where: { userId: actor.userId }, select: { role: true } } },
      },
      memberships: { where: { userId: actor.userId }, select: { role: true } },
    },
  });
  const orgRole = project?.org.memberships[0]?.role ?? null;
  const role = effectiveProjectRole(orgRole, project?.memberships[0]?.role ?? null);
  if (!project || !orgRole || !role) throw notFound("Project");
  return {
    projectId: project.id,
    projectName: project.name,
    projectStatus: project.status,
    orgId: project.org.id,
    orgName: project.org.name,
    orgRole,
    role,
  };
}

export async function requireProjectOwner(actor: Actor, projectId: string): Promise<ProjectAccess> {
  const access = await getProjectAccess(actor, projectId);
  if (!can.manageProject(access.role)) throw forbidden("Only project owners can do that.");
  return access;
}
