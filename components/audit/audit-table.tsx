import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export type AuditRow = {
  id: string;
  time: string;
  iso: string;
  actor: string | null;
  action: string;
  actionLabel: string;
  tone: "success" | "destructive" | "secondary";
  targetType: string;
  targetId: string | null;
  details: string;
};

export function AuditTable({ rows }: { rows: AuditRow[] }) {
  return (
    <div className="overflow-hidden rounded-xl border bg-card">
      <Table data-testid="audit-table">
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead className="pl-4">Time (UTC)</TableHead>
            <TableHead>Actor</TableHead>
            <TableHead>Action</TableHead>
            <TableHead>Target</TableHead>
            <TableHead className="pr-4">Details</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={r.id} data-testid="audit-row" data-action={r.action}>
              <TableCell className="pl-4 font-mono text-xs text-muted-foreground tabular-nums">
                <time dateTime={r.iso}>{r.time}</time>
              </TableCell>
              <TableCell className="max-w-[14rem] truncate" title={r.actor ?? undefined}>
                {r.actor ?? <span className="text-muted-foreground">System</span>}
              </TableCell>
              <TableCell>
                <Badge variant={r.tone} title={r.action}>
                  {r.actionLabel}
                </Badge>
              </TableCell>
              <TableCell>
                {r.targetType || r.targetId ? (
                  <div className="flex flex-col gap-0.5">
                    {r.targetType && <span>{r.targetType}</span>}
                    {r.targetId && (
                      <code className="max-w-[9rem] truncate font-mono text-xs text-muted-foreground" title={r.targetId}>
                        {r.targetId}
                      </code>
                    )}
                  </div>
                ) : (
                  <span className="text-muted-foreground">—</span>
                )}
              </TableCell>
              <TableCell className="min-w-[12rem] pr-4 text-[13px] whitespace-normal text-muted-foreground">
                <span className="line-clamp-3 [overflow-wrap:anywhere]" title={r.details || undefined}>
                  {r.details || "—"}
                </span>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
