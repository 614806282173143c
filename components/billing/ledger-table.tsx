"use client";

import * as React from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { callWithToast } from "@/components/ui/use-form-action";
import type { ActionResult } from "@/lib/actions";
import { cn } from "@/lib/utils";
import type { LedgerDisplayRow } from "./ledger-rows";

type LoadMore = (input: { orgId: string; cursor: string; kind?: string }) => Promise<ActionResult<{ rows: LedgerDisplayRow[]; nextCursor: string | null }>>;

/**
 * The ledger, newest first. The first page comes with the page; "Load more" fetches the next
 * one after the last id shown (keyset), so entries posted meanwhile never shift the pages.
 * Give it a `key` that changes with the first page, so a refreshed page starts over.
 */
export function LedgerTable({
  orgId,
  kind,
  initialRows,
  initialCursor,
  loadMore,
}: {
  orgId: string;
  kind: string;
  initialRows: LedgerDisplayRow[];
  initialCursor: string | null;
  loadMore: LoadMore;
}) {
  const [rows, setRows] = React.useState(initialRows);
  const [cursor, setCursor] = React.useState(initialCursor);
  const [loading, setLoading] = React.useState(false);

  async function more() {
    if (!cursor || loading) return;
    setLoading(true);
    try {
      const r = await callWithToast(() => loadMore({ orgId, cursor, kind: kind || undefined }));
      if (r.ok && r.data) {
        const seen = new Set(rows.map((x) => x.id));
        setRows((prev) => [...prev, ...r.data!.rows.filter((x) => !seen.has(x.id))]);
        setCursor(r.data.nextCursor);
        if (!r.data.rows.length) toast.message("No older entries");
      }
    } finally {
      setLoading(false);
    }
  }

  return (
    <div className="grid grid-cols-1 gap-3">
      <div className="overflow-hidden rounded-xl border bg-card">
        <Table data-testid="ledger-table">
          <TableHeader className="bg-muted/40">
            <TableRow className="hover:bg-transparent">
              <TableHead className="pl-4">Date (UTC)</TableHead>
              <TableHead>Kind</TableHead>
              <TableHead>Description</TableHead>
              <TableHead className="text-right">Amount</TableHead>
              <TableHead className="pr-4">Expires</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={r.id} data-testid="ledger-row" data-kind={r.kind}>
                <TableCell className="pl-4 text-muted-foreground tabular-nums">
                  <time dateTime={r.iso}>{r.date}</time>
                </TableCell>
                <TableCell>
                  <Badge variant={r.tone}>{r.kindLabel}</Badge>
                </TableCell>
                <TableCell className="max-w-[22rem]">
                  <div className="flex min-w-0 flex-col">
                    <span className="truncate" title={r.description}>
                      {r.description || "—"}
                    </span>
                    {(r.project || r.model) && (
                      <span className="truncate text-xs text-muted-foreground" title={[r.project, r.model].filter(Boolean).join(" · ")}>
                        {r.project}
                        {r.project && r.model && " · "}
                        {r.model && <span className="font-mono">{r.model}</span>}
                      </span>
                    )}
                  </div>
                </TableCell>
                <TableCell
                  className={cn(
                    "text-right font-medium tabular-nums",
                    r.amountTone === "positive" && "text-success",
                    r.amountTone === "negative" && "text-destructive",
                  )}
                  data-testid="ledger-amount"
                >
                  {r.amount}
                </TableCell>
                <TableCell className="pr-4 text-muted-foreground">
                  {r.expires ? (
                    <span className={cn(r.expires.past && "line-through")} title={r.expires.past ? "Expired" : undefined}>
                      {r.expires.label}
                    </span>
                  ) : (
                    "—"
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {cursor && (
        <div className="flex justify-center">
          <Button variant="outline" size="sm" onClick={more} disabled={loading} aria-busy={loading || undefined} data-testid="ledger-load-more">
            {loading && <Spinner label="" />}
            {loading ? "Loading…" : "Load more"}
          </Button>
        </div>
      )}
    </div>
  );
}
