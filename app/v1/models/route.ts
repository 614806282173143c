import { listModels } from "@/lib/gateway/models";
import { withApiKey, wrongMethod, preflight } from "@/lib/gateway/with-api-key";

export const dynamic = "force-dynamic";

export const GET = withApiKey({ endpoint: "models.list", resource: "models", access: "read" }, (ctx) => listModels(ctx));
export { wrongMethod as POST, wrongMethod as PUT, wrongMethod as PATCH, wrongMethod as DELETE };
export { preflight as OPTIONS };
