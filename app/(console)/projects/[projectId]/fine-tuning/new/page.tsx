import type { Metadata } from "next";
import Link from "next/link";
import { ArrowLeft, Lock } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { ArchivedBanner } from "@/components/projects/archived-banner";
import { CreateJobForm } from "@/components/fine-tuning/create-job-form";
import { loadProjectPage } from "@/lib/console/page-access";
import { fineTuningPolicy, trainableModels, trainingFiles } from "@/lib/finetune/console";
import { LIMITS, MAX_SUFFIX } from "@/lib/finetune/params";
import { createJobAction, validateJobAction } from "../actions";

export const metadata: Metadata = { title: "New fine-tuning job" };

export default async function NewFineTuningJobPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { access } = await loadProjectPage(projectId);
  const { canManage, manageNote } = fineTuningPolicy(access);
  const listHref = `/projects/${encodeURIComponent(projectId)}/fine-tuning`;
  const back = (
    <Button variant="ghost" size="sm" asChild className="-ml-2 mb-2 text-muted-foreground">
      <Link href={listHref}>
        <ArrowLeft aria-hidden="true" />
        Fine-tuning
      </Link>
    </Button>
  );

  if (!canManage) {
    return (
      <>
        <ArchivedBanner status={access.projectStatus} />
        {back}
        <PageHeader title="New fine-tuning job" />
        <EmptyState icon={Lock} title="You cannot create fine-tuning jobs here" description={manageNote} data-testid="ft-create-unavailable" />
      </>
    );
  }

  const [files, models] = await Promise.all([trainingFiles(projectId), trainableModels(projectId)]);
  return (
    <>
      {back}
      <PageHeader
        title="New fine-tuning job"
        description="Choose the data and the base model. The files are checked before the job is created, and the report shows what training will cost."
      />
      <CreateJobForm
        projectId={projectId}
        files={files}
        models={models}
        limits={{ ...LIMITS }}
        maxSuffix={MAX_SUFFIX}
        validate={validateJobAction}
        create={createJobAction}
      />
    </>
  );
}
