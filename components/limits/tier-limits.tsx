import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { LIMIT_FIELDS, limitText, type Limits } from "./format";

// The organization's tier limits for every enabled model (read-only: instance administrators
// set them per tier). Models without a row of their own take the tier's default.

export type TierModelRow = { model: string; values: Limits; fromDefault: boolean };

export function TierLimits({ tier, defaults, models }: { tier: number; defaults: Limits; models: TierModelRow[] }) {
  return (
    <div className="overflow-hidden rounded-xl border bg-card">
      <Table data-testid="org-tier-limits-table" data-tier={tier}>
        <TableHeader className="bg-muted/40">
          <TableRow className="hover:bg-transparent">
            <TableHead className="pl-4">Model</TableHead>
            {LIMIT_FIELDS.map((f) => (
              <TableHead key={f.key} className="text-right last:pr-4" title={f.title}>
                {f.label}
              </TableHead>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          <TableRow data-testid="org-tier-limit-row" data-model="*">
            <TableCell className="pl-4">
              <div className="grid gap-0.5">
                <span className="font-medium">Tier default</span>
                <span className="text-xs text-muted-foreground">Any model without its own row</span>
              </div>
            </TableCell>
            {LIMIT_FIELDS.map((f) => (
              <TableCell key={f.key} className="text-right tabular-nums last:pr-4" data-testid={`org-tier-limit-${f.key}`}>
                {limitText(defaults[f.key])}
              </TableCell>
            ))}
          </TableRow>
          {models.map((m) => (
            <TableRow key={m.model} data-testid="org-tier-limit-row" data-model={m.model}>
              <TableCell className="max-w-[18rem] pl-4">
                <span className="inline-flex max-w-full min-w-0 items-center gap-2">
                  <span className="truncate font-mono text-[13px]" title={m.model}>
                    {m.model}
                  </span>
                  {m.fromDefault && <Badge variant="muted">tier default</Badge>}
                </span>
              </TableCell>
              {LIMIT_FIELDS.map((f) => (
                <TableCell
                  key={f.key}
                  className={`text-right tabular-nums last:pr-4 ${m.fromDefault ? "text-muted-foreground" : ""}`}
                  data-testid={`org-tier-limit-${f.key}`}
                >
                  {limitText(m.values[f.key])}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
