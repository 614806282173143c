import { NextResponse, type NextRequest } from "next/server";

// Runs before routing for /v1 only: a path that is not valid percent-encoding would otherwise
// fail inside the framework with a plain-text 500; OpenAI's clients expect a JSON 400.
export function proxy(request: NextRequest) {
  try {
    decodeURIComponent(request.nextUrl.pathname);
    return NextResponse.next();
  } catch {
    return NextResponse.json(
      { error: { message: `Invalid URL (${request.method} ${request.nextUrl.pathname}): the path is not valid percent-encoding.`, type: "invalid_request_error", param: null, code: null } },
      { status: 400, headers: { "x-request-id": `req_${crypto.randomUUID().replace(/-/g, "")}` } },
    );
  }
}

// Only paths with a percent sign can be malformed: everything else skips the proxy (it costs
// close to a millisecond per request).
export const config = { matcher: "/v1/:path(.*%.*)" };
