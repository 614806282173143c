import "server-only";
import { db } from "@/lib/db";
import { log } from "@/lib/log";

/**
 * Stores a request's body, response and response headers (request id, rate-limit state) for
 * the request log, for projects that turn it on. Off the request path.
 */
export function storeBodies(requestId: string, projectId: string, request: unknown, response: unknown, headers?: Record<string, string>) {
  const stored: Record<string, string> = { "x-request-id": requestId, ...headers };
  void db()
    .then((prisma) =>
      prisma.requestBody.create({
        data: { requestId, projectId, request: request as object, response: (response ?? undefined) as object | undefined, headers: stored },
      }),
    )
    .catch((err) => log.warn("storing request body failed", { requestId, error: (err as Error).message }));
}
