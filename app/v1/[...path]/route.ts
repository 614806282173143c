import { unknownRoute, preflight } from "@/lib/gateway/with-api-key";

// Anything under /v1 that is not an endpoint answers OpenAI's JSON 404, never an HTML page.
export const dynamic = "force-dynamic";

export { unknownRoute as GET, unknownRoute as POST, unknownRoute as PUT, unknownRoute as PATCH, unknownRoute as DELETE };
export { preflight as OPTIONS };
