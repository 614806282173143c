// OpenAI's error shape for the /v1 surface: {"error":{"message","type","param","code"}} with
// OpenAI's status codes. Everything the API answers with an error goes through OpenAIError.

export type OpenAIErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "rate_limit_error"
  | "insufficient_quota"
  | "server_error"
  | "api_error"
  | "service_unavailable";

export type OpenAIErrorBody = {
  error: { message: string; type: OpenAIErrorType | string; param: string | null; code: string | null };
};

// Recognised by a registered symbol rather than by class identity: the API server and the
// framework's route bundles may each hold their own copy of this module in one process.
const OPENAI_ERROR = Symbol.for("gatehouse.OpenAIError");

export class OpenAIError extends Error {
  readonly [OPENAI_ERROR] = true;

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[OPENAI_ERROR] === true;
  }

  constructor(
    public readonly status: number,
    message: string,
    public readonly type: OpenAIErrorType | string,
    public readonly param: string | null = null,
    public readonly code: string | null = null,
    /** Extra response headers, e.g. retry-after. */
    public readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "OpenAIError";
  }

  body(): OpenAIErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export const invalidRequest = (message: string, param: string | null = null, code: string | null = null) =>
  new OpenAIError(400, message, "invalid_request_error", param, code);

export const contextLengthExceeded = (contextWindow: number, requested: number, param = "messages") =>
  new OpenAIError(
    400,
    `This model's maximum context length is ${contextWindow} tokens. However, you requested ${requested} tokens. Please reduce the length of the messages or completion.`,
    "invalid_request_error",
    param,
    "context_length_exceeded",
  );

export const invalidApiKey = (message: string) => new OpenAIError(401, message, "invalid_request_error", null, "invalid_api_key");

export const missingApiKey = () =>
  new OpenAIError(
    401,
    "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
    "invalid_request_error",
    null,
    null,
  );

export const permissionDenied = (message: string, code: string | null = null) =>
  new OpenAIError(403, message, "permission_error", null, code);

export const modelNotFound = (model: string) =>
  new OpenAIError(
    404,
    `The model \`${model}\` does not exist or you do not have access to it.`,
    "invalid_request_error",
    "model",
    "model_not_found",
  );

export const notFound = (message: string, param: string | null = null) =>
  new OpenAIError(404, message, "invalid_request_error", param, null);

/** OpenAI answers rate limits with type "requests" (RPM/RPD) or "tokens" (TPM). */
export const rateLimited = (message: string, retryAfterSeconds: number, kind: "requests" | "tokens" = "requests") =>
  new OpenAIError(429, message, kind, null, "rate_limit_exceeded", {
    "retry-after": String(Math.max(1, Math.ceil(retryAfterSeconds))),
  });

export const insufficientQuota = (message: string) =>
  new OpenAIError(429, message, "insufficient_quota", null, "insufficient_quota");

/** A provider (local model or upstream) failed; clients may retry. */
export const providerError = (message: string, status = 502) => new OpenAIError(status, message, "server_error", null, null);

export const overloaded = (message: string, retryAfterSeconds: number) =>
  new OpenAIError(503, message, "service_unavailable", null, "overloaded", {
    "retry-after": String(Math.max(1, Math.ceil(retryAfterSeconds))),
  });

export const internalError = (requestId: string) =>
  new OpenAIError(
    500,
    `The server had an error while processing your request. Sorry about that! You can retry your request, or contact us if the error persists. (Please include the request ID ${requestId} in your message.)`,
    "server_error",
    null,
    null,
  );

/** A request path that is not valid percent-encoding (OpenAI's clients expect JSON, not a framework error page). */
export const invalidPathEncoding = (method: string, pathname: string) =>
  new OpenAIError(400, `Invalid URL (${method} ${pathname}): the path is not valid percent-encoding.`, "invalid_request_error", null, null);
