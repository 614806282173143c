import type { Metadata } from "next";
import { FolderKanban } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { CreateProjectDialog } from "@/components/orgs/create-project-dialog";
import { formatDate } from "@/components/orgs/format";
import { ProjectsTable } from "@/components/orgs/projects-table";
import { can } from "@/lib/auth/roles";
import { loadOrgPage, pageData } from "@/lib/console/page-access";
import { listVisibleProjects } from "@/lib/projects/projects";
import { createProjectAction, setProjectArchivedAction } from "./actions";

export const metadata: Metadata = { title: "Projects" };

export default async function OrgProjectsPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const { actor, access } = await loadOrgPage(orgId);
  const canCreate = can.createProject(access.role);
  const projects = await pageData(listVisibleProjects(actor, orgId, { includeArchived: true }));

  return (
    <>
      <PageHeader
        title="Projects"
        description={
          canCreate
            ? "Projects group API keys, service accounts and members. Archiving a project stops all of its keys."
            : "The projects of this organization you are a member of."
        }
        actions={canCreate && <CreateProjectDialog orgId={access.orgId} action={createProjectAction} />}
      />
      {projects.length === 0 ? (
        <EmptyState
          icon={FolderKanban}
          title="No projects yet"
          description={
            canCreate
              ? "Create a project to start issuing API keys."
              : "You have not been added to any project. Ask an organization owner to add you."
          }
          data-testid="projects-empty"
        />
      ) : (
        <ProjectsTable
          canManage={can.archiveProject(access.role)}
          archiveAction={setProjectArchivedAction}
          projects={projects.map((p) => ({
            id: p.id,
            name: p.name,
            status: p.status,
            activeKeys: p.activeKeys,
            members: p.members,
            created: formatDate(p.createdAt),
            archived: p.archivedAt ? formatDate(p.archivedAt) : null,
          }))}
        />
      )}
    </>
  );
}
