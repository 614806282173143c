import type { Metadata } from "next";
import Link from "next/link";
import { Plus } from "lucide-react";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { ArchivedBanner } from "@/components/projects/archived-banner";
import { JobsEmpty } from "@/components/fine-tuning/jobs-empty";
import { JobsTable } from "@/components/fine-tuning/jobs-table";
import { loadProjectPage } from "@/lib/console/page-access";
import { fineTuningPolicy, JOBS_PAGE_SIZE, jobSummary, trainableModels } from "@/lib/finetune/console";
import { listJobs } from "@/lib/finetune/jobs";
import { loadMoreJobsAction } from "./actions";

export const metadata: Metadata = { title: "Fine-tuning" };

export default async function FineTuningPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { access } = await loadProjectPage(projectId);
  const { canManage, manageNote } = fineTuningPolicy(access);
  const page = await listJobs(projectId, { limit: JOBS_PAGE_SIZE });
  const rows = (page?.rows ?? []).map(jobSummary);
  const newHref = `/projects/${encodeURIComponent(projectId)}/fine-tuning/new`;
  const models = rows.length === 0 ? await trainableModels(projectId) : [];

  return (
    <>
      <ArchivedBanner status={access.projectStatus} />
      <PageHeader
        title="Fine-tuning"
        description={
          <>
            Train models of <span className="font-medium text-foreground">{access.projectName}</span> on your own examples, follow
            their training, and try the results in the playground.
          </>
        }
        actions={
          canManage ? (
            <Button asChild data-testid="ft-create">
              <Link href={newHref}>
                <Plus aria-hidden="true" />
                Create job
              </Link>
            </Button>
          ) : (
            <p className="text-sm text-muted-foreground" data-testid="ft-manage-note">
              {manageNote}
            </p>
          )
        }
      />
      {rows.length === 0 ? (
        <JobsEmpty newHref={newHref} canCreate={canManage} manageNote={manageNote} model={models[0]?.id ?? "BASE_MODEL"} />
      ) : (
        <JobsTable projectId={projectId} initialRows={rows} initialHasMore={page?.hasMore ?? false} loadMore={loadMoreJobsAction} />
      )}
    </>
  );
}
