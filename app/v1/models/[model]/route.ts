import { retrieveModel } from "@/lib/gateway/models";
import { withApiKey, wrongMethod } from "@/lib/gateway/with-api-key";

export const dynamic = "force-dynamic";

export const GET = withApiKey<{ model: string }>({ endpoint: "models.retrieve", resource: "models", access: "read" }, (ctx, { model }) =>
  retrieveModel(ctx, decodeURIComponent(model)),
);
export { wrongMethod as POST, wrongMethod as PUT, wrongMethod as PATCH };
