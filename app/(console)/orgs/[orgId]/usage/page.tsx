import type { Metadata } from "next";
import Link from "next/link";
import { BarChart3, Download, KeyRound } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { FormAlert } from "@/components/ui/form-alert";
import { PageHeader } from "@/components/ui/page-header";
import { USAGE_PALETTE } from "@/components/usage/palette";
import { prepareUsageCharts } from "@/components/usage/prepare";
import { UsageBreakdownTable } from "@/components/usage/usage-breakdown-table";
import { UsageCharts } from "@/components/usage/usage-charts";
import { UsageControls, type UsageView } from "@/components/usage/usage-controls";
import { UsageTotals } from "@/components/usage/usage-totals";
import { cn } from "@/lib/utils";
import { loadOrgPage } from "@/lib/console/page-access";
import { ServiceError } from "@/lib/errors";
import {
  BUCKET_LABELS,
  GROUP_LABELS,
  GROUP_NOUNS,
  parseUsageParams,
  USAGE_BUCKETS,
  USAGE_GROUPS,
  USAGE_RANGES,
  USAGE_SCOPES,
  usageHref,
  usageSearchParams,
  type UsageQuery,
  type UsageSearchParams,
} from "@/lib/usage/params";
import { dashboardFor, resolveUsageQuery, usageFilterOptions, type ResolvedUsageQuery, type UsageFilterOptions } from "@/lib/usage/queries";

export const metadata: Metadata = { title: "Usage" };

const TOP_GROUPS = 8;

const longDate = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric", year: "numeric" });
const fmtDate = (d: string) => longDate.format(new Date(`${d}T00:00:00Z`));

function filterOptions(o: UsageFilterOptions, models: string[]) {
  return {
    projects: o.projects.map((p) => ({ value: p.id, label: p.name, detail: p.archived ? "Archived" : null })),
    models: models.map((m) => ({ value: m, label: m })),
    keys: o.keys.map((k) => ({ value: k.id, label: k.name, detail: k.detail })),
  };
}

export default async function UsagePage({
  params,
  searchParams,
}: {
  params: Promise<{ orgId: string }>;
  searchParams: Promise<UsageSearchParams>;
}) {
  const { orgId } = await params;
  const { actor, access } = await loadOrgPage(orgId);
  const isOwner = access.role === "owner";
  const basePath = `/orgs/${access.orgId}/usage`;
  const parsed = parseUsageParams(await searchParams);

  const header = (scope: "org" | "me", actions?: React.ReactNode) => (
    <PageHeader
      title="Usage"
      description={
        scope === "org"
          ? `API requests, tokens and cost of everyone in ${access.orgName}.`
          : `Your API requests, tokens and cost in ${access.orgName}: calls with your API keys and your playground runs.`
      }
      actions={actions}
    />
  );

  // The view as the URL has it; a reader's link to the whole organization shows their own usage.
  let view: UsageView;
  let problem: { errors: string[]; invalid?: Set<string> } | null = null;
  let query: ResolvedUsageQuery | null = null;
  if (parsed.ok) {
    const q: UsageQuery = isOwner ? parsed.query : { ...parsed.query, scope: undefined };
    view = q;
    try {
      query = await resolveUsageQuery(actor, access.orgId, q);
    } catch (err) {
      if (!(err instanceof ServiceError) || err.code !== "invalid") throw err;
      problem = { errors: [err.message] };
    }
  } else {
    const v = parsed.values;
    view = {
      range: USAGE_RANGES.find((r) => r === v.range) ?? "7d",
      from: v.from || undefined,
      to: v.to || undefined,
      group: USAGE_GROUPS.find((g) => g === v.group) ?? "model",
      bucket: USAGE_BUCKETS.find((b) => b === v.bucket),
      scope: isOwner ? USAGE_SCOPES.find((s) => s === v.scope) : undefined,
      // Kept as typed (even when invalid) so they stay visible and can be removed.
      projects: v.projects,
      models: v.models,
      keys: v.keys,
    };
    problem = { errors: parsed.errors, invalid: parsed.invalid };
  }
  const scope = query?.scope ?? (isOwner && view.scope !== "me" ? "org" : "me");

  const scopeSwitch = isOwner && (
    <nav aria-label="Whose usage" className="inline-flex rounded-lg border bg-muted/50 p-0.5 text-sm" data-testid="usage-scope">
      {(
        [
          ["org", "Whole organization"],
          ["me", "My usage"],
        ] as const
      ).map(([value, label]) => (
        <Link
          key={value}
          href={usageHref(basePath, { ...view, scope: value === "org" ? undefined : "me" })}
          aria-current={scope === value ? "page" : undefined}
          className={cn(
            "rounded-md px-3 py-1.5 font-medium text-muted-foreground transition-colors outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50",
            scope === value && "bg-background text-foreground shadow-xs dark:bg-input/40",
          )}
          data-testid={`usage-scope-${value}`}
        >
          {label}
        </Link>
      ))}
    </nav>
  );

  if (!query || problem) {
    // The filters still offer what the default view would, so the view can be mended here.
    const fallback = await resolveUsageQuery(actor, access.orgId, { scope: isOwner ? view.scope : undefined });
    const fallbackOptions = await usageFilterOptions(actor, fallback);
    return (
      <>
        {header(scope)}
        <div className="space-y-4">
          {scopeSwitch}
          <UsageControls
            basePath={basePath}
            view={view}
            effectiveBucket={view.bucket ?? "day"}
            rangeDates={{ from: view.from ?? "", to: view.to ?? "" }}
            options={filterOptions(fallbackOptions, fallbackOptions.models)}
            invalid={problem?.invalid}
          />
          <FormAlert data-testid="usage-filter-error" message={problem?.errors.join(" ") ?? "This view is not valid."} />
          <p className="text-sm">
            <Link href={basePath} className="font-medium underline underline-offset-4" data-testid="usage-reset-link">
              Back to the last 7 days
            </Link>
          </p>
        </div>
      </>
    );
  }

  const [dash, options] = await Promise.all([dashboardFor(query, TOP_GROUPS), usageFilterOptions(actor, query)]);
  // Models the view found that the catalog no longer lists stay filterable.
  const models = [...new Set([...options.models, ...(query.group === "model" ? dash.breakdown.map((r) => r.group).filter(Boolean) : [])])].sort();
  const labelOf = new Map(dash.breakdown.map((r) => [r.group, r.label]));
  const charts = prepareUsageCharts({
    buckets: query.buckets,
    bucket: query.bucket,
    timeZone: query.timeZone,
    series: dash.series,
    groups: dash.seriesGroups.map((id) => ({ id, label: labelOf.get(id) ?? id })),
  });
  const colors = new Map(dash.seriesGroups.map((id, i) => [id, charts.stacks[i].color]));

  const exportParams = usageSearchParams({ ...view, scope: isOwner && scope === "me" ? "me" : undefined });
  const exportHref = (rows?: "series") => {
    const p = new URLSearchParams(exportParams);
    if (rows) p.set("rows", rows);
    const s = p.toString();
    return `${basePath}/export${s ? `?${s}` : ""}`;
  };
  const firstProject = options.projects.find((p) => !p.archived);
  const filtered = query.projects.length + query.models.length + query.keys.length > 0;
  const groupNoun = GROUP_NOUNS[query.group];
  const period = query.fromDate === query.toDate ? fmtDate(query.fromDate) : `${fmtDate(query.fromDate)} – ${fmtDate(query.toDate)}`;
  const empty = dash.totals.requests === 0;

  return (
    <>
      {header(
        query.scope,
        !empty && (
          <>
            <Button asChild variant="outline" size="sm">
              <a href={exportHref()} download data-testid="usage-export-csv">
                <Download aria-hidden="true" />
                Export CSV
              </a>
            </Button>
            <Button asChild variant="ghost" size="sm">
              <a href={exportHref("series")} download data-testid="usage-export-series-csv" title="One line per bucket and group">
                Time series CSV
              </a>
            </Button>
          </>
        ),
      )}
      <div className={cn(USAGE_PALETTE, "space-y-4")}>
        {scopeSwitch}
        <UsageControls
          // Remount when the URL changes so the controls show what the URL says (back/forward).
          key={usageSearchParams(view).toString()}
          basePath={basePath}
          view={view}
          effectiveBucket={query.bucket}
          rangeDates={{ from: query.fromDate, to: query.toDate }}
          options={filterOptions(options, models)}
        />
        <p className="text-sm text-muted-foreground" data-testid="usage-range-summary">
          <span className="font-medium text-foreground">{period}</span>
          {" · "}
          {BUCKET_LABELS[query.bucket].toLowerCase()} buckets · times in {query.timeZone}
        </p>

        {empty ? (
          <EmptyState
            icon={BarChart3}
            title="No API usage in this period"
            description={
              filtered
                ? "Nothing matches these filters in this period. Try other filters or a longer period."
                : query.scope === "org"
                  ? "Requests made with this organization's API keys, and playground runs, appear here within seconds."
                  : "Requests made with your API keys, and your playground runs, appear here within seconds."
            }
            action={
              <>
                {firstProject && (
                  <Button asChild size="sm">
                    <Link href={`/projects/${firstProject.id}/api-keys`} data-testid="usage-empty-api-keys">
                      <KeyRound aria-hidden="true" />
                      API keys
                    </Link>
                  </Button>
                )}
                {filtered && (
                  <Button asChild variant="outline" size="sm">
                    <Link href={usageHref(basePath, { ...view, projects: [], models: [], keys: [] })}>Clear filters</Link>
                  </Button>
                )}
              </>
            }
            data-testid="usage-empty"
          />
        ) : (
          <>
            <UsageTotals totals={dash.totals} />
            <UsageCharts charts={charts} stacking={groupNoun} />
            <section aria-labelledby="usage-breakdown-heading" className="space-y-3 pt-2">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h2 id="usage-breakdown-heading" className="text-base font-semibold">
                  By {groupNoun}
                </h2>
                <p className="text-xs text-muted-foreground">Sorted by cost</p>
              </div>
              <UsageBreakdownTable
                rows={dash.breakdown}
                groupLabel={GROUP_LABELS[query.group]}
                emptyId={query.group === "key" ? "playground" : "none"}
                colors={colors}
                totals={dash.totals}
              />
            </section>
          </>
        )}
      </div>
    </>
  );
}
