import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export type BudgetAlertRow = {
  id: string;
  time: string;
  iso: string;
  scope: string;
  kind: "alert" | "cap";
  threshold: string;
  spent: string;
  /** null: no webhook was set when it was raised. */
  delivery: string | null;
};

/** Budget alerts raised this month: each threshold once per month and scope. */
export function BudgetAlertsTable({ rows }: { rows: BudgetAlertRow[] }) {
  return (
    <div className="overflow-hidden rounded-xl border bg-card">
      <Table data-testid="budget-alerts-table">
        <TableHeader className="bg-muted/40">
          <TableRow className="hover:bg-transparent">
            <TableHead className="pl-4">Raised</TableHead>
            <TableHead>Scope</TableHead>
            <TableHead>Threshold</TableHead>
            <TableHead className="text-right">Spent then</TableHead>
            <TableHead className="pr-4">Webhook delivery</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((a) => (
            <TableRow key={a.id} data-testid="budget-alert-row" data-kind={a.kind}>
              <TableCell className="pl-4 text-muted-foreground tabular-nums">
                <time dateTime={a.iso}>{a.time}</time>
              </TableCell>
              <TableCell className="max-w-[14rem] truncate" title={a.scope}>
                {a.scope}
              </TableCell>
              <TableCell>
                <div className="flex items-center gap-2">
                  <Badge variant={a.kind === "cap" ? "destructive" : "warning"}>{a.kind === "cap" ? "Hard cap" : "Alert"}</Badge>
                  <span className="tabular-nums">{a.threshold}</span>
                </div>
              </TableCell>
              <TableCell className="text-right tabular-nums">{a.spent}</TableCell>
              <TableCell className="max-w-[18rem] pr-4 whitespace-normal">
                {a.delivery === null ? (
                  <span className="text-muted-foreground">No webhook set</span>
                ) : a.delivery === "sent" ? (
                  <Badge variant="success">Sent</Badge>
                ) : (
                  <span className="text-[13px] text-destructive [overflow-wrap:anywhere]">{a.delivery.replace(/^failed: /, "Failed: ")}</span>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
