import { chatCompletions } from "@/lib/gateway/chat-completions";
import { withApiKey, wrongMethod, preflight } from "@/lib/gateway/with-api-key";

export const dynamic = "force-dynamic";

export const POST = withApiKey({ endpoint: "chat.completions", resource: "chat_completions", access: "write" }, (ctx) => chatCompletions(ctx));
export { wrongMethod as GET, wrongMethod as PUT, wrongMethod as PATCH, wrongMethod as DELETE };
export { preflight as OPTIONS };
