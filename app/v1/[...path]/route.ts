import { nextUnknownRoutes } from "@/lib/gateway/routes";

// Anything under /v1 that is not an endpoint answers OpenAI's JSON 404, never an HTML page.
export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = nextUnknownRoutes();
