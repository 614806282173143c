import { embeddings } from "@/lib/gateway/embeddings";
import { withApiKey, wrongMethod, preflight } from "@/lib/gateway/with-api-key";

export const dynamic = "force-dynamic";

export const POST = withApiKey({ endpoint: "embeddings", resource: "embeddings", access: "write" }, (ctx) => embeddings(ctx));
export { wrongMethod as GET, wrongMethod as PUT, wrongMethod as PATCH, wrongMethod as DELETE };
export { preflight as OPTIONS };
