import { fineTuningJobRoute } from "@/lib/gateway/routes";
import { wrongMethod, preflight } from "@/lib/gateway/with-api-key";

export const dynamic = "force-dynamic";

export const GET = fineTuningJobRoute.GET;
export { wrongMethod as POST, wrongMethod as PUT, wrongMethod as PATCH, wrongMethod as DELETE };
export { preflight as OPTIONS };
