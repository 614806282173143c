import { fineTuningJobCancelRoute } from "@/lib/gateway/routes";
import { wrongMethod, preflight } from "@/lib/gateway/with-api-key";

export const dynamic = "force-dynamic";

export const POST = fineTuningJobCancelRoute.POST;
export { wrongMethod as GET, wrongMethod as PUT, wrongMethod as PATCH, wrongMethod as DELETE };
export { preflight as OPTIONS };
