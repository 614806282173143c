import { NextResponse, type NextRequest } from "next/server";
import { invalidPathEncoding } from "@/lib/openai/errors";

// Runs before routing for /v1 only when the framework serves the API itself (`next dev`; in
// production server.mjs hands /v1 to lib/gateway/node-server.ts, which checks the same): a
// path that is not valid percent-encoding would otherwise fail inside the framework with a
// plain-text 500; OpenAI's clients expect a JSON 400.
export function proxy(request: NextRequest) {
  try {
    decodeURIComponent(request.nextUrl.pathname);
    return NextResponse.next();
  } catch {
    const err = invalidPathEncoding(request.method, request.nextUrl.pathname);
    return NextResponse.json(err.body(), { status: err.status, headers: { "x-request-id": `req_${crypto.randomUUID().replace(/-/g, "")}` } });
  }
}

// Only paths with a percent sign can be malformed: everything else skips the proxy (it costs
// close to a millisecond per request).
export const config = { matcher: "/v1/:path(.*%.*)" };
