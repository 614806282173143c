import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { PageHeader } from "@/components/ui/page-header";
import { Separator } from "@/components/ui/separator";
import { ArchivedBanner } from "@/components/projects/archived-banner";
import { ProjectDangerZone } from "@/components/projects/project-danger-zone";
import { RenameProjectForm } from "@/components/projects/rename-project-form";
import { ProjectApiCard, ProjectModelLimits } from "@/components/projects/project-api-settings";
import { getProjectApiSettings } from "@/lib/admin/project-api-settings";
import { can } from "@/lib/auth/roles";
import { loadProjectPage, pageData } from "@/lib/console/page-access";
import {
  archiveProjectAction,
  removeProjectLimitAction,
  renameProjectAction,
  setProjectLimitAction,
  unarchiveProjectAction,
  updateApiSettingsAction,
} from "./actions";

export const metadata: Metadata = { title: "Project settings" };

export default async function ProjectSettingsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { actor, access } = await loadProjectPage(projectId);
  const canManage = can.manageProject(access.role);
  const archived = access.projectStatus === "archived";
  const api = await pageData(getProjectApiSettings(actor, projectId));
  const modelOptions = api.models.map((m) => ({ id: m.id, tierLimit: m.tierLimit }));

  return (
    <>
      <ArchivedBanner status={access.projectStatus} />
      <PageHeader title="Project settings" description="The project's name, identifier and status, the models its keys may use, and its limits." />
      <div className="grid max-w-3xl gap-6">
        <Card>
          <CardHeader>
            <CardTitle>General</CardTitle>
            <CardDescription>
              {canManage ? "Project owners can rename the project." : "Only project owners can change these settings."}
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-5">
            {canManage ? (
              <RenameProjectForm projectId={projectId} projectName={access.projectName} action={renameProjectAction} />
            ) : (
              <Field label="Project name">
                <span className="font-medium" data-testid="project-name">
                  {access.projectName}
                </span>
              </Field>
            )}
            <Separator />
            <Field label="Project ID" hint="Identifies the project in API requests and support questions.">
              <span className="flex min-w-0 items-center gap-1">
                <code className="truncate rounded-md bg-muted px-2 py-1 font-mono text-[13px]" data-testid="project-id">
                  {projectId}
                </code>
                <CopyButton value={projectId} label="Copy project ID" toastMessage="Project ID copied" data-testid="copy-project-id" />
              </span>
            </Field>
            <Separator />
            <Field label="Organization">
              <span>{access.orgName}</span>
            </Field>
            <Separator />
            <Field label="Status">
              <Badge variant={archived ? "warning" : "success"} data-testid="project-status-badge">
                {archived ? "Archived" : "Active"}
              </Badge>
            </Field>
          </CardContent>
        </Card>

        <ProjectApiCard
          projectId={projectId}
          canManage={canManage}
          models={modelOptions}
          allowedModels={api.allowedModels}
          storeBodies={api.storeBodies}
          playgroundForMembers={api.playgroundForMembers}
          action={updateApiSettingsAction}
        />

        <ProjectModelLimits
          projectId={projectId}
          canManage={canManage}
          tier={api.tier}
          models={modelOptions}
          defaultTierLimit={api.defaultTierLimit}
          limits={api.limits.map((l) => ({ model: l.model, rpm: l.rpm, tpm: l.tpm, rpd: l.rpd, tierLimit: l.tierLimit }))}
          setAction={setProjectLimitAction}
          removeAction={removeProjectLimitAction}
        />

        {can.archiveProject(access.orgRole) && (
          <ProjectDangerZone
            projectId={projectId}
            projectName={access.projectName}
            status={access.projectStatus}
            archiveAction={archiveProjectAction}
            unarchiveAction={unarchiveProjectAction}
          />
        )}
      </div>
    </>
  );
}

function Field({ label, hint, children }: { label: string; hint?: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1.5 sm:grid-cols-[10rem_1fr] sm:items-center sm:gap-4">
      <div>
        <p className="text-sm font-medium">{label}</p>
        {hint && <p className="text-xs text-muted-foreground sm:hidden">{hint}</p>}
      </div>
      <div className="min-w-0 text-sm">
        {children}
        {hint && <p className="mt-1 hidden text-xs text-muted-foreground sm:block">{hint}</p>}
      </div>
    </div>
  );
}
