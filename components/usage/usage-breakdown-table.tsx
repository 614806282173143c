import { Table, TableBody, TableCell, TableFooter, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatInteger, formatPercent, formatUsd } from "./format";

export type BreakdownRowData = {
  group: string;
  label: string;
  detail: string | null;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  costMicros: number;
  share: number;
};

/**
 * One row per group, most expensive first. `data-group` is the group's id (model name,
 * project, key or user id), with "playground" / "none" for requests without a key / user.
 */
export function UsageBreakdownTable({
  rows,
  groupLabel,
  emptyId,
  colors,
  totals,
}: {
  rows: BreakdownRowData[];
  groupLabel: string;
  emptyId: string;
  /** Chart colors of the groups shown in the cost chart. */
  colors: Map<string, string>;
  totals: { requests: number; promptTokens: number; completionTokens: number; costMicros: number };
}) {
  return (
    <div className="overflow-hidden rounded-xl border bg-card">
      <Table data-testid="usage-breakdown-table">
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead className="pl-4">{groupLabel}</TableHead>
            <TableHead className="text-right">Requests</TableHead>
            <TableHead className="text-right">Input tokens</TableHead>
            <TableHead className="text-right">Output tokens</TableHead>
            <TableHead className="text-right">Cost</TableHead>
            <TableHead className="pr-4 text-right">Share of cost</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={r.group} data-testid="usage-breakdown-row" data-group={r.group || emptyId}>
              <TableCell className="max-w-[18rem] pl-4">
                <div className="flex min-w-0 items-center gap-2">
                  <span
                    aria-hidden="true"
                    className="size-2.5 shrink-0 rounded-[3px]"
                    style={{ background: colors.get(r.group) ?? "var(--usage-chart-other)" }}
                  />
                  <div className="flex min-w-0 flex-col">
                    <span className="truncate font-medium" title={r.label}>
                      {r.label}
                    </span>
                    {r.detail && (
                      <span className="truncate font-mono text-xs text-muted-foreground" title={r.detail}>
                        {r.detail}
                      </span>
                    )}
                  </div>
                </div>
              </TableCell>
              <TableCell className="text-right tabular-nums">{formatInteger(r.requests)}</TableCell>
              <TableCell className="text-right tabular-nums">{formatInteger(r.promptTokens)}</TableCell>
              <TableCell className="text-right tabular-nums">{formatInteger(r.completionTokens)}</TableCell>
              <TableCell className="text-right font-medium tabular-nums">{formatUsd(r.costMicros)}</TableCell>
              <TableCell className="pr-4">
                <div className="flex items-center justify-end gap-2">
                  <div className="hidden h-1.5 w-16 overflow-hidden rounded-full bg-muted sm:block" aria-hidden="true">
                    <div className="h-full rounded-full bg-foreground/60" style={{ width: `${Math.min(100, r.share * 100)}%` }} />
                  </div>
                  <span className="w-12 text-right text-muted-foreground tabular-nums">{formatPercent(r.share)}</span>
                </div>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
        <TableFooter>
          <TableRow className="hover:bg-transparent">
            <TableCell className="pl-4">Total</TableCell>
            <TableCell className="text-right tabular-nums">{formatInteger(totals.requests)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatInteger(totals.promptTokens)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatInteger(totals.completionTokens)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatUsd(totals.costMicros)}</TableCell>
            <TableCell className="pr-4 text-right text-muted-foreground tabular-nums">{totals.costMicros > 0 ? "100%" : "—"}</TableCell>
          </TableRow>
        </TableFooter>
      </Table>
    </div>
  );
}
