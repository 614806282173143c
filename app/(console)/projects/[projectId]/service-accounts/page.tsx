import type { Metadata } from "next";
import { Bot } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { ArchivedBanner } from "@/components/projects/archived-banner";
import { CreateServiceAccountDialog } from "@/components/projects/create-service-account-dialog";
import { formatDate } from "@/components/projects/format";
import { ServiceAccountsTable } from "@/components/projects/service-accounts-table";
import { can } from "@/lib/auth/roles";
import { loadProjectPage, pageData } from "@/lib/console/page-access";
import { listServiceAccounts } from "@/lib/keys/service-accounts";
import { createServiceAccountAction, deleteServiceAccountAction } from "./actions";

export const metadata: Metadata = { title: "Service accounts" };

export default async function ServiceAccountsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { actor, access } = await loadProjectPage(projectId);
  const canManage = can.manageProject(access.role);
  const canCreateKeys = access.projectStatus === "active";
  const serviceAccounts = await pageData(listServiceAccounts(actor, projectId));
  const rows = serviceAccounts.map((sa) => ({
    id: sa.id,
    name: sa.name,
    created: formatDate(sa.createdAt),
    activeKeys: sa.activeKeys,
  }));

  return (
    <>
      <ArchivedBanner status={access.projectStatus} />
      <PageHeader
        title="Service accounts"
        description="Service accounts are bot members of this project. API keys they own belong to the project rather than to a person, which suits servers, CI jobs and other automation."
        actions={
          canManage ? (
            <CreateServiceAccountDialog
              projectId={projectId}
              action={createServiceAccountAction}
              canCreateKeys={canCreateKeys}
            />
          ) : (
            <p className="text-sm text-muted-foreground" data-testid="owner-only-note">
              Only project owners can manage service accounts
            </p>
          )
        }
      />
      <ServiceAccountsTable
        projectId={projectId}
        serviceAccounts={rows}
        canManage={canManage}
        canCreateKeys={canCreateKeys}
        deleteAction={deleteServiceAccountAction}
        empty={
          <EmptyState
            icon={Bot}
            title="No service accounts yet"
            description={
              canManage
                ? "Create a service account for keys used by servers, CI jobs and other automation."
                : "A project owner can create service accounts for this project."
            }
            data-testid="service-accounts-empty"
          />
        }
      />
    </>
  );
}
