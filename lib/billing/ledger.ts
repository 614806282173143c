import "server-only";
import { z } from "zod";
import { db, type Tx } from "@/lib/db";
import { getOrgAccess, type Actor } from "@/lib/auth/access";
import { requireInstanceAdmin } from "@/lib/admin/access";
import { parseOrThrow, rowId } from "@/lib/admin/validation";
import { recordAuditEvent } from "@/lib/audit/audit";
import { notFound } from "@/lib/errors";
import { isUniqueViolation } from "@/lib/db/errors";
import { log } from "@/lib/log";
import { amountField, daysField, noteField } from "./fields";
import { formatUsd } from "./money";
import { invalidateSpend } from "./spend-guard";

// The prepaid credit ledger. Every change to an organization's credit is a new entry (the
// table refuses updates and deletes); the balance is the sum of the entries.
//
// Usage is charged from the hourly rollups: for each (organization, project, model, hour) the
// poster adds an entry for the difference between the rollup's cost and what is already
// posted for it, so posting the same rollup twice charges once, and events that arrive late in
// an hour already posted are charged by the next run. Until posted, usage is "pending": the
// API counts it against the balance all the same (lib/gateway/spend-guard.ts).

export const CREDIT_KINDS = ["grant", "topup", "usage", "adjustment", "expiry"] as const;
export type CreditKind = (typeof CREDIT_KINDS)[number];

/** Rollup hours older than this are assumed posted: the poster runs every few seconds. */
export const POSTING_WINDOW_MS = 48 * 3_600_000;

const DAY_MS = 86_400_000;

/** The sign-up credit of a new organization, inside the transaction that creates it. */
export async function grantSignupCredit(tx: Tx, orgId: string) {
  // Read through the transaction: the embedded database has one connection, held by it.
  const settings = (await tx.billingSettings.findUnique({ where: { id: "default" } })) ?? { signupCreditMicros: 5_000_000n, signupCreditDays: null };
  if (settings.signupCreditMicros <= 0n) return;
  await tx.creditEntry.create({
    data: {
      orgId, kind: "grant", amountMicros: settings.signupCreditMicros, description: "Sign-up credit",
      expiresAt: settings.signupCreditDays === null ? null : new Date(Date.now() + settings.signupCreditDays * DAY_MS),
      idempotencyKey: `signup:${orgId}`,
    },
  });
}

export const postCreditSchema = z
  .object({
    orgId: rowId,
    kind: z.enum(["grant", "topup", "adjustment"], { error: "Choose grant, payment or adjustment" }),
    amount: amountField({ allowNegative: true }),
    description: noteField(200),
    expiresInDays: daysField,
    /** A client-made id, so a double-submitted form posts once. */
    requestKey: z.string().trim().max(100).optional(),
  })
  .superRefine((d, ctx) => {
    if (d.amount === null) ctx.addIssue({ code: "custom", path: ["amount"], message: "Enter an amount" });
    else if (d.amount < 0n && d.kind !== "adjustment") ctx.addIssue({ code: "custom", path: ["amount"], message: "Only adjustments can take credit away" });
    if (d.kind === "adjustment" && !d.description) ctx.addIssue({ code: "custom", path: ["description"], message: "Say why the balance is adjusted" });
    if (d.kind === "adjustment" && d.expiresInDays !== null) ctx.addIssue({ code: "custom", path: ["expiresInDays"], message: "Adjustments do not expire" });
  });

const KIND_DESCRIPTIONS = { grant: "Credit grant", topup: "Payment received", adjustment: "Adjustment" } as const;

/**
 * An administrator grants credit, records a payment received (a top-up: counts towards tier
 * advancement) or adjusts the balance. Recorded in the organization's audit log.
 */
export async function postCredit(actor: Actor, input: z.input<typeof postCreditSchema>) {
  await requireInstanceAdmin(actor);
  const d = parseOrThrow(postCreditSchema, input);
  const prisma = await db();
  const amount = d.amount as bigint;
  const entry = await prisma.$transaction(async (tx) => {
    const org = await tx.organization.findUnique({ where: { id: d.orgId }, select: { id: true } });
    if (!org) throw notFound("Organization");
    const idempotencyKey = d.requestKey ? `admin:${actor.userId}:${d.requestKey}` : null;
    if (idempotencyKey) {
      const existing = await tx.creditEntry.findUnique({ where: { idempotencyKey } });
      if (existing) return existing;
    }
    const created = await tx.creditEntry.create({
      data: {
        orgId: org.id, kind: d.kind, amountMicros: amount, description: d.description || KIND_DESCRIPTIONS[d.kind],
        expiresAt: d.expiresInDays === null ? null : new Date(Date.now() + d.expiresInDays * DAY_MS),
        actorId: actor.userId, idempotencyKey,
      },
    });
    await recordAuditEvent(tx, {
      orgId: org.id, actorId: actor.userId, action: "billing.credit_posted", targetType: "credit_entry", targetId: String(created.id),
      details: { kind: d.kind, amount: formatUsd(amount), description: created.description },
    });
    return created;
  });
  // The API sees the new balance at once on this instance (others within their snapshot interval).
  invalidateSpend(d.orgId);
  log.info("credit posted", { actorId: actor.userId, orgId: d.orgId, kind: d.kind, amountMicros: String(amount) });
  return entry;
}

export type Balance = {
  /** Sum of the ledger. */
  ledgerMicros: bigint;
  /** Usage metered but not yet posted to the ledger. */
  pendingMicros: bigint;
  /** What may still be spent: ledger minus pending usage. */
  availableMicros: bigint;
};

/** The organization's balance; `pending` usage is metered but not yet posted. */
export async function getBalance(orgId: string, now = new Date()): Promise<Balance> {
  const prisma = await db();
  const since = new Date(now.getTime() - POSTING_WINDOW_MS);
  const [row] = await prisma.$queryRawUnsafe<{ ledger: bigint | null; pending: bigint | null }[]>(
    `SELECT
       (SELECT SUM("amountMicros") FROM "CreditEntry" WHERE "orgId" = $1) AS ledger,
       (SELECT COALESCE(SUM(u."costMicros"), 0) FROM "UsageRollup" u JOIN "Organization" o ON o."id" = u."orgId"
         WHERE u."orgId" = $1 AND u."hour" >= $2 AND u."hour" >= date_trunc('hour', o."billingStartedAt"))
       + (SELECT COALESCE(SUM("amountMicros"), 0) FROM "CreditEntry" WHERE "orgId" = $1 AND "kind" = 'usage' AND "periodHour" >= $2) AS pending`,
    orgId,
    since,
  );
  const ledgerMicros = BigInt(row?.ledger ?? 0);
  const pending = BigInt(row?.pending ?? 0);
  // Rounding in posting can never make usage "negative pending"; clamp for safety.
  const pendingMicros = pending > 0n ? pending : 0n;
  return { ledgerMicros, pendingMicros, availableMicros: ledgerMicros - pendingMicros };
}

/** Whether the reader may see this organization's billing (any member may read it). */
export async function getOrgBalance(actor: Actor, orgId: string) {
  const access = await getOrgAccess(actor, orgId);
  return { access, balance: await getBalance(access.orgId) };
}

export type LedgerRow = {
  id: string;
  kind: CreditKind;
  amountMicros: bigint;
  description: string;
  projectId: string | null;
  projectName: string | null;
  model: string | null;
  periodHour: Date | null;
  expiresAt: Date | null;
  createdAt: Date;
};

const LEDGER_PAGE = 50;

/** The ledger, newest first, by keyset (`cursor` is the last id seen). */
export async function listLedger(actor: Actor, orgId: string, opts: { cursor?: string | null; kind?: string | null } = {}) {
  const access = await getOrgAccess(actor, orgId);
  const prisma = await db();
  const cursor = opts.cursor && /^\d{1,19}$/.test(opts.cursor) ? BigInt(opts.cursor) : null;
  const kind = opts.kind && (CREDIT_KINDS as readonly string[]).includes(opts.kind) ? opts.kind : null;
  const rows = await prisma.creditEntry.findMany({
    where: { orgId: access.orgId, ...(cursor !== null ? { id: { lt: cursor } } : {}), ...(kind ? { kind } : {}) },
    orderBy: { id: "desc" },
    take: LEDGER_PAGE + 1,
  });
  const projectIds = [...new Set(rows.map((r) => r.projectId).filter((p): p is string => !!p))];
  const projects = projectIds.length ? await prisma.project.findMany({ where: { id: { in: projectIds } }, select: { id: true, name: true } }) : [];
  const names = new Map(projects.map((p) => [p.id, p.name]));
  const page = rows.slice(0, LEDGER_PAGE);
  return {
    access,
    rows: page.map<LedgerRow>((r) => ({
      id: String(r.id), kind: r.kind as CreditKind, amountMicros: r.amountMicros, description: r.description,
      projectId: r.projectId, projectName: r.projectId ? (names.get(r.projectId) ?? null) : null, model: r.model,
      periodHour: r.periodHour, expiresAt: r.expiresAt, createdAt: r.createdAt,
    })),
    nextCursor: rows.length > LEDGER_PAGE ? String(page[page.length - 1].id) : null,
  };
}

const POST_USAGE_SQL = `
INSERT INTO "CreditEntry" ("orgId", "kind", "amountMicros", "description", "projectId", "model", "periodHour")
SELECT r."orgId", 'usage', -(r.cost - COALESCE(p.posted, 0)), 'Usage of ' || r."model", r."projectId", r."model", r."hour"
FROM (
  SELECT u."orgId", u."projectId", u."model", u."hour", SUM(u."costMicros") AS cost
  FROM "UsageRollup" u JOIN "Organization" o ON o."id" = u."orgId"
  WHERE u."hour" >= $1 AND u."hour" >= date_trunc('hour', o."billingStartedAt")
  GROUP BY 1, 2, 3, 4
) r
LEFT JOIN (
  SELECT "orgId", "projectId", "model", "periodHour" AS "hour", -SUM("amountMicros") AS posted
  FROM "CreditEntry" WHERE "kind" = 'usage' AND "periodHour" >= $1
  GROUP BY 1, 2, 3, 4
) p ON p."orgId" = r."orgId" AND p."projectId" = r."projectId" AND p."model" = r."model" AND p."hour" = r."hour"
WHERE r.cost <> COALESCE(p.posted, 0)
RETURNING "orgId"`;

/** One lock id for the poster, so two instances never post the same difference twice. */
const POSTING_LOCK = 7_310_042;

/**
 * Posts the usage of rollup hours since `since` that is not yet on the ledger. Idempotent:
 * run twice over the same rollups, the second run posts nothing. Returns the organizations
 * charged.
 */
export async function postUsageCharges(opts: { since?: Date; now?: Date } = {}): Promise<string[]> {
  const now = opts.now ?? new Date();
  const since = new Date(opts.since ?? now.getTime() - POSTING_WINDOW_MS);
  since.setUTCMinutes(0, 0, 0);
  const prisma = await db();
  const rows = await prisma.$transaction(async (tx) => {
    await tx.$queryRawUnsafe(`SELECT pg_advisory_xact_lock(${POSTING_LOCK})::text`);
    return tx.$queryRawUnsafe<{ orgId: string }[]>(POST_USAGE_SQL, since);
  });
  return [...new Set(rows.map((r) => r.orgId))];
}

/**
 * Writes off what is left of grants and top-ups past their expiry. Spend since an entry was
 * added is counted against it first, and a write-off never takes the balance below zero.
 */
export async function expireCredits(now = new Date()): Promise<number> {
  const prisma = await db();
  const due = await prisma.$queryRawUnsafe<{ id: bigint; orgId: string; amountMicros: bigint; createdAt: Date; description: string }[]>(
    `SELECT e."id", e."orgId", e."amountMicros", e."createdAt", e."description" FROM "CreditEntry" e
     WHERE e."kind" IN ('grant', 'topup') AND e."expiresAt" IS NOT NULL AND e."expiresAt" <= $1 AND e."amountMicros" > 0
       AND NOT EXISTS (SELECT 1 FROM "CreditEntry" x WHERE x."idempotencyKey" = 'expiry:' || e."id"::text)
     ORDER BY e."expiresAt" LIMIT 500`,
    now,
  );
  let written = 0;
  for (const e of due) {
    const [spent] = await prisma.$queryRawUnsafe<{ spent: bigint | null }[]>(
      `SELECT -SUM("amountMicros") AS spent FROM "CreditEntry" WHERE "orgId" = $1 AND "kind" IN ('usage', 'expiry') AND "createdAt" >= $2`,
      e.orgId,
      e.createdAt,
    );
    const balance = await getBalance(e.orgId, now);
    let left = e.amountMicros - BigInt(spent?.spent ?? 0);
    if (left > balance.availableMicros) left = balance.availableMicros;
    if (left < 0n) left = 0n;
    try {
      await prisma.creditEntry.create({
        data: { orgId: e.orgId, kind: "expiry", amountMicros: -left, description: `Expired: ${e.description}`, refId: String(e.id), idempotencyKey: `expiry:${e.id}` },
      });
      written++;
    } catch (err) {
      // Another instance wrote it first (the idempotency key is unique).
      if (!isUniqueViolation(err)) throw err;
    }
  }
  if (written) log.info("credit expired", { entries: written });
  return written;
}

/** Sum of payments (top-ups) and the first one's date: what tier advancement looks at. */
export async function paymentsOf(orgId: string): Promise<{ paidMicros: bigint; firstPaymentAt: Date | null }> {
  const prisma = await db();
  const r = await prisma.creditEntry.aggregate({ where: { orgId, kind: "topup", amountMicros: { gt: 0 } }, _sum: { amountMicros: true }, _min: { createdAt: true } });
  return { paidMicros: r._sum.amountMicros ?? 0n, firstPaymentAt: r._min.createdAt };
}

