import type { Metadata } from "next";
import Link from "next/link";
import { Activity, KeyRound, Terminal } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { FormAlert } from "@/components/ui/form-alert";
import { PageHeader } from "@/components/ui/page-header";
import { RequestControls } from "@/components/requests/request-controls";
import { RequestLog } from "@/components/requests/request-log";
import { cn } from "@/lib/utils";
import { loadOrgPage } from "@/lib/console/page-access";
import { ServiceError } from "@/lib/errors";
import {
  hasFilters,
  parseRequestParams,
  RANGE_LABELS,
  REQUEST_RANGES,
  REQUEST_SCOPES,
  requestSearchParams,
  requestsHref,
  type RequestQuery,
  type RequestSearchParams,
  type RequestView,
} from "@/lib/requests/params";
import {
  getRequestDetail,
  listRequests,
  requestFilterOptions,
  resolveRequestQuery,
  type RequestFilterOptions,
  type ResolvedRequestQuery,
} from "@/lib/requests/queries";
import { timeLabel } from "@/lib/requests/time";
import type { RequestPage } from "@/lib/requests/types";
import { loadMoreRequestsAction, requestDetailAction } from "./actions";

export const metadata: Metadata = { title: "Requests" };

const ACTIONS = { loadMore: loadMoreRequestsAction, detail: requestDetailAction };

function filterOptions(o: RequestFilterOptions) {
  return {
    projects: o.projects.map((p) => ({ value: p.id, label: p.name, detail: p.archived ? "archived" : null })),
    keys: o.keys.map((k) => ({ value: k.id, label: k.name, detail: k.detail })),
    models: o.models.map((m) => ({ value: m, label: m })),
  };
}

/** The view's filters, without its cursor (a changed filter starts again from the newest). */
function viewOf(q: RequestQuery): RequestView {
  const view: RequestView & { cursor?: string } = { ...q };
  delete view.cursor;
  return view;
}

export default async function RequestsPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgId: string }>;
  searchParams: Promise<RequestSearchParams>;
}) {
  const { orgId } = await params;
  const { actor, access } = await loadOrgPage(orgId);
  const isOwner = access.role === "owner";
  const basePath = `/orgs/${access.orgId}/requests`;
  const parsed = parseRequestParams(await searchParams);

  // The view as the URL has it; a member's link to the whole organization shows their own requests.
  let view: RequestView;
  let cursor: string | undefined;
  let problem: { errors: string[]; invalid?: Set<string> } | null = null;
  let query: ResolvedRequestQuery | null = null;
  if (parsed.ok) {
    const q: RequestQuery = isOwner ? parsed.query : { ...parsed.query, scope: undefined };
    view = viewOf(q);
    cursor = q.cursor;
    try {
      query = await resolveRequestQuery(actor, access.orgId, q);
    } catch (err) {
      if (!(err instanceof ServiceError) || err.code !== "invalid") throw err;
      problem = { errors: [err.message] };
    }
  } else {
    const v = parsed.values;
    const keep = (s: string) => (s.trim() ? s.trim() : undefined);
    view = {
      range: REQUEST_RANGES.find((r) => r === v.range) ?? "24h",
      from: keep(v.from),
      to: keep(v.to),
      // Kept as typed (even when invalid) so they stay visible and can be removed.
      project: keep(v.project),
      key: keep(v.key),
      model: v.model || undefined,
      status: keep(v.status),
      code: keep(v.code),
      scope: isOwner ? REQUEST_SCOPES.find((s) => s === v.scope) : undefined,
    };
    problem = { errors: parsed.errors, invalid: parsed.invalid };
  }
  const scope = query?.scope ?? (isOwner && view.scope !== "me" ? "org" : "me");

  const header = (
    <PageHeader
      title="Requests"
      description={
        scope === "org"
          ? `Every API request and playground run in ${access.orgName}, newest first. Select one for its details.`
          : `Your requests in ${access.orgName}, newest first: calls with your API keys and your playground runs.`
      }
    />
  );

  const scopeSwitch = isOwner && (
    <nav aria-label="Whose requests" className="inline-flex rounded-lg border bg-muted/50 p-0.5 text-sm" data-testid="requests-scope">
      {(
        [
          ["org", "Whole organization"],
          ["me", "My requests"],
        ] as const
      ).map(([value, label]) => (
        <Link
          key={value}
          href={requestsHref(basePath, { ...view, scope: value === "org" ? undefined : "me" })}
          aria-current={scope === value ? "page" : undefined}
          className={cn(
            "rounded-md px-3 py-1.5 font-medium text-muted-foreground transition-colors outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50",
            scope === value && "bg-background text-foreground shadow-xs dark:bg-input/40",
          )}
          data-testid={`requests-scope-${value}`}
        >
          {label}
        </Link>
      ))}
    </nav>
  );

  // The drawer's request is read whatever the list shows: a link from the playground or a
  // colleague opens it over any view, and a bad view still shows it.
  const detailFor = async () => (parsed.id ? { id: parsed.id, detail: await getRequestDetail(actor, access.orgId, parsed.id) } : null);

  if (!query || problem) {
    // The filters still offer what the default view would, so the view can be mended here.
    const fallback = await resolveRequestQuery(actor, access.orgId, { scope: isOwner ? view.scope : undefined });
    const [options, initialDetail] = await Promise.all([requestFilterOptions(actor, fallback), detailFor()]);
    return (
      <>
        {header}
        <div className="space-y-4">
          {scopeSwitch}
          <RequestControls basePath={basePath} view={view} options={filterOptions(options)} invalid={problem?.invalid} timeZone={fallback.timeZone} />
          <FormAlert data-testid="requests-filter-error" message={problem?.errors.join(" ") ?? "This view is not valid."} />
          <p className="text-sm">
            <Link href={basePath} className="font-medium underline underline-offset-4" data-testid="requests-reset-link">
              Back to the last 24 hours
            </Link>
          </p>
          <RequestLog orgId={access.orgId} search="" initialPage={{ rows: [], nextCursor: null }} initialDetail={initialDetail} empty={null} actions={ACTIONS} />
        </div>
      </>
    );
  }

  const [page, options, initialDetail]: [RequestPage, RequestFilterOptions, Awaited<ReturnType<typeof detailFor>>] = await Promise.all([
    listRequests(query),
    requestFilterOptions(actor, query),
    detailFor(),
  ]);
  const search = requestSearchParams(view).toString();
  const filtered = hasFilters(view);
  const firstProject = options.projects.find((p) => !p.archived);
  const period =
    query.range === "custom"
      ? `${query.from.getTime() <= Date.UTC(2000, 0, 1) ? "From the start" : timeLabel(query.timeZone, query.from.getTime())} – ${query.to ? timeLabel(query.timeZone, query.to.getTime() - 1) : "now"}`
      : RANGE_LABELS[query.range];

  return (
    <>
      {header}
      <div className="space-y-4">
        {scopeSwitch}
        <RequestControls
          // Remount when the URL's view changes so the controls show what the URL says (back/forward).
          key={search}
          basePath={basePath}
          view={view}
          options={filterOptions(options)}
          timeZone={query.timeZone}
        />
        <p className="text-sm text-muted-foreground" data-testid="requests-summary">
          <span className="font-medium text-foreground">{period}</span>
          {" · "}newest first · times in {query.timeZone}
        </p>
        {cursor && (
          <p className="flex flex-wrap items-center gap-x-2 text-sm" data-testid="requests-older-page">
            <span className="text-muted-foreground">Showing older requests from a page link.</span>
            <Link href={requestsHref(basePath, view)} className="font-medium underline underline-offset-4">
              Back to the newest
            </Link>
          </p>
        )}
        <RequestLog
          // A new view (filters, page link) starts a new list; the drawer's ?id= is not part of it.
          key={`${search}|${cursor ?? ""}`}
          orgId={access.orgId}
          search={search}
          initialPage={page}
          initialDetail={initialDetail}
          actions={ACTIONS}
          empty={
            <EmptyState
              icon={Activity}
              title={cursor ? "No older requests" : "No requests in this period"}
              description={
                filtered
                  ? "Nothing matches these filters in this period. Try other filters or a longer period."
                  : scope === "org"
                    ? "Requests made with this organization's API keys, and playground runs, appear here within seconds."
                    : "Requests made with your API keys, and your playground runs, appear here within seconds."
              }
              action={
                <>
                  {filtered && (
                    <Button asChild variant="outline" size="sm">
                      <Link href={requestsHref(basePath, { range: view.range, from: view.from, to: view.to, scope: view.scope })} data-testid="requests-empty-clear">
                        Clear filters
                      </Link>
                    </Button>
                  )}
                  {!filtered && firstProject && (
                    <>
                      <Button asChild size="sm">
                        <Link href={`/projects/${firstProject.id}/api-keys`}>
                          <KeyRound aria-hidden="true" />
                          API keys
                        </Link>
                      </Button>
                      <Button asChild variant="outline" size="sm">
                        <Link href={`/projects/${firstProject.id}/playground`}>
                          <Terminal aria-hidden="true" />
                          Playground
                        </Link>
                      </Button>
                    </>
                  )}
                </>
              }
              data-testid="requests-empty"
            />
          }
        />
      </div>
    </>
  );
}
