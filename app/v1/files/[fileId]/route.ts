import { fileRoute } from "@/lib/gateway/routes";
import { wrongMethod, preflight } from "@/lib/gateway/with-api-key";

export const dynamic = "force-dynamic";

export const GET = fileRoute.GET;
export const DELETE = fileRoute.DELETE;
export { wrongMethod as POST, wrongMethod as PUT, wrongMethod as PATCH };
export { preflight as OPTIONS };
