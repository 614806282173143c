import "server-only";
import { getOrgAccess, getProjectAccess, type Actor } from "@/lib/auth/access";
import { db, getDatabase } from "@/lib/db";
import { forbidden, invalid } from "@/lib/errors";
import { isValidTimeZone } from "@/lib/usage/time";
import { costBreakdown, headerPairs, rateLimitFrom, storedJson } from "./format";
import {
  decodeCursor,
  encodeCursor,
  isRequestId,
  PAGE_SIZE,
  PLAYGROUND_KEY,
  requestQuerySchema,
  type RequestCursor,
  type RequestQueryInput,
  type RequestRange,
  type RequestScope,
} from "./params";
import { storedRequestToPlaygroundConfig, type StoredRequestConversion } from "./playground";
import { localIsoMs, timeLabel, zonedToUtc } from "./time";
import type { RequestDetail, RequestPage, RequestRow } from "./types";

// The request log: raw usage events (UsageEvent), newest first, one page at a time.
//
// Pages are keyset pages on (createdAt DESC, id DESC) over the (orgId, createdAt) index (the
// (projectId, createdAt) one when a project is chosen): a page deep in a long history costs
// what the first one does, where OFFSET would read and discard every row before it.
//
// Access is decided here from the actor, as the usage dashboard decides it: organization
// owners read the whole organization's events (or only their own, "me"); every other member
// reads only events carrying their user id (their keys and their playground runs). A request
// outside that, or in another organization, is "not found" like one that does not exist.

export type ResolvedRequestQuery = {
  orgId: string;
  orgName: string;
  role: "owner" | "reader";
  scope: RequestScope;
  /** Set when only one user's events may be read. */
  userId: string | null;
  timeZone: string;
  range: RequestRange;
  /** Inclusive start; exclusive end (null: up to now and whatever arrives next). */
  from: Date;
  to: Date | null;
  project: string | null;
  /** undefined: any; null: playground runs (no key); else a key id. */
  key: string | null | undefined;
  model: string | null;
  status: string | null;
  code: string | null;
  cursor: RequestCursor | null;
};

const RANGE_MS: Record<Exclude<RequestRange, "custom">, number> = {
  "1h": 3_600_000,
  "24h": 86_400_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
};

/** An invalid view's message: every distinct problem, in one sentence list. */
const messageOf = (issues: { message: string }[]) => [...new Set(issues.map((i) => i.message))].join(" ");

/** The organization's time zone, or UTC when this runtime does not know it (never a broken page). */
async function orgTimeZone(orgId: string): Promise<string> {
  const org = await (await db()).organization.findUnique({ where: { id: orgId }, select: { timeZone: true } });
  return isValidTimeZone(org?.timeZone) ? org.timeZone : "UTC";
}

/** Validates a view and resolves it for the actor. Throws ServiceError (invalid / not_found / forbidden). */
export async function resolveRequestQuery(actor: Actor, orgId: string, input: RequestQueryInput, opts: { now?: Date } = {}): Promise<ResolvedRequestQuery> {
  const parsed = requestQuerySchema.safeParse(input);
  if (!parsed.success) throw invalid(messageOf(parsed.error.issues));
  const q = parsed.data;

  const access = await getOrgAccess(actor, orgId); // not a member → not found
  const isOwner = access.role === "owner";
  const scope: RequestScope = q.scope ?? (isOwner ? "org" : "me");
  if (scope === "org" && !isOwner) throw forbidden("Only organization owners can see the whole organization's requests.");
  const timeZone = await orgTimeZone(access.orgId);

  const now = (opts.now ?? new Date()).getTime();
  if (!Number.isFinite(now)) throw invalid("Invalid current time.");
  let from: number;
  let to: number | null = null;
  if (q.range === "custom") {
    from = q.from ? zonedToUtc(timeZone, q.from) : Date.UTC(2000, 0, 1);
    if (q.to) {
      // "To" includes the whole of its last unit: the day of a date, the minute (or second) of a time.
      const unit = q.to.length === 10 ? 86_400_000 : q.to.length === 16 ? 60_000 : 1_000;
      to = zonedToUtc(timeZone, q.to) + unit;
    }
    if (to !== null && to <= from) throw invalid("“From” must be before “To”.");
    if (from > now) throw invalid("“From” is in the future: there are no requests to show yet.");
  } else {
    from = now - RANGE_MS[q.range];
  }

  return issue({
    orgId: access.orgId,
    orgName: access.orgName,
    role: access.role,
    scope,
    userId: scope === "me" ? actor.userId : null,
    timeZone,
    range: q.range,
    from: new Date(from),
    to: to === null ? null : new Date(to),
    project: q.project ?? null,
    key: q.key === undefined ? undefined : q.key === PLAYGROUND_KEY ? null : q.key,
    model: q.model ?? null,
    status: q.status ?? null,
    code: q.code ?? null,
    cursor: q.cursor ? decodeCursor(q.cursor) : null,
  });
}

// Only views made by resolveRequestQuery reach the database, frozen: a hand-built or edited
// view (say, one with its user filter removed) is refused rather than trusted.
const issued = new WeakSet<ResolvedRequestQuery>();

function issue(q: ResolvedRequestQuery): ResolvedRequestQuery {
  if (q.cursor) Object.freeze(q.cursor);
  Object.freeze(q);
  issued.add(q);
  return q;
}

function checked(q: ResolvedRequestQuery): ResolvedRequestQuery {
  if (!issued.has(q)) throw new Error("Request log queries take a view made by resolveRequestQuery.");
  return q;
}

// ---- SQL ----

/** `timestamp` parameters as UTC wall time: the column has no time zone and holds UTC. */
const utc = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");

// Output names shadow the table's in ORDER BY: sorting must name the table's columns.
const COLUMNS = `id::text AS id, "requestId",
  to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  "projectId", "apiKeyId", "userId", endpoint, model, provider,
  "promptTokens", "cachedTokens", "completionTokens", "costMicros"::text AS "costMicros",
  "latencyMs", "ttftMs", status, "errorCode", streamed, cancelled`;

type EventRow = {
  id: string;
  requestId: string;
  createdAt: string;
  projectId: string;
  apiKeyId: string | null;
  userId: string | null;
  endpoint: string;
  model: string;
  provider: string | null;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  costMicros: string;
  latencyMs: number;
  ttftMs: number | null;
  status: number;
  errorCode: string | null;
  streamed: boolean;
  cancelled: boolean;
};

export type Sql = { text: string; params: unknown[] };

/** The statement of one page (exported for tests that check its plan). */
export function pageSql(view: ResolvedRequestQuery, limit = PAGE_SIZE + 1): Sql {
  const q = checked(view);
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const conds = [`"orgId" = ${p(q.orgId)}`, `"createdAt" >= ${p(utc(q.from.getTime()))}::timestamp`];
  if (q.to) conds.push(`"createdAt" < ${p(utc(q.to.getTime()))}::timestamp`);
  if (q.userId !== null) conds.push(`"userId" = ${p(q.userId)}`);
  if (q.project) conds.push(`"projectId" = ${p(q.project)}`);
  if (q.key === null) conds.push(`"apiKeyId" IS NULL`);
  else if (q.key !== undefined) conds.push(`"apiKeyId" = ${p(q.key)}`);
  if (q.model !== null) conds.push(`model = ${p(q.model)}`);
  if (q.status) {
    const range: Record<string, [number, number]> = { "2xx": [200, 299], "4xx": [400, 499], "5xx": [500, 599], errors: [400, 599] };
    const r = range[q.status];
    if (r) conds.push(`status BETWEEN ${r[0]} AND ${r[1]}`);
    else conds.push(`status = ${p(Number(q.status))}::int`);
  }
  if (q.code) conds.push(`"errorCode" = ${p(q.code)}`);
  if (q.cursor) {
    // The plain bound lets the index range stop at the cursor; the row comparison breaks ties.
    const at = p(utc(q.cursor.createdMs));
    conds.push(`"createdAt" <= ${at}::timestamp`, `("createdAt", id) < (${at}::timestamp, ${p(q.cursor.id)}::bigint)`);
  }
  return {
    text: `SELECT ${COLUMNS} FROM "UsageEvent" WHERE ${conds.join(" AND ")} ORDER BY "UsageEvent"."createdAt" DESC, "UsageEvent".id DESC LIMIT ${Math.max(1, Math.floor(limit))}`,
    params,
  };
}

async function run<T>(sql: Sql): Promise<T[]> {
  return (await getDatabase()).sql.query<T>(sql.text, sql.params);
}

const PLAYGROUND_LABEL = "Playground";

/** Names of the projects and keys a page shows (only this organization's). */
async function labelsFor(orgId: string, rows: EventRow[]) {
  const prisma = await db();
  const projectIds = [...new Set(rows.map((r) => r.projectId))];
  const keyIds = [...new Set(rows.map((r) => r.apiKeyId).filter((k): k is string => !!k))];
  const [projects, keys] = await Promise.all([
    projectIds.length ? prisma.project.findMany({ where: { orgId, id: { in: projectIds } }, select: { id: true, name: true } }) : [],
    keyIds.length
      ? prisma.apiKey.findMany({ where: { id: { in: keyIds }, project: { orgId } }, select: { id: true, name: true, redactedValue: true, revokedAt: true } })
      : [],
  ]);
  return { projects: new Map(projects.map((p) => [p.id, p.name])), keys: new Map(keys.map((k) => [k.id, k])) };
}

function toRow(e: EventRow, timeZone: string, labels: Awaited<ReturnType<typeof labelsFor>>): RequestRow {
  const ms = Date.parse(e.createdAt);
  return {
    id: e.id,
    requestId: e.requestId,
    createdAt: e.createdAt,
    time: timeLabel(timeZone, ms),
    timeLocal: localIsoMs(timeZone, ms),
    projectId: e.projectId,
    projectName: labels.projects.get(e.projectId) ?? "Deleted project",
    apiKeyId: e.apiKeyId,
    keyName: e.apiKeyId === null ? PLAYGROUND_LABEL : (labels.keys.get(e.apiKeyId)?.name ?? "Deleted key"),
    endpoint: e.endpoint,
    model: e.model,
    status: Number(e.status),
    errorCode: e.errorCode,
    promptTokens: Number(e.promptTokens),
    cachedTokens: Number(e.cachedTokens),
    completionTokens: Number(e.completionTokens),
    costMicros: e.costMicros,
    latencyMs: Number(e.latencyMs),
    ttftMs: e.ttftMs === null ? null : Number(e.ttftMs),
    streamed: !!e.streamed,
    cancelled: !!e.cancelled,
  };
}

/** One page of the view: up to PAGE_SIZE rows after its cursor, and the cursor of the next page. */
export async function listRequests(q: ResolvedRequestQuery, pageSize = PAGE_SIZE): Promise<RequestPage> {
  const events = await run<EventRow>(pageSql(q, pageSize + 1));
  const more = events.length > pageSize;
  const page = more ? events.slice(0, pageSize) : events;
  const labels = await labelsFor(q.orgId, page);
  const last = page.at(-1);
  return {
    rows: page.map((e) => toRow(e, q.timeZone, labels)),
    nextCursor: more && last ? encodeCursor({ createdMs: Date.parse(last.createdAt), id: last.id }) : null,
  };
}

export type RequestFilterOptions = {
  projects: { id: string; name: string; archived: boolean }[];
  keys: { id: string; name: string; detail: string | null }[];
  models: string[];
};

/**
 * What the filters offer: the organization's projects (a member's own projects), the API keys
 * of the view's scope (all of the organization's, or the user's own), and the catalog's models.
 * Values already in the view stay listed even when nothing matches them any more.
 */
export async function requestFilterOptions(actor: Actor, view: ResolvedRequestQuery): Promise<RequestFilterOptions> {
  const q = checked(view);
  const prisma = await db();
  const [projects, keys, catalog] = await Promise.all([
    prisma.project.findMany({
      where: { orgId: q.orgId, ...(q.role === "owner" ? {} : { OR: [{ memberships: { some: { userId: actor.userId } } }, ...(q.project ? [{ id: q.project }] : [])] }) },
      orderBy: [{ status: "asc" }, { name: "asc" }],
      select: { id: true, name: true, status: true },
      take: 500,
    }),
    prisma.apiKey.findMany({
      where: {
        project: { orgId: q.orgId },
        ...(q.userId !== null ? { OR: [{ ownerUserId: q.userId }, ...(q.key ? [{ id: q.key }] : [])] } : {}),
      },
      orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { name: "asc" }],
      select: { id: true, name: true, redactedValue: true, revokedAt: true },
      take: 500,
    }),
    prisma.model.findMany({ select: { id: true }, orderBy: { id: "asc" }, take: 500 }),
  ]);
  return {
    projects: projects.map((p) => ({ id: p.id, name: p.name, archived: p.status === "archived" })),
    keys: [
      { id: PLAYGROUND_KEY, name: PLAYGROUND_LABEL, detail: "Console playground" },
      ...keys.map((k) => ({ id: k.id, name: k.name, detail: k.revokedAt ? `${k.redactedValue} · revoked` : k.redactedValue })),
    ],
    models: [...new Set([...catalog.map((m) => m.id), ...(q.model ? [q.model] : [])])].filter(Boolean).sort(),
  };
}

// ---- One request ----

/**
 * The event of `requestId` that the actor may read in `orgId`, or null. Organization owners
 * read every event of their organization; other members only their own (the same rule as the list).
 */
async function visibleEvent(actor: Actor, orgId: string, requestId: string, where: { projectId?: string } = {}) {
  const access = await getOrgAccess(actor, orgId); // not a member → not found
  if (!isRequestId(requestId)) return { access, event: null };
  const params: unknown[] = [requestId, access.orgId];
  let sql = `SELECT ${COLUMNS} FROM "UsageEvent" WHERE "requestId" = $1 AND "orgId" = $2`;
  if (access.role !== "owner") {
    params.push(actor.userId);
    sql += ` AND "userId" = $${params.length}`;
  }
  if (where.projectId) {
    params.push(where.projectId);
    sql += ` AND "projectId" = $${params.length}`;
  }
  const rows = await run<EventRow>({ text: `${sql} ORDER BY "UsageEvent".id LIMIT 1`, params });
  return { access, event: rows[0] ?? null };
}

/** Everything about one request, or null when it does not exist or the actor may not see it. */
export async function getRequestDetail(actor: Actor, orgId: string, requestId: string): Promise<RequestDetail | null> {
  const { access, event } = await visibleEvent(actor, orgId, requestId);
  if (!event) return null;
  const prisma = await db();
  const [timeZone, labels, project, key, user, model, body] = await Promise.all([
    orgTimeZone(access.orgId),
    labelsFor(access.orgId, [event]),
    prisma.project.findFirst({ where: { id: event.projectId, orgId: access.orgId }, select: { storeBodies: true } }),
    event.apiKeyId ? prisma.apiKey.findFirst({ where: { id: event.apiKeyId, project: { orgId: access.orgId } }, select: { redactedValue: true, revokedAt: true } }) : null,
    event.userId ? prisma.user.findUnique({ where: { id: event.userId }, select: { name: true, email: true } }) : null,
    event.model ? prisma.model.findUnique({ where: { id: event.model }, select: { inputPriceMicros: true, cachedInputPriceMicros: true, outputPriceMicros: true } }) : null,
    // Bodies are keyed by request id; the project must match too, so a body can only show with its own event.
    prisma.requestBody.findFirst({ where: { requestId: event.requestId, projectId: event.projectId }, select: { request: true, response: true, headers: true } }),
  ]);
  const row = toRow(event, timeZone, labels);
  const headers = body ? headerPairs(body.headers) : null;
  const isChat = event.endpoint === "chat.completions";
  return {
    ...row,
    provider: event.provider,
    keyDetail: key ? (key.revokedAt ? `${key.redactedValue} · revoked` : key.redactedValue) : null,
    userLabel: user ? user.name || user.email : event.userId ? "Deleted user" : null,
    userDetail: user?.name ? user.email : null,
    projectExists: !!project,
    projectStoresBodies: project?.storeBodies ?? false,
    cost: costBreakdown(model, { promptTokens: row.promptTokens, cachedTokens: row.cachedTokens, completionTokens: row.completionTokens }, row.costMicros),
    bodies: body
      ? { request: storedJson(body.request), response: body.response === null ? null : storedJson(body.response), headers }
      : null,
    rateLimit: rateLimitFrom(headers),
    playgroundHref:
      isChat && body && project ? `/projects/${encodeURIComponent(event.projectId)}/playground?request=${encodeURIComponent(event.requestId)}` : null,
  };
}

// ---- Into the playground ----

export type StoredRequestForPlayground =
  | (StoredRequestConversion & { ok: true; requestId: string; orgId: string })
  | { ok: false; requestId: string; reason: "not_found" | "not_chat" | "not_stored" | "unreadable"; message: string };

/**
 * A stored chat request as a playground setup, for the playground of `projectId`. The request
 * must be one the actor may read in the request log, and made in that project.
 */
export async function loadStoredRequestForPlayground(actor: Actor, projectId: string, requestId: string): Promise<StoredRequestForPlayground> {
  const project = await getProjectAccess(actor, projectId); // not visible → not found
  const notFound = {
    ok: false as const,
    requestId,
    reason: "not_found" as const,
    message: `Request ${requestId.slice(0, 64)} was not found in this project, or you do not have access to it. The playground starts empty.`,
  };
  if (!isRequestId(requestId)) return notFound;
  const { event } = await visibleEvent(actor, project.orgId, requestId, { projectId: project.projectId });
  if (!event) return notFound;
  if (event.endpoint !== "chat.completions") {
    return { ok: false, requestId, reason: "not_chat", message: `Request ${requestId} was not a chat completion (${event.endpoint}): only chat requests open in the playground.` };
  }
  const body = await (await db()).requestBody.findFirst({ where: { requestId, projectId: project.projectId }, select: { request: true } });
  if (!body) {
    return {
      ok: false,
      requestId,
      reason: "not_stored",
      message: `The body of request ${requestId} was not stored, so it cannot be opened here. Bodies are stored only while the project's “Store request and response bodies” setting is on.`,
    };
  }
  const converted = storedRequestToPlaygroundConfig(body.request);
  if (!converted.ok) return { ok: false, requestId, reason: "unreadable", message: `Request ${requestId} cannot be opened in the playground: ${converted.reason}` };
  return { ...converted, requestId, orgId: project.orgId };
}
