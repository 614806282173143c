import { fineTuningJobsRoute } from "@/lib/gateway/routes";
import { wrongMethod, preflight } from "@/lib/gateway/with-api-key";

export const dynamic = "force-dynamic";

export const GET = fineTuningJobsRoute.GET;
export const POST = fineTuningJobsRoute.POST;
export { wrongMethod as PUT, wrongMethod as PATCH, wrongMethod as DELETE };
export { preflight as OPTIONS };
