import { getProjectAccess } from "@/lib/auth/access";
import { getCurrentUser } from "@/lib/auth/session";
import { ServiceError } from "@/lib/errors";
import { jobSnapshot } from "@/lib/finetune/console";
import { getJob } from "@/lib/finetune/jobs";

// A fine-tuning job as its console page shows it, for the page to poll while the job runs:
// the signed-in user's session, the same access as the page (anyone who can see the project).
// `?metrics_after=<cursor>` answers only the metric points written since the previous answer.

export const dynamic = "force-dynamic";

type Params = { projectId: string; jobId: string };

const error = (status: number, message: string) =>
  Response.json({ error: { message } }, { status, headers: { "cache-control": "no-store" } });

export async function GET(request: Request, route: { params: Promise<Params> }) {
  const { projectId, jobId } = await route.params;
  const user = await getCurrentUser();
  if (!user) return error(401, "You are not signed in. Sign in to the Gatehouse console and try again.");
  try {
    await getProjectAccess({ userId: user.id }, projectId);
  } catch (err) {
    if (err instanceof ServiceError) return error(404, "Project not found.");
    throw err;
  }
  const job = await getJob(projectId, jobId.slice(0, 100));
  if (!job) return error(404, "Fine-tuning job not found.");
  const after = new URL(request.url).searchParams.get("metrics_after");
  const snapshot = await jobSnapshot(job, after);
  return Response.json(snapshot, { headers: { "cache-control": "no-store" } });
}
