// Who may do what. Pure functions, used by every service and by pages to hide controls.
//
// Organization roles: owner (everything in the organization and all its projects) and
// reader (read-only; sees only the projects they are a member of).
// Project roles: owner (manages the project's keys, service accounts, members, name) and
// member (sees the project, changes nothing in its administration).

export type OrgRole = "owner" | "reader";
export type ProjectRole = "owner" | "member";

/** A user's effective role in a project: org owners own every project of their org. */
export function effectiveProjectRole(orgRole: OrgRole | null, projectRole: ProjectRole | null): ProjectRole | null {
  if (!orgRole) return null; // not in the organization at all
  if (orgRole === "owner") return "owner";
  return projectRole;
}

export const can = {
  viewOrg: (orgRole: OrgRole | null) => orgRole !== null,
  manageOrg: (orgRole: OrgRole | null) => orgRole === "owner",
  viewAuditLog: (orgRole: OrgRole | null) => orgRole === "owner",
  createProject: (orgRole: OrgRole | null) => orgRole === "owner",
  archiveProject: (orgRole: OrgRole | null) => orgRole === "owner",
  viewProject: (role: ProjectRole | null) => role !== null,
  manageProject: (role: ProjectRole | null) => role === "owner",
};

/** Whether removing or demoting one owner would leave the organization with none. */
export function wouldLeaveNoOwner(ownerCount: number, targetIsOwner: boolean): boolean {
  return targetIsOwner && ownerCount <= 1;
}
