"use client";

import * as React from "react";
import { useSearchParams } from "next/navigation";
import { ChevronDown, ChevronUp, RotateCw } from "lucide-react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { FormAlert } from "@/components/ui/form-alert";
import { Sheet, SheetContent, SheetDescription, SheetHeader, SheetTitle } from "@/components/ui/sheet";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/utils";
import { formatCount, formatLatency, formatMicros } from "@/lib/requests/format";
import { isRequestId } from "@/lib/requests/params";
import type { RequestDetail, RequestPage, RequestRow } from "@/lib/requests/types";
import { RequestDetailBody, RequestDetailSkeleton, RequestNotFound } from "./request-detail";
import { StatusBadge } from "./status-badge";

// The request log's table, its "Load more", and the detail drawer. The drawer's request lives
// in the URL (`?id=`) so it can be linked and survives a reload; opening one changes the URL
// in place (history.pushState, which the router follows) instead of navigating, so the rows
// already loaded stay and only the one request is fetched.

export type RequestLogActions = {
  loadMore: (orgId: string, search: string, cursor: string) => Promise<{ ok: true; page: RequestPage } | { ok: false; error: string }>;
  detail: (orgId: string, requestId: string) => Promise<{ ok: true; detail: RequestDetail | null } | { ok: false; error: string }>;
};

function setIdInUrl(id: string | null, mode: "push" | "replace") {
  const url = new URL(window.location.href);
  if (id) url.searchParams.set("id", id);
  else url.searchParams.delete("id");
  const next = url.pathname + url.search;
  if (next === window.location.pathname + window.location.search) return;
  if (mode === "push") window.history.pushState(null, "", next);
  else window.history.replaceState(null, "", next);
}

const isTyping = (el: EventTarget | null) =>
  el instanceof HTMLElement && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));

export function RequestLog({
  orgId,
  search,
  initialPage,
  initialDetail,
  empty,
  actions,
}: {
  orgId: string;
  /** The view's search params (no cursor, no id), for "Load more". */
  search: string;
  initialPage: RequestPage;
  /** The request of `?id=` as the server found it (null detail: not found / not visible). */
  initialDetail: { id: string; detail: RequestDetail | null } | null;
  /** Shown instead of the table when the page has no rows. */
  empty: React.ReactNode;
  actions: RequestLogActions;
}) {
  const searchParams = useSearchParams();
  const rawId = searchParams.get("id");
  const openId = isRequestId(rawId) ? rawId : null;

  const [rows, setRows] = React.useState<RequestRow[]>(initialPage.rows);
  const [cursor, setCursor] = React.useState(initialPage.nextCursor);
  const [loadingMore, setLoadingMore] = React.useState(false);
  const [moreError, setMoreError] = React.useState<string | null>(null);
  const [details, setDetails] = React.useState<ReadonlyMap<string, RequestDetail | null>>(
    () => new Map(initialDetail ? [[initialDetail.id, initialDetail.detail]] : []),
  );
  const [failed, setFailed] = React.useState<{ id: string; message: string } | null>(null);

  // The drawer's request, fetched once per id (the server already sent the one in the URL).
  React.useEffect(() => {
    if (!openId || details.has(openId) || failed?.id === openId) return;
    const id = openId;
    actions
      .detail(orgId, id)
      .then((r) => {
        if (r.ok) setDetails((m) => new Map(m).set(id, r.detail));
        else setFailed({ id, message: r.error });
      })
      .catch(() => setFailed({ id, message: "The request could not be loaded. Check your connection and try again." }));
  }, [openId, details, failed, orgId, actions]);

  const open = (id: string, mode: "push" | "replace" = "push") => setIdInUrl(id, mode);
  const close = () => setIdInUrl(null, "push");

  const loadMore = async () => {
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const r = await actions.loadMore(orgId, search, cursor);
      if (!r.ok) {
        setMoreError(r.error);
        return;
      }
      setRows((prev) => {
        const seen = new Set(prev.map((x) => x.id));
        return [...prev, ...r.page.rows.filter((x) => !seen.has(x.id))];
      });
      setCursor(r.page.nextCursor);
    } catch {
      toast.error("More requests could not be loaded. Check your connection and try again.");
    } finally {
      setLoadingMore(false);
    }
  };

  const tableRef = React.useRef<HTMLTableElement>(null);
  const openIndex = openId ? rows.findIndex((r) => r.requestId === openId) : -1;

  /** Moves through the rows: the open request's neighbour when the drawer is open, else the focused row's. */
  const step = (delta: 1 | -1) => {
    // The URL, not the last render: a second key press may come before the router re-renders.
    const current = new URL(window.location.href).searchParams.get("id");
    if (current) {
      const at = rows.findIndex((r) => r.requestId === current);
      const next = at < 0 ? null : rows[at + delta];
      if (!next) return;
      open(next.requestId, "replace");
      tableRef.current?.querySelector(`[data-request-id="${CSS.escape(next.requestId)}"]`)?.scrollIntoView({ block: "nearest" });
      return;
    }
    const buttons = [...(tableRef.current?.querySelectorAll<HTMLButtonElement>('[data-testid="request-open"]') ?? [])];
    if (!buttons.length) return;
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const target = at < 0 ? buttons[delta === 1 ? 0 : buttons.length - 1] : buttons[at + delta];
    target?.focus();
    target?.scrollIntoView({ block: "nearest" });
  };

  // j / k (and ↓ / ↑ on a row) move between rows; Esc closes the drawer (the dialog's own).
  const onKey = React.useEffectEvent((e: KeyboardEvent) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
    if (document.querySelector('[role="menu"]')) return;
    const onRow = e.target instanceof HTMLElement && e.target.dataset.testid === "request-open";
    if (e.key === "j" || (onRow && e.key === "ArrowDown")) {
      e.preventDefault();
      step(1);
    } else if (e.key === "k" || (onRow && e.key === "ArrowUp")) {
      e.preventDefault();
      step(-1);
    }
  });
  React.useEffect(() => {
    const listener = (e: KeyboardEvent) => onKey(e);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);

  const fromRows = openId ? rows.find((r) => r.requestId === openId) : undefined;
  const detail = openId ? details.get(openId) : undefined;
  const error = failed && failed.id === openId ? failed.message : null;

  return (
    <>
      {rows.length === 0 ? (
        empty
      ) : (
        <div className="grid gap-3">
          <div className="overflow-hidden rounded-xl border bg-card">
            <Table ref={tableRef} className="min-w-[54rem] [&_td]:px-2.5 [&_th]:px-2.5" data-testid="requests-table">
              <TableHeader>
                <TableRow className="hover:bg-transparent">
                  <TableHead className="pl-4!">Time</TableHead>
                  <TableHead>Project</TableHead>
                  <TableHead>Key</TableHead>
                  <TableHead>Model</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead className="text-right" title="Input tokens / output tokens">
                    Tokens
                  </TableHead>
                  <TableHead className="text-right">Cost</TableHead>
                  <TableHead className="text-right">Latency</TableHead>
                  <TableHead className="pr-4!">Stream</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((r) => (
                  <TableRow
                    key={r.id}
                    data-testid="request-row"
                    data-request-id={r.requestId}
                    data-project-id={r.projectId}
                    data-created-at={r.createdAt}
                    data-state={r.requestId === openId ? "selected" : undefined}
                    className="cursor-pointer"
                    onClick={(e) => {
                      if ((e.target as HTMLElement).closest("a, button") && !(e.target as HTMLElement).closest('[data-testid="request-open"]')) return;
                      open(r.requestId);
                    }}
                  >
                    <TableCell className="pl-4!">
                      <button
                        type="button"
                        className="rounded-sm text-left font-medium tabular-nums outline-none hover:underline focus-visible:ring-[3px] focus-visible:ring-ring/50"
                        title={`${r.timeLocal} · ${r.requestId}`}
                        aria-label={`Request ${r.requestId} at ${r.time}`}
                        data-testid="request-open"
                      >
                        {r.time}
                      </button>
                    </TableCell>
                    <TableCell className="max-w-[10rem]">
                      <span className="block truncate" title={r.projectName} data-testid="request-project">
                        {r.projectName}
                      </span>
                    </TableCell>
                    <TableCell className="max-w-[9rem]">
                      <span className={cn("block truncate", r.apiKeyId === null && "text-muted-foreground")} title={r.keyName} data-testid="request-key">
                        {r.keyName}
                      </span>
                    </TableCell>
                    <TableCell className="max-w-[10rem]">
                      <span className="block truncate font-mono text-[13px]" title={r.model} data-testid="request-model">
                        {r.model || <span className="font-sans text-muted-foreground">—</span>}
                      </span>
                    </TableCell>
                    <TableCell className="py-2">
                      <StatusBadge status={r.status} errorCode={r.errorCode} cancelled={r.cancelled} stacked />
                    </TableCell>
                    <TableCell
                      className="text-right tabular-nums"
                      title={`Input ${formatCount(r.promptTokens)} (${formatCount(r.cachedTokens)} cached) · output ${formatCount(r.completionTokens)}`}
                      data-testid="request-tokens"
                      data-prompt={r.promptTokens}
                      data-completion={r.completionTokens}
                    >
                      {formatCount(r.promptTokens)}
                      <span className="text-muted-foreground"> / </span>
                      {formatCount(r.completionTokens)}
                    </TableCell>
                    <TableCell className="text-right tabular-nums" data-testid="request-cost">
                      {formatMicros(r.costMicros)}
                    </TableCell>
                    <TableCell className="text-right text-muted-foreground tabular-nums" data-testid="request-latency">
                      {formatLatency(r.latencyMs)}
                    </TableCell>
                    <TableCell className="pr-4!" data-testid="request-streamed" data-streamed={r.streamed}>
                      {r.streamed ? <Badge variant="muted">Yes</Badge> : <span className="text-muted-foreground">—</span>}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          <div className="flex flex-wrap items-center justify-between gap-3 text-sm text-muted-foreground">
            <p data-testid="requests-count">
              {formatCount(rows.length)} request{rows.length === 1 ? "" : "s"} shown
              {!cursor && " · that is all of them in this period"}
              <span className="hidden lg:inline"> · j / k to move between rows</span>
            </p>
            {cursor && (
              <Button variant="outline" size="sm" onClick={loadMore} disabled={loadingMore} data-testid="requests-load-more">
                {loadingMore ? <Spinner label="" /> : <ChevronDown aria-hidden="true" />}
                {loadingMore ? "Loading…" : "Load more"}
              </Button>
            )}
          </div>
          {moreError && <FormAlert message={moreError} data-testid="requests-load-more-error" />}
        </div>
      )}

      <Sheet
        open={!!openId}
        onOpenChange={(next) => {
          if (!next) close();
        }}
      >
        <SheetContent side="right" className="w-full max-w-full gap-0 sm:w-[42rem] sm:max-w-[92vw]" data-testid="request-drawer">
          <SheetHeader className="gap-1 border-b px-5 pt-4 pb-4 pr-14">
            <div className="flex items-center gap-2">
              <SheetTitle className="text-base">Request</SheetTitle>
              {(detail ?? fromRows) && (
                <StatusBadge status={(detail ?? fromRows)!.status} errorCode={null} cancelled={(detail ?? fromRows)!.cancelled} />
              )}
              <div className="ml-auto flex items-center gap-0.5">
                <Button
                  variant="ghost"
                  size="icon-sm"
                  onClick={() => step(-1)}
                  disabled={openIndex <= 0}
                  title="Newer request (k)"
                  aria-label="Newer request"
                  data-testid="request-prev"
                >
                  <ChevronUp aria-hidden="true" />
                </Button>
                <Button
                  variant="ghost"
                  size="icon-sm"
                  onClick={() => step(1)}
                  disabled={openIndex < 0 || openIndex >= rows.length - 1}
                  title="Older request (j)"
                  aria-label="Older request"
                  data-testid="request-next"
                >
                  <ChevronDown aria-hidden="true" />
                </Button>
              </div>
            </div>
            <SheetDescription asChild>
              <div className="flex min-w-0 items-center gap-1 text-xs">
                <span className="min-w-0 font-mono break-all text-foreground" data-testid="drawer-request-id">
                  {openId}
                </span>
                {openId && <CopyButton value={openId} label="Copy request ID" toastMessage="Request ID copied" className="size-6" />}
              </div>
            </SheetDescription>
            {(detail ?? fromRows) && (
              <p className="text-xs text-muted-foreground">
                {(detail ?? fromRows)!.time}
                {(detail ?? fromRows)!.model && <> · {(detail ?? fromRows)!.model}</>} · {(detail ?? fromRows)!.projectName}
              </p>
            )}
          </SheetHeader>
          <div className="min-h-0 flex-1 overflow-y-auto pt-4">
            {!openId ? null : error ? (
              <div className="grid gap-3 px-5 pb-5">
                <FormAlert message={error} data-testid="request-detail-error" />
                <Button variant="outline" size="sm" className="justify-self-start" onClick={() => setFailed(null)}>
                  <RotateCw aria-hidden="true" />
                  Try again
                </Button>
              </div>
            ) : detail === undefined ? (
              <RequestDetailSkeleton />
            ) : detail === null ? (
              <RequestNotFound requestId={openId} />
            ) : (
              <RequestDetailBody detail={detail} settingsHref={`/projects/${encodeURIComponent(detail.projectId)}/settings`} />
            )}
          </div>
        </SheetContent>
      </Sheet>
    </>
  );
}
