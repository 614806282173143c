import { fileContent } from "@/lib/gateway/files";
import { sessionCaller } from "@/lib/gateway/session-caller";
import { nextRoute } from "@/lib/gateway/answer";
import { withCaller } from "@/lib/gateway/with-api-key";

// The console's download of a project's file (streamed).

export const dynamic = "force-dynamic";

type Params = { projectId: string; fileId: string };

export async function GET(request: Request, route: { params: Promise<Params> }) {
  const { projectId } = await route.params;
  const handler = withCaller<Params>({ endpoint: "files.content", resource: "files", access: "read" }, sessionCaller(projectId), (ctx, { fileId }) => fileContent(ctx, fileId));
  return nextRoute(handler)(request, route);
}
