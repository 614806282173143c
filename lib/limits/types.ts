import "server-only";

// The rate limiter's contract, shared by the in-memory and the Redis implementation.
// Re-exported from ./rate-limiter, which is what the rest of the app imports.

export type LimitSpec = { rpm: number | null; tpm: number | null; rpd: number | null }; // null = unlimited

export type RateLimitState = {
  limitRequests: number | null;
  remainingRequests: number | null;
  resetRequestsMs: number | null;
  limitTokens: number | null;
  remainingTokens: number | null;
  resetTokensMs: number | null;
};

export type Reservation = { scope: string; tokens: number; at: number /* ms epoch of the bucket it was counted in */ };

export type Admission =
  | { allowed: true; state: RateLimitState; reservation: Reservation }
  | {
      allowed: false;
      kind: "requests" | "tokens";
      retryAfterMs: number;
      state: RateLimitState;
      message: string;
      /**
       * Set when the request alone exceeds a limit (more tokens than the TPM, or a limit of 0):
       * waiting does not help, so callers may tell clients not to retry (x-should-retry: false).
       */
      tooLarge?: true;
    };

export interface RateLimiter {
  admit(scope: string, limits: LimitSpec, tokens: number): Promise<Admission>;
  /**
   * Replace the reserved token count with the actual one (less or more) once the call is done.
   * Sets reservation.tokens to the actual count, so calling it again (e.g. as a stream goes on)
   * replaces the previous count rather than adding to it. Never throws.
   */
  reconcile(reservation: Reservation, actualTokens: number): Promise<void>;
  close(): Promise<void>;
}
