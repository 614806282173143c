import { uploadRefusal } from "@/lib/files/actions";
import { uploadFile } from "@/lib/gateway/files";
import { sessionCaller } from "@/lib/gateway/session-caller";
import { nextRoute } from "@/lib/gateway/answer";
import { withCaller } from "@/lib/gateway/with-api-key";

// The console's upload: /v1/files for the signed-in user in a project, through the same
// pipeline (streamed to storage, OpenAI's file object or error back). Project owners only, in
// an active project (lib/files/actions.ts).

export const dynamic = "force-dynamic";

type Params = { projectId: string };

export async function POST(request: Request, route: { params: Promise<Params> }) {
  const { projectId } = await route.params;
  const handler = withCaller<Params>({ endpoint: "files.create", resource: "files", access: "write" }, sessionCaller(projectId, { check: uploadRefusal }), (ctx) => uploadFile(ctx));
  return nextRoute(handler, { streamsBody: true })(request, route);
}
