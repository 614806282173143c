import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { formatDate } from "@/components/orgs/format";
import { InviteMemberDialog } from "@/components/orgs/invite-member-dialog";
import { MembersTable } from "@/components/orgs/members-table";
import { PendingInvitations } from "@/components/orgs/pending-invitations";
import { SectionHeading } from "@/components/orgs/section-heading";
import { can } from "@/lib/auth/roles";
import { loadOrgPage, pageData } from "@/lib/console/page-access";
import { listPendingInvitations } from "@/lib/orgs/invitations";
import { listOrgMembers } from "@/lib/orgs/orgs";
import { listVisibleProjects } from "@/lib/projects/projects";
import { changeMemberRoleAction, inviteMemberAction, removeMemberAction, revokeInvitationAction } from "./actions";

export const metadata: Metadata = { title: "Members" };

export default async function OrgMembersPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const { user, actor, access } = await loadOrgPage(orgId);
  const isOwner = can.manageOrg(access.role);
  const [members, invitations, projects] = await Promise.all([
    pageData(listOrgMembers(actor, orgId)),
    pageData(listPendingInvitations(actor, orgId)),
    isOwner ? pageData(listVisibleProjects(actor, orgId)) : Promise.resolve([]),
  ]);

  return (
    <>
      <PageHeader
        title="Members"
        description={
          isOwner
            ? "Manage who belongs to this organization and what they can do."
            : "People in this organization. Only owners can invite or change members."
        }
        actions={
          isOwner && (
            <InviteMemberDialog
              orgId={access.orgId}
              orgName={access.orgName}
              projects={projects.map((p) => ({ id: p.id, name: p.name }))}
              action={inviteMemberAction}
            />
          )
        }
      />
      <div className="space-y-10">
        <section aria-labelledby="members-heading" className="space-y-3">
          <SectionHeading id="members-heading" count={members.length}>
            Members
          </SectionHeading>
          <MembersTable
            orgId={access.orgId}
            orgName={access.orgName}
            currentUserId={user.id}
            canManage={isOwner}
            members={members.map((m) => ({
              userId: m.userId,
              name: m.name,
              email: m.email,
              role: m.role,
              joined: formatDate(m.joinedAt),
            }))}
            changeRoleAction={changeMemberRoleAction}
            removeAction={removeMemberAction}
          />
        </section>
        <section aria-labelledby="invitations-heading" className="space-y-3">
          <SectionHeading id="invitations-heading" count={invitations.length}>
            Pending invitations
          </SectionHeading>
          <PendingInvitations
            orgId={access.orgId}
            canManage={isOwner}
            invitations={invitations.map((i) => ({
              id: i.id,
              email: i.email,
              role: i.role,
              invited: formatDate(i.createdAt),
              expires: formatDate(i.expiresAt),
            }))}
            revokeAction={revokeInvitationAction}
          />
        </section>
      </div>
    </>
  );
}
