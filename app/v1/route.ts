import { nextUnknownRoutes } from "@/lib/gateway/routes";

// `/v1` itself is not an endpoint: OpenAI's JSON 404, never an HTML page.
export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = nextUnknownRoutes();
