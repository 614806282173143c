// One error type for domain services. Console actions turn it into form errors; the /v1
// surface maps it to OpenAI's error shape. Anything else is a bug: logged, answered generically.

export type ServiceErrorCode = "invalid" | "not_found" | "forbidden" | "conflict" | "rate_limited" | "unauthenticated";

export class ServiceError extends Error {
  constructor(
    public readonly code: ServiceErrorCode,
    message: string,
    public readonly fieldErrors: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

export const notFound = (what = "That item") => new ServiceError("not_found", `${what} was not found, or you do not have access to it.`);
export const forbidden = (message = "You do not have permission to do that.") => new ServiceError("forbidden", message);
export const invalid = (message: string, fieldErrors: Record<string, string> = {}) =>
  new ServiceError("invalid", message, fieldErrors);
