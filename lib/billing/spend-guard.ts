import "server-only";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { invalidateProjectPolicy } from "@/lib/gateway/policy";
import { getConfig } from "@/lib/config";
import { getBalance } from "./ledger";
import { formatUsd, utcMonth } from "./money";
import { createSharedSpend, HEARTBEAT_MS, type SharedScope } from "./shared-spend";

// Hard spend limits on the request path: an organization's prepaid credit, and the monthly
// hard caps of its budget and its projects' budgets. Before a call runs, its maximum cost is
// reserved under each limit in force; the call is refused (429 insufficient_quota) when the
// reservation does not fit. When it ends, the reservation is exchanged for the actual cost.
// Within one instance check-and-reserve is synchronous, so concurrent requests can never
// together exceed a limit: spend overshoots only by what a call uses beyond its reservation.
//
// What a scope may still spend = its limit − spend in the database at the last snapshot
// − spend settled here since (not yet written, or written after the snapshot) − reservations.
// Snapshots are re-read in the background every REFRESH_MS (and at once after console changes
// on this instance).
//
// Several instances: with REDIS_URL set, each admission is also checked against what every
// other instance has in flight and has written since the snapshot (shared-spend.ts), so the
// limits hold for all instances together. Without Redis (or while it is unreachable) each
// instance sees the others' spend only at its next snapshot, and together they may overshoot
// by what the others spent since (bounded by REFRESH_MS plus the usage flush interval).

const REFRESH_MS = 10_000;
/** How long changes that only lower this instance's spend in flight wait to be told to Redis. */
const PUBLISH_MS = 25;

type Kind = "credit" | "org" | "project";

type Scope = {
  kind: Kind;
  id: string;
  orgId: string;
  /** credit: available balance at the snapshot; budgets: spend this month at the snapshot. */
  snapshot: bigint;
  month: string;
  /** Settled here and not yet written by the usage recorder. */
  unflushed: bigint;
  /** Written by the recorder since the snapshot was taken. */
  flushed: bigint;
  reserved: bigint;
  loadedAt: number;
  /** Must be re-read before the next admission (never loaded, changed in the console, new month). */
  mustLoad: boolean;
  loading: Promise<void> | null;
  /** With Redis: the shared spend written (f) when the snapshot was read, and the scope's key there. */
  fAtSnapshot: bigint;
  sharedKey: string;
  /** With Redis: this instance's in-flight spend there is not known to be current. */
  published: bigint;
};

export type SpendLimits = {
  orgId: string;
  projectId: string;
  /** Whether prepaid credit is enforced. */
  credit: boolean;
  orgCapMicros: bigint | null;
  projectCapMicros: bigint | null;
};

export type SpendReservation = {
  scopes: Scope[];
  amount: bigint;
  settled: boolean;
  /** With Redis: the check against the other instances, still running (see confirmSpend). */
  shared: Promise<SpendRefused | null> | null;
};

export class SpendRefused extends Error {
  constructor(
    message: string,
    readonly scope: Kind,
  ) {
    super(message);
  }
}

type Shared = ReturnType<typeof createSharedSpend>;
type State = {
  scopes: Map<string, Scope>;
  shared: Shared | null | undefined;
  heartbeat: ReturnType<typeof setInterval> | null;
  /** Scopes to state in Redis at the next publish, with the spend written since. */
  dirty: Map<Scope, bigint>;
  publishing: ReturnType<typeof setTimeout> | null;
};
const g = globalThis as unknown as { __gatehouseSpend?: State };
const state = () => (g.__gatehouseSpend ??= { scopes: new Map(), shared: undefined, heartbeat: null, dirty: new Map(), publishing: null });

/** The Redis side, when REDIS_URL is set (made on first use). */
function shared(): Shared | null {
  const s = state();
  if (s.shared === undefined) {
    const url = getConfig().REDIS_URL;
    s.shared = url ? createSharedSpend(url) : null;
    if (s.shared) {
      s.heartbeat = setInterval(() => publish([...s.scopes.values()].filter((x) => x.published !== 0n || pending(x) > 0n), true), HEARTBEAT_MS);
      s.heartbeat.unref();
    }
  }
  return s.shared;
}

/**
 * What this instance has in flight for the others: reservations, spend settled and not yet
 * written, and spend written whose move to Redis' written total (f) is still to be published.
 */
const pending = (scope: Scope) => scope.reserved + scope.unflushed + (state().dirty.get(scope) ?? 0n);

/**
 * Tells the other instances what this one has in flight (and what it wrote), PUBLISH_MS later,
 * in one script for every scope changed meanwhile. Waiting is safe: what is in flight only
 * grows through admissions, which state it themselves; settling and writing make it smaller,
 * so until they are published the others count this instance's spend twice, never not at all.
 */
function publish(scopes: Scope[], always = false, written?: Map<Scope, bigint>) {
  const s = state();
  if (!s.shared) return;
  for (const x of scopes) {
    if (!x.sharedKey || !(always || written?.get(x) || pending(x) !== x.published)) continue;
    s.dirty.set(x, (s.dirty.get(x) ?? 0n) + (written?.get(x) ?? 0n));
  }
  if (s.dirty.size && !s.publishing) s.publishing = setTimeout(() => void publishNow(), PUBLISH_MS);
}

async function publishNow() {
  const s = state();
  if (s.publishing) clearTimeout(s.publishing);
  s.publishing = null;
  const sh = s.shared;
  const dirty = [...s.dirty];
  s.dirty.clear();
  if (!sh || !dirty.length) return;
  // The written spend leaves this instance's figure and joins f in the same script.
  const updates = dirty.map(([x, written]) => {
    x.published = pending(x);
    return { key: x.sharedKey, pending: x.published, written };
  });
  // A failure is warned about where it happens; the heartbeat states it all again.
  await sh.state(updates).catch(() => {
    for (const [x, written] of dirty) {
      x.published = -1n;
      s.dirty.set(x, (s.dirty.get(x) ?? 0n) + written);
    }
  });
}

/** Spend of a month, from the hourly rollups, of an organization or one project. */
async function monthSpendOf(scope: Scope, month: { start: Date; end: Date }): Promise<bigint> {
  const prisma = await db();
  // By organization and hour first: the rollups' index.
  const [row] = await prisma.$queryRawUnsafe<{ spent: bigint | null }[]>(
    `SELECT SUM("costMicros") AS spent FROM "UsageRollup" WHERE "orgId" = $1 AND "hour" >= $2 AND "hour" < $3${scope.kind === "project" ? ` AND "projectId" = $4` : ""}`,
    ...[scope.orgId, month.start, month.end, ...(scope.kind === "project" ? [scope.id] : [])],
  );
  return BigInt(row?.spent ?? 0);
}

const keyOf = (kind: Kind, id: string) => `${kind}:${id}`;

function scopeOf(kind: Kind, id: string, orgId: string): Scope {
  const s = state();
  const key = keyOf(kind, id);
  let scope = s.scopes.get(key);
  if (!scope) {
    scope = { kind, id, orgId, snapshot: 0n, month: "", unflushed: 0n, flushed: 0n, reserved: 0n, loadedAt: 0, mustLoad: true, loading: null, fAtSnapshot: 0n, sharedKey: "", published: 0n };
    s.scopes.set(key, scope);
  }
  return scope;
}

async function load(scope: Scope) {
  const month = utcMonth(new Date());
  const flushedBefore = scope.flushed;
  const sh = shared();
  const sharedKey = sh ? sh.keyOf(scope.orgId, scope.kind === "credit" ? "credit" : `${scope.kind}:${scope.id}:${month.month}`) : "";
  // Read before the database: spend written in between is then counted twice, never missed.
  let fAtSnapshot = 0n;
  if (sh) {
    try {
      fAtSnapshot = await sh.flushed(sharedKey);
    } catch {
      fAtSnapshot = -1n; // Redis unreachable: this snapshot is checked on this instance only
    }
  }
  const value = scope.kind === "credit" ? (await getBalance(scope.id)).availableMicros : await monthSpendOf(scope, month);
  // Spend written before the read began is in `value` now; spend written while it ran may be
  // in both (counted twice until the next snapshot): the guard errs on the side of refusing.
  scope.flushed -= flushedBefore;
  if (scope.month !== month.month && scope.kind !== "credit") {
    // A new month: what was settled belongs to the old one (and is in no budget of this one).
    scope.unflushed = 0n;
    scope.flushed = 0n;
  }
  scope.snapshot = value;
  scope.fAtSnapshot = fAtSnapshot;
  if (scope.sharedKey !== sharedKey) {
    // A new month's key (or Redis back after an outage): nothing of this instance there yet.
    scope.published = 0n;
    state().dirty.delete(scope);
  }
  scope.sharedKey = fAtSnapshot < 0n ? "" : sharedKey;
  scope.month = month.month;
  scope.loadedAt = Date.now();
  scope.mustLoad = false;
}

function refresh(scope: Scope): Promise<void> {
  if (!scope.loading) {
    scope.loading = load(scope).finally(() => {
      scope.loading = null;
    });
  }
  return scope.loading;
}

/** What the scope may still spend under `cap` (budgets) or its balance (credit). */
function available(scope: Scope, cap: bigint | null): bigint {
  const used = scope.unflushed + scope.flushed + scope.reserved;
  return scope.kind === "credit" ? scope.snapshot - used : (cap as bigint) - scope.snapshot - used;
}

const MESSAGES: Record<Kind, (cap: bigint | null) => string> = {
  credit: () =>
    "You exceeded your current quota: your organization's prepaid credit is used up. Add credit (redeem a code or ask an administrator) in the Gatehouse console under Billing.",
  org: (cap) =>
    `You exceeded your current quota: this request could take your organization past its monthly budget of ${formatUsd(cap ?? 0n)}. An organization owner can raise the budget in the Gatehouse console under Billing.`,
  project: (cap) =>
    `You exceeded your current quota: this request could take the project past its monthly budget of ${formatUsd(cap ?? 0n)}. A project owner can raise the budget in the Gatehouse console under Billing.`,
};

/**
 * Reserves `amount` (the call's maximum cost, micro-dollars) under every limit in force, or
 * throws SpendRefused naming the one it would exceed. Resolves at once unless a snapshot must
 * be read first (a scope's first request, a new month, a change made in the console).
 */
export async function reserveSpend(limits: SpendLimits, amount: bigint): Promise<SpendReservation | null> {
  const wanted: [Scope, bigint | null][] = [];
  if (limits.credit) wanted.push([scopeOf("credit", limits.orgId, limits.orgId), null]);
  if (limits.orgCapMicros !== null) wanted.push([scopeOf("org", limits.orgId, limits.orgId), limits.orgCapMicros]);
  if (limits.projectCapMicros !== null) wanted.push([scopeOf("project", limits.projectId, limits.orgId), limits.projectCapMicros]);
  if (!wanted.length) return null;
  const month = utcMonth(new Date()).month;
  const now = Date.now();
  for (const [scope] of wanted) {
    if (scope.mustLoad || (scope.kind !== "credit" && scope.month !== month)) await refresh(scope);
    else if (now - scope.loadedAt > REFRESH_MS) {
      void refresh(scope).catch((err) => log.warn("spend snapshot refresh failed", { scope: keyOf(scope.kind, scope.id), error: (err as Error).message }));
    }
  }
  // From here to the reservation nothing awaits: check-and-reserve is atomic in this process.
  for (const [scope, cap] of wanted) {
    const left = available(scope, cap);
    if (left <= 0n || amount > left) throw new SpendRefused(MESSAGES[scope.kind](cap), scope.kind);
  }
  for (const [scope] of wanted) scope.reserved += amount;
  const reservation: SpendReservation = { scopes: wanted.map(([s]) => s), amount, settled: false, shared: null };
  // Then the other instances' spend, in Redis. Reserved here first: concurrent requests of this
  // instance each state all that is in flight here, so the last to reach Redis is never short.
  // The caller awaits the answer (confirmSpend) after its other admission checks, which run
  // meanwhile.
  const sh = state().shared;
  const sharedScopes = wanted.filter(([scope]) => scope.sharedKey);
  if (sh && sharedScopes.length) {
    const asked: SharedScope[] = sharedScopes.map(([scope, cap]) => ({
      key: scope.sharedKey,
      left: scope.kind === "credit" ? scope.snapshot : (cap as bigint) - scope.snapshot,
      fAtSnapshot: scope.fAtSnapshot,
      pending: pending(scope),
    }));
    reservation.shared = sh.admit(asked).then(
      (refused) => {
        if (!refused) {
          sharedScopes.forEach(([scope], i) => (scope.published = asked[i].pending));
          return null;
        }
        const [scope, cap] = sharedScopes[refused - 1];
        return new SpendRefused(MESSAGES[scope.kind](cap), scope.kind);
      },
      // Redis unreachable (warned about where it failed): this instance's own check stands.
      () => null,
    );
  }
  return reservation;
}

/**
 * Waits for a reservation's check against the other instances. When it was refused there, the
 * reservation is released and the refusal thrown (SpendRefused), as reserveSpend would have.
 */
export async function confirmSpend(reservation: SpendReservation, orgId: string, projectId: string): Promise<void> {
  const refused = await reservation.shared;
  if (!refused) return;
  settleSpend(reservation, orgId, projectId, 0n);
  throw refused;
}

/** Scopes that exist for a request of this organization and project. */
function scopesFor(orgId: string, projectId: string): Scope[] {
  const s = state().scopes;
  return [s.get(keyOf("credit", orgId)), s.get(keyOf("org", orgId)), s.get(keyOf("project", projectId))].filter((x): x is Scope => !!x);
}

/** The call ended: its reservation is released and its actual cost counted until written. */
export function settleSpend(reservation: SpendReservation | null, orgId: string, projectId: string, cost: bigint) {
  if (reservation && !reservation.settled) {
    reservation.settled = true;
    for (const scope of reservation.scopes) scope.reserved -= reservation.amount;
  }
  const scopes = scopesFor(orgId, projectId);
  if (cost > 0n) for (const scope of scopes) scope.unflushed += cost;
  publish(scopes);
}

/** The usage recorder wrote these events (or gave up on them): they are in the database now. */
export function spendWritten(events: readonly { orgId: string; projectId: string; costMicros: bigint }[]) {
  if (!state().scopes.size) return;
  const written = new Map<Scope, bigint>();
  for (const e of events) {
    if (e.costMicros <= 0n) continue;
    for (const scope of scopesFor(e.orgId, e.projectId)) {
      scope.unflushed -= e.costMicros;
      // A scope first read after the call settled never counted it as unflushed.
      if (scope.unflushed < 0n) scope.unflushed = 0n;
      scope.flushed += e.costMicros;
      written.set(scope, (written.get(scope) ?? 0n) + e.costMicros);
    }
  }
  // In one script: the spend moves from this instance's figure to the written total at once.
  publish([...written.keys()], false, written);
}

/** Console changes (credit, budgets) apply to the next request on this instance. */
export function invalidateSpend(orgId?: string) {
  for (const scope of state().scopes.values()) {
    if (!orgId || scope.orgId === orgId) scope.mustLoad = true;
  }
  invalidateProjectPolicy();
}

/** For tests and /metrics: a scope's figures. */
export function spendState(kind: Kind, id: string) {
  const scope = state().scopes.get(keyOf(kind, id));
  return scope ? { snapshot: scope.snapshot, unflushed: scope.unflushed, flushed: scope.flushed, reserved: scope.reserved, month: scope.month } : null;
}

/** Forgets every scope (tests that switch databases). */
export function resetSpendGuard() {
  state().scopes.clear();
}

/** States what is still in flight (nothing, after the usage flush), stops the heartbeat, and closes the Redis connection (shutdown, tests). */
export async function closeSpendGuard() {
  const s = state();
  if (s.heartbeat) clearInterval(s.heartbeat);
  s.heartbeat = null;
  await publishNow();
  const sh = s.shared;
  s.shared = undefined;
  await sh?.close();
}
