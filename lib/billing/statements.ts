import "server-only";
import { db } from "@/lib/db";
import { getOrgAccess, type Actor } from "@/lib/auth/access";
import { invalid } from "@/lib/errors";
import { parseMonth, utcMonth } from "./money";

// Monthly statements, from the ledger alone: opening balance, a line per project and model for
// usage charged (with the month's tokens from the rollups beside it), every other entry
// (grants, payments, adjustments, expiries), and the closing balance. An entry belongs to the
// month of its usage hour (usage) or of its posting (everything else), so closing = opening +
// the month's lines, and one month's closing is the next one's opening.

export type StatementUsageLine = {
  projectId: string;
  projectName: string;
  model: string;
  /** Successful requests (refused and failed ones cost nothing and are not billed). */
  requests: number;
  promptTokens: bigint;
  completionTokens: bigint;
  /** Charged (positive). */
  amountMicros: bigint;
};

export type StatementCreditLine = { id: string; date: Date; kind: string; description: string; amountMicros: bigint };

const EFFECTIVE_AT = `CASE WHEN "kind" = 'usage' THEN "periodHour" ELSE "createdAt" END`;

/** Months with a statement: from the month billing started to this one, newest first. */
export async function listStatementMonths(actor: Actor, orgId: string, now = new Date()): Promise<string[]> {
  const access = await getOrgAccess(actor, orgId);
  const prisma = await db();
  const org = await prisma.organization.findUniqueOrThrow({ where: { id: access.orgId }, select: { billingStartedAt: true } });
  const months: string[] = [];
  let at = utcMonth(now).start;
  const first = utcMonth(org.billingStartedAt).start;
  while (at >= first && months.length < 120) {
    months.push(utcMonth(at).month);
    at = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - 1, 1));
  }
  return months;
}

export async function getStatement(actor: Actor, orgId: string, month: string, now = new Date()) {
  const access = await getOrgAccess(actor, orgId);
  const m = parseMonth(month);
  if (!m) throw invalid("Choose a month like 2026-12.");
  if (m.start > now) throw invalid("That month has not started yet.");
  const prisma = await db();
  const [opening] = await prisma.$queryRawUnsafe<{ total: bigint | null }[]>(
    `SELECT SUM("amountMicros") AS total FROM "CreditEntry" WHERE "orgId" = $1 AND ${EFFECTIVE_AT} < $2`,
    access.orgId, m.start,
  );
  const usage = await prisma.$queryRawUnsafe<{ projectId: string; model: string; amount: bigint }[]>(
    `SELECT "projectId", "model", -SUM("amountMicros") AS amount FROM "CreditEntry"
     WHERE "orgId" = $1 AND "kind" = 'usage' AND "periodHour" >= $2 AND "periodHour" < $3 GROUP BY 1, 2`,
    access.orgId, m.start, m.end,
  );
  const tokens = await prisma.$queryRawUnsafe<{ projectId: string; model: string; requests: bigint; prompt: bigint; completion: bigint }[]>(
    `SELECT "projectId", "model", SUM("requests" - "errors") AS requests, SUM("promptTokens") AS prompt, SUM("completionTokens") AS completion
     FROM "UsageRollup" WHERE "orgId" = $1 AND "hour" >= $2 AND "hour" < $3 AND "costMicros" > 0 GROUP BY 1, 2`,
    access.orgId, m.start, m.end,
  );
  const others = await prisma.creditEntry.findMany({
    where: { orgId: access.orgId, kind: { not: "usage" }, createdAt: { gte: m.start, lt: m.end } },
    orderBy: { id: "asc" },
    select: { id: true, createdAt: true, kind: true, description: true, amountMicros: true },
  });
  const projectIds = [...new Set(usage.map((u) => u.projectId))];
  const projects = await prisma.project.findMany({ where: { id: { in: projectIds } }, select: { id: true, name: true } });
  const names = new Map(projects.map((p) => [p.id, p.name]));
  const tokenOf = new Map(tokens.map((t) => [`${t.projectId}\u0000${t.model}`, t]));
  const usageLines: StatementUsageLine[] = usage
    .map((u) => {
      const t = tokenOf.get(`${u.projectId}\u0000${u.model}`);
      return {
        projectId: u.projectId, projectName: names.get(u.projectId) ?? "(deleted project)", model: u.model,
        requests: Number(t?.requests ?? 0), promptTokens: BigInt(t?.prompt ?? 0), completionTokens: BigInt(t?.completion ?? 0),
        amountMicros: BigInt(u.amount),
      };
    })
    .filter((l) => l.amountMicros !== 0n)
    .sort((a, b) => a.projectName.localeCompare(b.projectName) || a.model.localeCompare(b.model));
  const creditLines: StatementCreditLine[] = others.map((o) => ({ id: String(o.id), date: o.createdAt, kind: o.kind, description: o.description, amountMicros: o.amountMicros }));
  const openingMicros = BigInt(opening?.total ?? 0);
  const usageTotalMicros = usageLines.reduce((s, l) => s + l.amountMicros, 0n);
  const creditsTotalMicros = creditLines.reduce((s, l) => s + l.amountMicros, 0n);
  return {
    access,
    month: m.month,
    start: m.start,
    end: m.end,
    inProgress: now < m.end,
    openingMicros,
    usageLines,
    usageTotalMicros,
    creditLines,
    creditsTotalMicros,
    closingMicros: openingMicros - usageTotalMicros + creditsTotalMicros,
  };
}
