// The shapes the request log hands from the server to its client components. Plain JSON:
// money is a decimal string of integer micro-dollars, times are preformatted in the
// organization's time zone (so the server and the browser show the same text).

export type RequestRow = {
  /** The event's row id (a bigint, as text): with `createdAt` it orders the log. */
  id: string;
  requestId: string;
  /** UTC, ISO 8601 with milliseconds. */
  createdAt: string;
  /** "Nov 15, 10:17:03" in the organization's time zone. */
  time: string;
  /** The same instant as local ISO 8601 with its offset. */
  timeLocal: string;
  projectId: string;
  projectName: string;
  /** null: a console playground run. */
  apiKeyId: string | null;
  keyName: string;
  endpoint: string;
  /** "" when the request failed before a model was chosen. */
  model: string;
  status: number;
  errorCode: string | null;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  /** Integer micro-dollars, as a decimal string. */
  costMicros: string;
  latencyMs: number;
  ttftMs: number | null;
  streamed: boolean;
  cancelled: boolean;
};

export type RequestPage = { rows: RequestRow[]; nextCursor: string | null };

export type CostLine = {
  label: string;
  tokens: number;
  /** Micro-dollars per 1M tokens; null: the model has no such price. */
  priceMicros: number | null;
  /** tokens × price, in pico-dollars (10^-12 $), exact; null when not priced. */
  amountPico: string | null;
};

export type CostBreakdown = {
  /** Whether the model is still in the catalog. */
  modelKnown: boolean;
  lines: CostLine[];
  /** The request at today's prices, rounded to whole micro-dollars like the API bills; null when not priced. */
  todayMicros: string | null;
  recordedMicros: string;
  /** Today's prices would bill a different amount: prices changed since (or the model is gone). */
  differs: boolean;
};

export type RateLimitWindow = { limit: string | null; remaining: string | null; reset: string | null };

export type RateLimitState = {
  requests: RateLimitWindow | null;
  tokens: RateLimitWindow | null;
  retryAfter: string | null;
};

export type StoredJson = {
  /** Pretty-printed JSON, cut at a size the browser shows comfortably. */
  text: string;
  truncated: boolean;
  /** Size of the whole pretty-printed JSON, in characters. */
  size: number;
};

export type StoredBodies = {
  request: StoredJson;
  response: StoredJson | null;
  /** Response headers (name → value), sorted by name; null when they were not stored. */
  headers: [string, string][] | null;
};

export type RequestDetail = RequestRow & {
  provider: string | null;
  keyDetail: string | null;
  /** Who made the request: the key's owner, or the playground's user. */
  userLabel: string | null;
  userDetail: string | null;
  projectExists: boolean;
  /** The project's "Store request and response bodies" setting, now. */
  projectStoresBodies: boolean;
  cost: CostBreakdown;
  /** null: nothing was stored for this request. */
  bodies: StoredBodies | null;
  rateLimit: RateLimitState | null;
  /** Chat requests with a stored body open in the project's playground. */
  playgroundHref: string | null;
};
