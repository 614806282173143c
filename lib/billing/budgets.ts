import "server-only";
import dns from "node:dns";
import { z } from "zod";
import { db } from "@/lib/db";
import { getOrgAccess, requireOrgOwner, requireProjectOwner, type Actor } from "@/lib/auth/access";
import { parseOrThrow, rowId } from "@/lib/admin/validation";
import { recordAuditEvent } from "@/lib/audit/audit";
import { getConfig } from "@/lib/config";
import { invalid } from "@/lib/errors";
import { isUniqueViolation } from "@/lib/db/errors";
import { log } from "@/lib/log";
import { isPublicAddress } from "@/lib/openai/images";
import { amountField } from "./fields";
import { formatUsd, utcMonth } from "./money";
import { invalidateSpend } from "./spend-guard";

// Monthly budgets (UTC months) of organizations and projects. The hard cap is enforced by the
// API before a request runs (lib/billing/spend-guard.ts); the soft alert, and the cap being
// reached, are raised once per month each: a BudgetAlert row (unique per scope, month, kind
// and threshold, so several instances raise it once) shown in the console, and a POST to the
// organization's webhook when it has one.

export const orgScope = (orgId: string) => `org:${orgId}`;
export const projectScope = (projectId: string) => `project:${projectId}`;

export type BudgetView = {
  scope: string;
  projectId: string | null;
  projectName: string | null;
  capMicros: bigint | null;
  alertMicros: bigint | null;
  spentMicros: bigint;
};

/** Spend of every given scope in the month, from the hourly rollups. */
export async function monthSpend(orgId: string, at = new Date()): Promise<{ org: bigint; projects: Map<string, bigint> }> {
  const prisma = await db();
  const { start, end } = utcMonth(at);
  const rows = await prisma.$queryRawUnsafe<{ projectId: string; spent: bigint }[]>(
    `SELECT "projectId", SUM("costMicros") AS spent FROM "UsageRollup" WHERE "orgId" = $1 AND "hour" >= $2 AND "hour" < $3 GROUP BY 1`,
    orgId, start, end,
  );
  const projects = new Map(rows.map((r) => [r.projectId, BigInt(r.spent)]));
  return { org: rows.reduce((s, r) => s + BigInt(r.spent), 0n), projects };
}

/** The organization's budget, its projects' budgets, this month's spend, and this month's alerts. */
export async function getBudgets(actor: Actor, orgId: string, now = new Date()) {
  const access = await getOrgAccess(actor, orgId);
  const prisma = await db();
  const { month } = utcMonth(now);
  const [budgets, projects, spend, alerts, billing] = await Promise.all([
    prisma.budget.findMany({ where: { orgId: access.orgId } }),
    prisma.project.findMany({ where: { orgId: access.orgId }, select: { id: true, name: true, status: true }, orderBy: { name: "asc" } }),
    monthSpend(access.orgId, now),
    prisma.budgetAlert.findMany({ where: { orgId: access.orgId, month }, orderBy: { createdAt: "desc" } }),
    prisma.orgBilling.findUnique({ where: { orgId: access.orgId } }),
  ]);
  const byScope = new Map(budgets.map((b) => [b.scope, b]));
  const org = byScope.get(orgScope(access.orgId));
  const names = new Map(projects.map((p) => [p.id, p.name]));
  return {
    access,
    month,
    org: { scope: orgScope(access.orgId), projectId: null, projectName: null, capMicros: org?.capMicros ?? null, alertMicros: org?.alertMicros ?? null, spentMicros: spend.org } satisfies BudgetView,
    projects: projects.map<BudgetView & { archived: boolean }>((p) => {
      const b = byScope.get(projectScope(p.id));
      return { scope: projectScope(p.id), projectId: p.id, projectName: p.name, capMicros: b?.capMicros ?? null, alertMicros: b?.alertMicros ?? null, spentMicros: spend.projects.get(p.id) ?? 0n, archived: p.status === "archived" };
    }),
    alerts: alerts.map((a) => ({ ...a, projectName: a.scope.startsWith("project:") ? (names.get(a.scope.slice(8)) ?? null) : null })),
    webhookUrl: billing?.alertWebhookUrl ?? null,
  };
}

export const setBudgetSchema = z
  .object({
    orgId: rowId,
    projectId: z.string().trim().max(200).optional().transform((v) => v || null),
    cap: amountField(),
    alert: amountField(),
  })
  .superRefine((d, ctx) => {
    if (d.cap !== null && d.alert !== null && d.alert > d.cap) ctx.addIssue({ code: "custom", path: ["alert"], message: "The alert threshold must not be above the hard cap" });
  });

/**
 * Sets (or, with both values blank, removes) a monthly budget. Organization budgets: org
 * owners. Project budgets: the project's owners.
 */
export async function setBudget(actor: Actor, input: z.input<typeof setBudgetSchema>) {
  const d = parseOrThrow(setBudgetSchema, input);
  let scope: string;
  if (d.projectId) {
    const p = await requireProjectOwner(actor, d.projectId);
    if (p.orgId !== d.orgId) throw invalid("That project is not in this organization.");
    scope = projectScope(p.projectId);
  } else {
    await requireOrgOwner(actor, d.orgId);
    scope = orgScope(d.orgId);
  }
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    if (d.cap === null && d.alert === null) await tx.budget.deleteMany({ where: { scope } });
    else {
      const values = { capMicros: d.cap, alertMicros: d.alert };
      await tx.budget.upsert({ where: { scope }, create: { scope, orgId: d.orgId, projectId: d.projectId, ...values }, update: values });
    }
    await recordAuditEvent(tx, {
      orgId: d.orgId, actorId: actor.userId, action: "billing.budget_set", projectId: d.projectId, targetType: "budget", targetId: scope,
      details: { cap: d.cap === null ? null : formatUsd(d.cap), alert: d.alert === null ? null : formatUsd(d.alert) },
    });
  });
  invalidateSpend(d.orgId);
  log.info("budget set", { actorId: actor.userId, scope, capMicros: d.cap === null ? null : String(d.cap), alertMicros: d.alert === null ? null : String(d.alert) });
}

/** Budget limits in force for a request of this project: what the spend guard enforces. */
export async function budgetCaps(orgId: string, projectId: string): Promise<{ org: bigint | null; project: bigint | null }> {
  const prisma = await db();
  const rows = await prisma.budget.findMany({ where: { scope: { in: [orgScope(orgId), projectScope(projectId)] } }, select: { scope: true, capMicros: true } });
  return {
    org: rows.find((r) => r.scope === orgScope(orgId))?.capMicros ?? null,
    project: rows.find((r) => r.scope === projectScope(projectId))?.capMicros ?? null,
  };
}

export const webhookSchema = z.object({
  orgId: rowId,
  url: z
    .string()
    .trim()
    .max(2000, "Use at most 2,000 characters")
    .transform((v) => v || null)
    .refine((v) => v === null || /^https?:\/\/[^\s]+$/i.test(v), "Enter an http:// or https:// address")
    .refine((v) => {
      if (v === null) return true;
      try {
        const u = new URL(v);
        return !u.username && !u.password;
      } catch {
        return false;
      }
    }, "Enter a valid address without a user name or password"),
});

export async function setAlertWebhook(actor: Actor, input: z.input<typeof webhookSchema>) {
  const d = parseOrThrow(webhookSchema, input);
  await requireOrgOwner(actor, d.orgId);
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    await tx.orgBilling.upsert({ where: { orgId: d.orgId }, create: { orgId: d.orgId, alertWebhookUrl: d.url }, update: { alertWebhookUrl: d.url } });
    await recordAuditEvent(tx, { orgId: d.orgId, actorId: actor.userId, action: "billing.settings_changed", targetType: "organization", targetId: d.orgId, details: { alertWebhook: d.url ? new URL(d.url).origin : null } });
  });
}

async function deliverWebhook(url: string, payload: unknown): Promise<string> {
  try {
    const u = new URL(url);
    if (!getConfig().ALLOW_PRIVATE_WEBHOOK_URLS) {
      const addresses = await dns.promises.lookup(u.hostname.replace(/^\[|\]$/g, ""), { all: true, verbatim: true });
      if (addresses.some((a) => !isPublicAddress(a.address))) return "failed: the address is private or internal";
    }
    const res = await fetch(u, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Gatehouse-Webhook/1" },
      body: JSON.stringify(payload),
      redirect: "manual",
      signal: AbortSignal.timeout(5_000),
    });
    await res.body?.cancel().catch(() => undefined);
    return res.ok ? "sent" : `failed: HTTP ${res.status}`;
  } catch (err) {
    return `failed: ${(err as Error).name === "TimeoutError" ? "timed out after 5 s" : (err as Error).message.slice(0, 120)}`;
  }
}

/**
 * Raises the alerts due this month: each budget whose spend reached its alert threshold or its
 * cap gets one alert per threshold per month; new ones go to the webhook. Returns them.
 */
export async function checkBudgetAlerts(now = new Date()) {
  const prisma = await db();
  const { month, start, end } = utcMonth(now);
  const rows = await prisma.$queryRawUnsafe<{ scope: string; orgId: string; projectId: string | null; capMicros: bigint | null; alertMicros: bigint | null; spent: bigint }[]>(
    `SELECT b."scope", b."orgId", b."projectId", b."capMicros", b."alertMicros",
       COALESCE((SELECT SUM(u."costMicros") FROM "UsageRollup" u
         WHERE u."orgId" = b."orgId" AND (b."projectId" IS NULL OR u."projectId" = b."projectId") AND u."hour" >= $1 AND u."hour" < $2), 0) AS spent
     FROM "Budget" b WHERE b."capMicros" IS NOT NULL OR b."alertMicros" IS NOT NULL`,
    start, end,
  );
  const raised = [];
  for (const b of rows) {
    const spent = BigInt(b.spent);
    const due: ["alert" | "cap", bigint][] = [];
    if (b.alertMicros !== null && spent >= b.alertMicros) due.push(["alert", b.alertMicros]);
    if (b.capMicros !== null && spent >= b.capMicros) due.push(["cap", b.capMicros]);
    for (const [kind, threshold] of due) {
      const created = await prisma.budgetAlert
        .create({ data: { orgId: b.orgId, scope: b.scope, month, kind, thresholdMicros: threshold, spentMicros: spent } })
        .catch((err: Error) => {
          if (isUniqueViolation(err)) return null; // raised already this month
          throw err;
        });
      if (!created) continue;
      raised.push(created);
      const billing = await prisma.orgBilling.findUnique({ where: { orgId: b.orgId }, select: { alertWebhookUrl: true } });
      if (billing?.alertWebhookUrl) {
        const project = b.projectId ? await prisma.project.findUnique({ where: { id: b.projectId }, select: { name: true } }) : null;
        const delivery = await deliverWebhook(billing.alertWebhookUrl, {
          type: kind === "cap" ? "budget.cap_reached" : "budget.alert",
          organization_id: b.orgId,
          project_id: b.projectId,
          project_name: project?.name ?? null,
          month,
          threshold_usd: formatUsd(threshold),
          spent_usd: formatUsd(spent),
          created_at: created.createdAt.toISOString(),
        });
        // Alerts are written once and then only their delivery note is set.
        await prisma.budgetAlert.update({ where: { id: created.id }, data: { delivery } });
        created.delivery = delivery;
      }
      log.info("budget alert raised", { orgId: b.orgId, scope: b.scope, kind, month, delivery: created.delivery ?? "none" });
    }
  }
  return raised;
}
