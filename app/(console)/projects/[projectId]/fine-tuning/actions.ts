"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { id, runAction, type ActionResult, type ActionState } from "@/lib/actions";
import {
  asFormError,
  checkJobInputs,
  fineTuningViewer,
  JOBS_PAGE_SIZE,
  jobSummary,
  requireFineTuningManager,
  type JobSummary,
} from "@/lib/finetune/console";
import { cancelJob, createJob, listJobs } from "@/lib/finetune/jobs";
import { parseCreateJob } from "@/lib/finetune/params";
import { validateTrainingFiles, type ValidationReport } from "@/lib/finetune/prepare";
import { pokeFineTuningWorker } from "@/lib/finetune/worker";
import { invalid } from "@/lib/errors";

// The console's fine-tuning mutations and reads. The create form sends the same body as
// POST /v1/fine_tuning/jobs: it is parsed by the API's own parser, so its messages are the
// API's. Roles are checked here on the server (see lib/finetune/console.ts).

const body = z.record(z.string(), z.unknown(), { error: "The form could not be read." });
const listPath = (projectId: string) => `/projects/${projectId}/fine-tuning`;

/** The data checks of a job that is not created yet: what its validating_files stage will find. */
export async function validateJobAction(projectId: string, input: Record<string, unknown>): Promise<ActionResult<ValidationReport>> {
  return runAction(z.object({ projectId: id, body }), { projectId, body: input }, async (actor, d) => {
    await requireFineTuningManager(actor, d.projectId);
    try {
      const params = parseCreateJob(d.body);
      await checkJobInputs(d.projectId, params);
      const report = await validateTrainingFiles({
        projectId: d.projectId,
        model: params.model,
        trainingFile: params.trainingFile,
        validationFile: params.validationFile,
        hyperparameters: params.hyperparameters,
      });
      return { ok: true, data: report };
    } catch (err) {
      throw asFormError(err);
    }
  });
}

export async function createJobAction(projectId: string, input: Record<string, unknown>): Promise<ActionResult<{ id: string }>> {
  return runAction(z.object({ projectId: id, body }), { projectId, body: input }, async (actor, d) => {
    const access = await requireFineTuningManager(actor, d.projectId);
    try {
      const params = parseCreateJob(d.body);
      const job = await createJob({ orgId: access.orgId, projectId: access.projectId, apiKeyId: null, userId: actor.userId }, params);
      pokeFineTuningWorker();
      revalidatePath(listPath(d.projectId));
      return { ok: true, message: "Fine-tuning job created", data: { id: job.id } };
    } catch (err) {
      throw asFormError(err);
    }
  });
}

const cancelSchema = z.object({ projectId: id, jobId: z.string().trim().min(1).max(100) });

export async function cancelJobAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return runAction(cancelSchema, form, async (actor, d) => {
    await requireFineTuningManager(actor, d.projectId);
    try {
      await cancelJob(d.projectId, d.jobId, { userId: actor.userId, apiKeyId: null });
    } catch (err) {
      throw asFormError(err);
    }
    revalidatePath(listPath(d.projectId));
    revalidatePath(`${listPath(d.projectId)}/${d.jobId}`);
    return { ok: true, message: "Fine-tuning job cancelled" };
  });
}

export type JobsPage = { rows: JobSummary[]; hasMore: boolean };

/** "Load more": the jobs created before `after` (a job id). */
export async function loadMoreJobsAction(projectId: string, after: string): Promise<ActionResult<JobsPage>> {
  return runAction(z.object({ projectId: id, after: z.string().trim().min(1).max(100) }), { projectId, after }, async (actor, d) => {
    await fineTuningViewer(actor, d.projectId);
    const page = await listJobs(d.projectId, { limit: JOBS_PAGE_SIZE, after: d.after });
    if (!page) throw invalid("That job is no longer in this project's list. Reload the page.");
    return { ok: true, data: { rows: page.rows.map(jobSummary), hasMore: page.hasMore } };
  });
}
