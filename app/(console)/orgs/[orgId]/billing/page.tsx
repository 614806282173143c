import type { Metadata } from "next";
import Link from "next/link";
import { FileText, PlugZap, Receipt, Tags } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { AutoRechargeForm } from "@/components/billing/auto-recharge-form";
import { BalanceCard } from "@/components/billing/balance-card";
import { BudgetAlertsTable, type BudgetAlertRow } from "@/components/billing/budget-alerts-table";
import { BudgetsTable, type BudgetRowData } from "@/components/billing/budgets-table";
import { FilterTabs } from "@/components/billing/filter-tabs";
import {
  budgetState, formatUsd, KIND_LABELS, LEDGER_FILTERS, monthLabel, percentOf, typicalRequestMicros, utcDateTime,
} from "@/components/billing/format";
import { LedgerTable } from "@/components/billing/ledger-table";
import { toLedgerDisplayRow } from "@/components/billing/ledger-rows";
import { RedeemCodeForm } from "@/components/billing/redeem-code-form";
import { BillingSection } from "@/components/billing/section";
import { WebhookForm } from "@/components/billing/webhook-form";
import { getProjectAccess } from "@/lib/auth/access";
import { can } from "@/lib/auth/roles";
import { getBudgets, type BudgetView } from "@/lib/billing/budgets";
import { CREDIT_KINDS, getOrgBalance, listLedger } from "@/lib/billing/ledger";
import { amountInputValue } from "@/lib/billing/money";
import { getAutoRecharge } from "@/lib/billing/payments";
import { getBillingSettings } from "@/lib/billing/settings";
import { loadOrgPage, pageData } from "@/lib/console/page-access";
import { listCatalogModels } from "@/lib/models/catalog";
import { listVisibleProjects } from "@/lib/projects/projects";
import { loadLedgerAction, redeemCodeAction, setAlertWebhookAction, setAutoRechargeAction, setBudgetAction } from "./actions";

export const metadata: Metadata = { title: "Billing" };

type SearchParams = { kind?: string | string[] };

const NO_PROVIDER =
  "No payment provider is configured on this Gatehouse instance, so auto-recharge cannot charge anything. Your settings are saved and take effect once an administrator configures one.";

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "an address";
  }
}

export default async function BillingPage({ params, searchParams }: { params: Promise<{ orgId: string }>; searchParams: Promise<SearchParams> }) {
  const { orgId } = await params;
  const { actor, access } = await loadOrgPage(orgId);
  const sp = await searchParams;
  const kindParam = Array.isArray(sp.kind) ? sp.kind[0] : sp.kind;
  const kind = kindParam && (CREDIT_KINDS as readonly string[]).includes(kindParam) ? kindParam : "";
  const isOwner = can.manageOrg(access.role);
  const base = `/orgs/${encodeURIComponent(access.orgId)}/billing`;

  const [{ balance }, budgets, recharge, ledger, settings, models, visible] = await Promise.all([
    pageData(getOrgBalance(actor, access.orgId)),
    pageData(getBudgets(actor, access.orgId)),
    pageData(getAutoRecharge(actor, access.orgId)),
    pageData(listLedger(actor, access.orgId, { kind: kind || null })),
    getBillingSettings(),
    listCatalogModels(),
    // Readers see only the projects they belong to, here as everywhere else.
    isOwner ? null : pageData(listVisibleProjects(actor, access.orgId, { includeArchived: true })),
  ]);

  // Which project budgets the viewer may change: every one for org owners, their own projects'
  // for project owners (the service checks again).
  const ownedProjects = new Set<string>();
  if (visible) {
    const roles = await Promise.all(visible.map((p) => getProjectAccess(actor, p.id).catch(() => null)));
    for (const r of roles) if (r && can.manageProject(r.role)) ownedProjects.add(r.projectId);
  }
  const visibleIds = visible ? new Set(visible.map((p) => p.id)) : null;

  const typical = typicalRequestMicros(models);
  const rowOf = (b: BudgetView, name: string, archived: boolean, canEdit: boolean): BudgetRowData => {
    const state = budgetState(b, typical);
    const left = b.capMicros !== null ? b.capMicros - b.spentMicros : null;
    return {
      key: b.projectId ?? "org",
      projectId: b.projectId,
      name,
      archived,
      spent: formatUsd(b.spentMicros),
      cap: b.capMicros === null ? null : formatUsd(b.capMicros),
      alert: b.alertMicros === null ? null : formatUsd(b.alertMicros),
      capInput: amountInputValue(b.capMicros),
      alertInput: amountInputValue(b.alertMicros),
      remaining: state === "reached" && left !== null && left > 0n ? formatUsd(left) : null,
      percent: percentOf(b.spentMicros, b.capMicros),
      state,
      canEdit,
    };
  };
  const projectRows = budgets.projects
    .filter((p) => !visibleIds || (p.projectId !== null && visibleIds.has(p.projectId)))
    // Archived projects make no requests: listed only while they still have a budget or spend.
    .filter((p) => !p.archived || p.capMicros !== null || p.alertMicros !== null || p.spentMicros > 0n)
    .map((p) => rowOf(p, p.projectName ?? "Project", p.archived, isOwner || ownedProjects.has(p.projectId ?? "")));
  const budgetRows = [rowOf(budgets.org, `${access.orgName} (organization)`, false, isOwner), ...projectRows];

  const alertRows: BudgetAlertRow[] = budgets.alerts
    .filter((a) => !visibleIds || !a.scope.startsWith("project:") || visibleIds.has(a.scope.slice("project:".length)))
    .map((a) => ({
      id: a.id,
      time: utcDateTime(a.createdAt),
      iso: a.createdAt.toISOString(),
      scope: a.scope.startsWith("project:") ? (a.projectName ?? "(deleted project)") : "Organization",
      kind: a.kind === "cap" ? "cap" : "alert",
      threshold: formatUsd(a.thresholdMicros),
      spent: formatUsd(a.spentMicros),
      delivery: a.delivery,
    }));

  const now = new Date();
  const ledgerRows = ledger.rows.map((r) => toLedgerDisplayRow(r, now));
  const ledgerHref = (value: string) => (value ? `${base}?kind=${value}#ledger` : `${base}#ledger`);
  const orgBudget = budgetRows[0];

  return (
    <>
      <PageHeader
        title="Billing"
        description={`Prepaid credit, monthly budgets and the credit ledger of ${access.orgName}. Amounts are in US dollars; months are UTC months.`}
        actions={
          <>
            <Button asChild variant="outline" size="sm">
              <Link href="/pricing" data-testid="pricing-link">
                <Tags aria-hidden="true" />
                Pricing
              </Link>
            </Button>
            <Button asChild variant="outline" size="sm">
              <Link href={`${base}/statements`} data-testid="statements-link">
                <FileText aria-hidden="true" />
                Statements
              </Link>
            </Button>
          </>
        }
      />
      <div className="grid grid-cols-1 gap-10">
        <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
          <BalanceCard
            ledgerMicros={balance.ledgerMicros}
            pendingMicros={balance.pendingMicros}
            availableMicros={balance.availableMicros}
            enforced={settings.enforceCredit}
            rechargeThresholdMicros={recharge.enabled ? recharge.thresholdMicros : null}
          >
            {isOwner && <RedeemCodeForm orgId={access.orgId} action={redeemCodeAction} />}
          </BalanceCard>
          <Card data-testid="month-card">
            <CardHeader>
              <CardTitle>{monthLabel(budgets.month)}</CardTitle>
              <CardDescription>Spend so far this month (UTC), across every project.</CardDescription>
            </CardHeader>
            <CardContent className="grid gap-4">
              <div className="space-y-1">
                <p className="text-2xl font-semibold tracking-tight tabular-nums" data-testid="month-spent">
                  {orgBudget.spent}
                </p>
                <p className="text-[13px] text-muted-foreground">
                  {orgBudget.cap ? `of a ${orgBudget.cap} monthly hard cap.` : "No monthly hard cap is set for the organization."}
                </p>
              </div>
              <div className="flex flex-wrap gap-2 border-t pt-4">
                <Button asChild variant="outline" size="sm">
                  <Link href={`${base}/statements/${budgets.month}`}>
                    <Receipt aria-hidden="true" />
                    This month&apos;s statement
                  </Link>
                </Button>
                <Button asChild variant="ghost" size="sm">
                  <Link href={`${base}/statements`}>All statements</Link>
                </Button>
              </div>
            </CardContent>
          </Card>
        </div>

        <BillingSection
          id="budgets-heading"
          title="Budgets"
          description={
            <>
              Monthly limits on spend, for the organization and for each project, over {monthLabel(budgets.month)} (UTC). A hard cap
              refuses requests that could exceed it (429 insufficient_quota); an alert only notifies.{" "}
              {isOwner
                ? "Owners set the organization's budget; project owners set their project's."
                : ownedProjects.size
                  ? "You can set the budgets of the projects you own."
                  : "Organization and project owners set budgets."}
            </>
          }
        >
          <BudgetsTable orgId={access.orgId} rows={budgetRows} typicalRequest={formatUsd(typical)} action={setBudgetAction} />
          <div className="grid grid-cols-1 gap-3">
            <h3 className="text-sm font-semibold">Alerts this month</h3>
            {alertRows.length ? (
              <BudgetAlertsTable rows={alertRows} />
            ) : (
              <p className="rounded-lg border border-dashed px-3 py-2.5 text-sm text-muted-foreground" data-testid="budget-alerts-empty">
                No budget alerts raised in {monthLabel(budgets.month)}. Each alert threshold and hard cap is raised once a month, when spend
                reaches it.
              </p>
            )}
            {isOwner ? (
              <div className="max-w-2xl pt-2">
                <WebhookForm orgId={access.orgId} url={budgets.webhookUrl} action={setAlertWebhookAction} />
              </div>
            ) : (
              <p className="text-sm text-muted-foreground" data-testid="webhook-readonly">
                {budgets.webhookUrl
                  ? `Alerts are also sent to a webhook at ${originOf(budgets.webhookUrl)}.`
                  : "No alert webhook is set: alerts are only listed here."}
              </p>
            )}
          </div>
        </BillingSection>

        <BillingSection
          id="auto-recharge-heading"
          title="Auto-recharge"
          description="Keeps credit topped up from a payment method when the balance runs low."
        >
          <Card data-testid="auto-recharge-card">
            <CardContent className="grid gap-5">
              {recharge.provider === null ? (
                <p className="flex items-start gap-2 rounded-md border bg-muted/40 px-3 py-2.5 text-sm" data-testid="no-payment-provider">
                  <PlugZap className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
                  <span>{NO_PROVIDER}</span>
                </p>
              ) : (
                <p className="text-sm text-muted-foreground">
                  Payments are charged through {recharge.provider}. Recharged this month:{" "}
                  <span className="font-medium text-foreground tabular-nums">{formatUsd(recharge.rechargedThisMonthMicros)}</span>
                  {recharge.monthlyCapMicros !== null && <> of at most {formatUsd(recharge.monthlyCapMicros)}</>}.
                </p>
              )}
              {isOwner ? (
                <AutoRechargeForm
                  orgId={access.orgId}
                  action={setAutoRechargeAction}
                  values={{
                    enabled: recharge.enabled,
                    threshold: amountInputValue(recharge.thresholdMicros),
                    amount: amountInputValue(recharge.amountMicros),
                    monthlyCap: amountInputValue(recharge.monthlyCapMicros),
                  }}
                />
              ) : (
                <p className="text-sm" data-testid="auto-recharge-readonly">
                  {recharge.enabled && recharge.thresholdMicros !== null && recharge.amountMicros !== null
                    ? `On: when the balance falls below ${formatUsd(recharge.thresholdMicros)}, ${formatUsd(recharge.amountMicros)} is added${
                        recharge.monthlyCapMicros !== null ? `, at most ${formatUsd(recharge.monthlyCapMicros)} a month` : ""
                      }.`
                    : "Off. Organization owners can turn it on."}
                </p>
              )}
            </CardContent>
          </Card>
        </BillingSection>

        <BillingSection
          id="ledger"
          className="[&_h2]:scroll-mt-20"
          title="Ledger"
          description="Every change to the credit balance, newest first: grants, payments, usage (posted in hourly totals per project and model), adjustments and expiries."
        >
          <FilterTabs
            label="Ledger entry kind"
            current={kind}
            testId="ledger-filter"
            items={LEDGER_FILTERS.map((f) => ({ value: f.value, label: f.label, href: ledgerHref(f.value) }))}
          />
          {ledgerRows.length === 0 ? (
            <EmptyState
              icon={Receipt}
              title={kind ? `No ${KIND_LABELS[kind]?.toLowerCase() ?? kind} entries` : "No ledger entries yet"}
              description={
                kind
                  ? "Entries of other kinds are under All."
                  : "Credit added to this organization, and the usage charged against it, will be listed here."
              }
              action={
                kind ? (
                  <Button asChild variant="outline" size="sm">
                    <Link href={ledgerHref("")} scroll={false}>
                      Show all entries
                    </Link>
                  </Button>
                ) : undefined
              }
              data-testid="ledger-empty"
            />
          ) : (
            <LedgerTable
              key={`${kind}:${ledgerRows[0].id}:${ledgerRows.length}`}
              orgId={access.orgId}
              kind={kind}
              initialRows={ledgerRows}
              initialCursor={ledger.nextCursor}
              loadMore={loadLedgerAction}
            />
          )}
        </BillingSection>
      </div>
    </>
  );
}
