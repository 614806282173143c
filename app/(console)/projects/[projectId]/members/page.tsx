import type { Metadata } from "next";
import { ShieldCheck, Users } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { AddMemberDialog } from "@/components/projects/add-member-dialog";
import { ArchivedBanner } from "@/components/projects/archived-banner";
import { formatDate } from "@/components/projects/format";
import { MembersTable, type MemberRow } from "@/components/projects/members-table";
import { can } from "@/lib/auth/roles";
import { loadProjectPage, pageData } from "@/lib/console/page-access";
import { listOrgMembers } from "@/lib/orgs/orgs";
import { listProjectMembers } from "@/lib/projects/projects";
import { addMemberAction, changeMemberRoleAction, removeMemberAction } from "./actions";

export const metadata: Metadata = { title: "Project members" };

export default async function MembersPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { user, actor, access } = await loadProjectPage(projectId);
  const canManage = can.manageProject(access.role);
  const [{ members, orgOwners }, orgMembers] = await Promise.all([
    pageData(listProjectMembers(actor, projectId)),
    canManage ? pageData(listOrgMembers(actor, access.orgId)) : Promise.resolve([]),
  ]);

  const rows: MemberRow[] = members.map((m) => ({
    userId: m.userId,
    name: m.name,
    email: m.email,
    role: m.role,
    added: formatDate(m.addedAt),
    isYou: m.userId === user.id,
  }));
  // Autocomplete: organization readers who are not in the project yet (owners see every project).
  const inProject = new Set(members.map((m) => m.userId));
  const suggestions = orgMembers.filter((m) => m.role !== "owner" && !inProject.has(m.userId)).map((m) => m.email);

  return (
    <>
      <ArchivedBanner status={access.projectStatus} />
      <PageHeader
        title="Members"
        description={
          <>
            People with access to <span className="font-medium text-foreground">{access.projectName}</span>. Owners manage
            its keys, service accounts, members and settings; members can view them.
          </>
        }
        actions={
          canManage ? (
            <AddMemberDialog projectId={projectId} action={addMemberAction} suggestions={suggestions} />
          ) : (
            <p className="text-sm text-muted-foreground" data-testid="owner-only-note">
              Only project owners can manage members
            </p>
          )
        }
      />
      <div className="grid gap-6">
        <MembersTable
          projectId={projectId}
          members={rows}
          canManage={canManage}
          changeRoleAction={changeMemberRoleAction}
          removeAction={removeMemberAction}
          empty={
            <EmptyState
              icon={Users}
              title="No project members"
              description={
                canManage
                  ? "Add organization members to give them access to this project."
                  : "Only organization owners have access to this project."
              }
              data-testid="members-empty"
            />
          }
        />

        {orgOwners.length > 0 && (
          <div className="flex items-start gap-3 rounded-xl border bg-muted/30 px-4 py-3 text-sm" data-testid="org-owners-note">
            <ShieldCheck className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
            <div className="min-w-0 space-y-1.5">
              <p className="text-muted-foreground">
                Organization owners of <span className="font-medium text-foreground">{access.orgName}</span> can manage
                every project, including this one, without being listed above.
              </p>
              <ul className="flex flex-wrap gap-x-4 gap-y-1">
                {orgOwners.map((o) => (
                  <li key={o.id} className="min-w-0 truncate" data-testid="org-owner">
                    <span className="font-medium">{o.name || o.email}</span>
                    {o.name && <span className="text-muted-foreground"> · {o.email}</span>}
                    {o.id === user.id && <span className="text-muted-foreground"> (you)</span>}
                  </li>
                ))}
              </ul>
            </div>
          </div>
        )}
      </div>
    </>
  );
}
