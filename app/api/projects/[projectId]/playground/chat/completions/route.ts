import { chatCompletions } from "@/lib/gateway/chat-completions";
import { nextRoute } from "@/lib/gateway/answer";
import { withCaller } from "@/lib/gateway/with-api-key";
import { playgroundCaller } from "@/lib/playground/caller";

// The console playground's chat endpoint: /v1/chat/completions for the signed-in user in a
// project (session cookie instead of an API key), through the same pipeline: limits,
// metering and the request log apply, and the answer is byte for byte the API's.

export const dynamic = "force-dynamic";

type Params = { projectId: string };

export async function POST(request: Request, route: { params: Promise<Params> }) {
  const { projectId } = await route.params;
  const handler = withCaller<Params>({ endpoint: "chat.completions", resource: "chat_completions", access: "write" }, playgroundCaller(projectId), (ctx) => chatCompletions(ctx));
  return nextRoute(handler)(request, route);
}
