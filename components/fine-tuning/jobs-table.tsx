"use client";

import * as React from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { callWithToast } from "@/components/ui/use-form-action";
import type { ActionResult } from "@/lib/actions";
import { formatDateTime, formatDuration, formatInteger, isActiveStatus, isoOf, jobDuration, jobHref } from "./format";
import { ModelName } from "./model-name";
import { JobStatusBadge } from "./status-badge";
import type { JobSummary } from "./types";
import { useNow } from "./use-now";

type LoadMore = (projectId: string, after: string) => Promise<ActionResult<{ rows: JobSummary[]; hasMore: boolean }>>;

/** While a job on the first page is active, the page refreshes its rows this often. */
const REFRESH_MS = 3_000;

/**
 * The project's jobs, newest first. The first page comes with the page (and is refreshed
 * while a job on it is active); "Load more" appends older jobs after the last one shown.
 */
export function JobsTable({
  projectId,
  initialRows,
  initialHasMore,
  loadMore,
}: {
  projectId: string;
  initialRows: JobSummary[];
  initialHasMore: boolean;
  loadMore: LoadMore;
}) {
  const router = useRouter();
  const [older, setOlder] = React.useState<JobSummary[]>([]);
  const [hasMore, setHasMore] = React.useState<boolean | null>(null);
  const [loading, setLoading] = React.useState(false);

  const firstIds = new Set(initialRows.map((r) => r.id));
  const rows = [...initialRows, ...older.filter((r) => !firstIds.has(r.id))];
  const moreAvailable = hasMore ?? initialHasMore;
  const anyActive = initialRows.some((r) => isActiveStatus(r.status));
  const now = useNow(rows.some((r) => isActiveStatus(r.status)));

  React.useEffect(() => {
    if (!anyActive) return;
    const t = setInterval(() => router.refresh(), REFRESH_MS);
    return () => clearInterval(t);
  }, [anyActive, router]);

  async function more() {
    const last = rows.at(-1);
    if (!last || loading) return;
    setLoading(true);
    try {
      const r = await callWithToast(() => loadMore(projectId, last.id));
      if (r.ok && r.data) {
        const page = r.data;
        setOlder((prev) => {
          const seen = new Set([...prev.map((x) => x.id), ...firstIds]);
          return [...prev, ...page.rows.filter((x) => !seen.has(x.id))];
        });
        setHasMore(page.hasMore);
        if (!page.rows.length) toast.message("No older jobs");
      }
    } finally {
      setLoading(false);
    }
  }

  return (
    <div className="grid grid-cols-1 gap-3">
      <div className="overflow-hidden rounded-xl border bg-card">
        <Table data-testid="ft-jobs-table">
          <TableHeader className="bg-muted/40">
            <TableRow className="hover:bg-transparent">
              <TableHead className="pl-4">Status</TableHead>
              <TableHead>Job and fine-tuned model</TableHead>
              <TableHead>Base model</TableHead>
              <TableHead>Suffix</TableHead>
              <TableHead>Created</TableHead>
              <TableHead className="text-right">Duration</TableHead>
              <TableHead className="pr-4 text-right">Trained tokens</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((j) => {
              const active = isActiveStatus(j.status);
              const duration = jobDuration(j, now);
              return (
                <TableRow key={j.id} data-testid="ft-job-row" data-job-id={j.id} data-status={j.status}>
                  <TableCell className="pl-4">
                    <div className="flex flex-col items-start gap-1">
                      <JobStatusBadge status={j.status} />
                      {j.status === "running" && j.progress && (
                        <span className="text-xs text-muted-foreground tabular-nums">
                          Step {formatInteger(j.progress.step)} of {formatInteger(j.progress.totalSteps)}
                        </span>
                      )}
                    </div>
                  </TableCell>
                  <TableCell className="max-w-[22rem]">
                    <div className="flex min-w-0 flex-col items-start">
                      <Link
                        href={jobHref(projectId, j.id)}
                        className="font-mono text-xs font-medium underline-offset-4 hover:underline"
                        data-testid="ft-job-link"
                      >
                        {j.id}
                      </Link>
                      {j.fineTunedModel ? (
                        <ModelName id={j.fineTunedModel} testId="ft-job-model" className="-my-1 text-muted-foreground" />
                      ) : (
                        <span className="text-xs text-muted-foreground">{active ? "Model published when the job succeeds" : "No model"}</span>
                      )}
                    </div>
                  </TableCell>
                  <TableCell className="max-w-[14rem] truncate font-mono text-xs" title={j.model}>
                    {j.model}
                  </TableCell>
                  <TableCell className="max-w-[10rem] truncate" title={j.suffix ?? undefined}>
                    {j.suffix || <span className="text-muted-foreground">—</span>}
                  </TableCell>
                  <TableCell className="text-muted-foreground tabular-nums">
                    <time dateTime={isoOf(j.createdAt)}>{formatDateTime(j.createdAt)}</time>
                  </TableCell>
                  <TableCell className="text-right tabular-nums">
                    <span className={active ? "text-muted-foreground" : undefined}>{formatDuration(duration)}</span>
                  </TableCell>
                  <TableCell className="pr-4 text-right tabular-nums">{formatInteger(j.trainedTokens)}</TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </div>
      {moreAvailable && (
        <div className="flex justify-center">
          <Button variant="outline" size="sm" onClick={more} disabled={loading} aria-busy={loading || undefined} data-testid="ft-load-more">
            {loading && <Spinner label="" />}
            {loading ? "Loading…" : "Load more"}
          </Button>
        </div>
      )}
    </div>
  );
}
