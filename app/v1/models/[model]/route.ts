import { deleteModel, retrieveModel } from "@/lib/gateway/models";
import { withApiKey, wrongMethod, preflight } from "@/lib/gateway/with-api-key";

export const dynamic = "force-dynamic";

export const GET = withApiKey<{ model: string }>({ endpoint: "models.retrieve", resource: "models", access: "read" }, (ctx, { model }) =>
  retrieveModel(ctx, decodeURIComponent(model)),
);
export const DELETE = withApiKey<{ model: string }>({ endpoint: "models.delete", resource: "models", access: "write" }, (ctx, { model }) =>
  deleteModel(ctx, decodeURIComponent(model)),
);
export { wrongMethod as POST, wrongMethod as PUT, wrongMethod as PATCH };
export { preflight as OPTIONS };
