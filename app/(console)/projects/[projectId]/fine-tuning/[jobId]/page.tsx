import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft } from "lucide-react";
import { Button } from "@/components/ui/button";
import { ArchivedBanner } from "@/components/projects/archived-banner";
import { JobDetailView } from "@/components/fine-tuning/job-detail";
import { loadProjectPage } from "@/lib/console/page-access";
import { fineTuningPolicy, jobSnapshot } from "@/lib/finetune/console";
import { getJob } from "@/lib/finetune/jobs";
import { cancelJobAction } from "../actions";

export async function generateMetadata({ params }: { params: Promise<{ jobId: string }> }): Promise<Metadata> {
  const { jobId } = await params;
  return { title: `Fine-tuning job ${jobId.slice(0, 40)}` };
}

export default async function FineTuningJobPage({ params }: { params: Promise<{ projectId: string; jobId: string }> }) {
  const { projectId, jobId } = await params;
  const { access } = await loadProjectPage(projectId);
  const job = await getJob(projectId, jobId.slice(0, 100));
  if (!job) notFound();
  const { canManage, manageNote } = fineTuningPolicy(access);
  const snapshot = await jobSnapshot(job);

  return (
    <>
      <ArchivedBanner status={access.projectStatus} />
      <Button variant="ghost" size="sm" asChild className="-ml-2 mb-2 text-muted-foreground">
        <Link href={`/projects/${encodeURIComponent(projectId)}/fine-tuning`}>
          <ArrowLeft aria-hidden="true" />
          Fine-tuning
        </Link>
      </Button>
      <JobDetailView projectId={projectId} initial={snapshot} canManage={canManage} manageNote={manageNote} cancelAction={cancelJobAction} />
    </>
  );
}
