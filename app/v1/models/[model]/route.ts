import { modelRoute } from "@/lib/gateway/routes";
import { wrongMethod, preflight } from "@/lib/gateway/with-api-key";

export const dynamic = "force-dynamic";

export const GET = modelRoute.GET;
export const DELETE = modelRoute.DELETE;
export { wrongMethod as POST, wrongMethod as PUT, wrongMethod as PATCH };
export { preflight as OPTIONS };
