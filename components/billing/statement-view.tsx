import { Info } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableFooter, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { StatementCreditLine, StatementUsageLine } from "@/lib/billing/statements";
import { cn } from "@/lib/utils";
import { formatUsd, kindLabel, KIND_TONES, lastDayOf, monthLabel, signedUsd, utcDate, utcDateTime } from "./format";

export type StatementData = {
  month: string;
  start: Date;
  end: Date;
  inProgress: boolean;
  openingMicros: bigint;
  usageLines: StatementUsageLine[];
  usageTotalMicros: bigint;
  creditLines: StatementCreditLine[];
  creditsTotalMicros: bigint;
  closingMicros: bigint;
};

const int = (n: number | bigint) => n.toLocaleString("en-US");

/** Usage lines by project, each project with its subtotal. */
function byProject(lines: StatementUsageLine[]) {
  const groups: { projectId: string; projectName: string; lines: StatementUsageLine[]; totalMicros: bigint }[] = [];
  for (const l of lines) {
    let g = groups.find((x) => x.projectId === l.projectId);
    if (!g) groups.push((g = { projectId: l.projectId, projectName: l.projectName, lines: [], totalMicros: 0n }));
    g.lines.push(l);
    g.totalMicros += l.amountMicros;
  }
  return groups;
}

function Figure({ label, value, testId, strong }: { label: string; value: string; testId: string; strong?: boolean }) {
  return (
    <div className="rounded-xl border bg-card px-4 py-3 print:rounded-none print:border-0 print:px-0">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className={cn("mt-1 text-lg tracking-tight tabular-nums", strong ? "font-semibold" : "font-medium")} data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

/** A month's statement: what the page shows and what prints. */
export function StatementView({
  statement: s,
  orgName,
  orgId,
  generatedAt,
}: {
  statement: StatementData;
  orgName: string;
  orgId: string;
  generatedAt: Date;
}) {
  const groups = byProject(s.usageLines);
  const requests = s.usageLines.reduce((n, l) => n + l.requests, 0);
  const prompt = s.usageLines.reduce((n, l) => n + l.promptTokens, 0n);
  const completion = s.usageLines.reduce((n, l) => n + l.completionTokens, 0n);

  return (
    <article className="grid grid-cols-1 gap-8 print:gap-6 print:text-[12px]" data-testid="statement" data-month={s.month}>
      <header className="flex flex-col gap-4 border-b pb-6 sm:flex-row sm:items-start sm:justify-between print:flex-row print:pb-4">
        <div className="space-y-1">
          <p className="text-xs font-medium tracking-wider text-muted-foreground uppercase">Gatehouse statement</p>
          <h2 className="text-lg font-semibold">{orgName}</h2>
          <p className="font-mono text-xs text-muted-foreground">{orgId}</p>
        </div>
        <dl className="grid gap-1 text-sm sm:text-right print:text-right">
          <div>
            <dt className="inline text-muted-foreground">Period: </dt>
            <dd className="inline font-medium" data-testid="statement-period">
              {utcDate(s.start)} – {utcDate(lastDayOf(s.end))} (UTC)
            </dd>
          </div>
          <div>
            <dt className="inline text-muted-foreground">Generated: </dt>
            <dd className="inline">{utcDateTime(generatedAt)}</dd>
          </div>
          {s.inProgress && (
            <div>
              <Badge variant="warning" data-testid="statement-in-progress-badge">
                In progress
              </Badge>
            </div>
          )}
        </dl>
      </header>

      {s.inProgress && (
        <p
          className="flex items-start gap-2 rounded-md border border-warning/40 bg-warning/10 px-3 py-2.5 text-sm print:border-0 print:bg-transparent print:px-0"
          data-testid="statement-in-progress"
        >
          <Info className="mt-0.5 size-4 shrink-0 text-[oklch(0.5_0.12_65)] dark:text-warning print:hidden" aria-hidden="true" />
          <span>
            {monthLabel(s.month)} is still in progress: these figures are as of {utcDateTime(generatedAt)} and change until the month ends
            (UTC). Usage appears here once it is posted to the ledger, which happens every few seconds, in hourly totals.
          </span>
        </p>
      )}

      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4 print:grid-cols-4">
        <Figure label="Opening balance" value={formatUsd(s.openingMicros)} testId="statement-opening" />
        <Figure label="Credits and other entries" value={signedUsd(s.creditsTotalMicros)} testId="statement-credits-total" />
        <Figure label="Usage charged" value={s.usageTotalMicros > 0n ? `-${formatUsd(s.usageTotalMicros)}` : formatUsd(0n)} testId="statement-usage-total" />
        <Figure label="Closing balance" value={formatUsd(s.closingMicros)} testId="statement-closing" strong />
      </dl>

      <section className="grid grid-cols-1 gap-3" aria-labelledby="statement-usage-heading">
        <h3 id="statement-usage-heading" className="text-sm font-semibold">
          Usage by project and model
        </h3>
        {groups.length === 0 ? (
          <p className="rounded-lg border border-dashed px-3 py-2.5 text-sm text-muted-foreground" data-testid="statement-usage-empty">
            No usage was charged in {monthLabel(s.month)}.
          </p>
        ) : (
          <div className="overflow-hidden rounded-xl border bg-card print:rounded-none print:border-x-0">
            <Table data-testid="statement-usage-table">
              <TableHeader className="bg-muted/40">
                <TableRow className="hover:bg-transparent">
                  <TableHead className="pl-4">Project / model</TableHead>
                  <TableHead className="text-right">Requests</TableHead>
                  <TableHead className="text-right">Input tokens</TableHead>
                  <TableHead className="text-right">Output tokens</TableHead>
                  <TableHead className="pr-4 text-right">Amount</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {groups.map((g) => (
                  <StatementProjectRows key={g.projectId} group={g} />
                ))}
              </TableBody>
              <TableFooter>
                <TableRow className="hover:bg-transparent">
                  <TableCell className="pl-4">Total usage</TableCell>
                  <TableCell className="text-right tabular-nums">{int(requests)}</TableCell>
                  <TableCell className="text-right tabular-nums">{int(prompt)}</TableCell>
                  <TableCell className="text-right tabular-nums">{int(completion)}</TableCell>
                  <TableCell className="pr-4 text-right tabular-nums">{formatUsd(s.usageTotalMicros)}</TableCell>
                </TableRow>
              </TableFooter>
            </Table>
          </div>
        )}
      </section>

      <section className="grid grid-cols-1 gap-3" aria-labelledby="statement-credits-heading">
        <h3 id="statement-credits-heading" className="text-sm font-semibold">
          Credits and other entries
        </h3>
        {s.creditLines.length === 0 ? (
          <p className="rounded-lg border border-dashed px-3 py-2.5 text-sm text-muted-foreground" data-testid="statement-credits-empty">
            No grants, payments, adjustments or expiries in {monthLabel(s.month)}.
          </p>
        ) : (
          <div className="overflow-hidden rounded-xl border bg-card print:rounded-none print:border-x-0">
            <Table data-testid="statement-credits-table">
              <TableHeader className="bg-muted/40">
                <TableRow className="hover:bg-transparent">
                  <TableHead className="pl-4">Date (UTC)</TableHead>
                  <TableHead>Kind</TableHead>
                  <TableHead>Description</TableHead>
                  <TableHead className="pr-4 text-right">Amount</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {s.creditLines.map((l) => (
                  <TableRow key={l.id} data-testid="statement-credit-row" data-kind={l.kind}>
                    <TableCell className="pl-4 text-muted-foreground tabular-nums">{utcDateTime(l.date)}</TableCell>
                    <TableCell>
                      <Badge variant={KIND_TONES[l.kind] ?? "outline"}>{kindLabel(l.kind)}</Badge>
                    </TableCell>
                    <TableCell className="max-w-[24rem] whitespace-normal [overflow-wrap:anywhere]">{l.description || "—"}</TableCell>
                    <TableCell
                      className={cn("pr-4 text-right font-medium tabular-nums", l.amountMicros > 0n ? "text-success" : l.amountMicros < 0n && "text-destructive")}
                    >
                      {signedUsd(l.amountMicros)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
              <TableFooter>
                <TableRow className="hover:bg-transparent">
                  <TableCell className="pl-4" colSpan={3}>
                    Total
                  </TableCell>
                  <TableCell className="pr-4 text-right tabular-nums">{signedUsd(s.creditsTotalMicros)}</TableCell>
                </TableRow>
              </TableFooter>
            </Table>
          </div>
        )}
      </section>

      <section className="grid grid-cols-1 gap-3" aria-labelledby="statement-summary-heading">
        <h3 id="statement-summary-heading" className="text-sm font-semibold">
          Summary
        </h3>
        <div className="max-w-md overflow-hidden rounded-xl border bg-card print:rounded-none print:border-x-0">
          <Table data-testid="statement-summary">
            <TableBody>
              <TableRow className="hover:bg-transparent">
                <TableCell className="pl-4">Opening balance, {utcDate(s.start)}</TableCell>
                <TableCell className="pr-4 text-right tabular-nums">{formatUsd(s.openingMicros)}</TableCell>
              </TableRow>
              <TableRow className="hover:bg-transparent">
                <TableCell className="pl-4">Credits and other entries</TableCell>
                <TableCell className="pr-4 text-right tabular-nums">{signedUsd(s.creditsTotalMicros)}</TableCell>
              </TableRow>
              <TableRow className="hover:bg-transparent">
                <TableCell className="pl-4">Usage charged</TableCell>
                <TableCell className="pr-4 text-right tabular-nums">{s.usageTotalMicros > 0n ? `-${formatUsd(s.usageTotalMicros)}` : formatUsd(0n)}</TableCell>
              </TableRow>
            </TableBody>
            <TableFooter>
              <TableRow className="hover:bg-transparent">
                <TableCell className="pl-4">{s.inProgress ? "Balance so far" : `Closing balance, ${utcDate(lastDayOf(s.end))}`}</TableCell>
                <TableCell className="pr-4 text-right font-semibold tabular-nums">{formatUsd(s.closingMicros)}</TableCell>
              </TableRow>
            </TableFooter>
          </Table>
        </div>
        <p className="text-xs text-muted-foreground">
          Amounts in US dollars. Usage is charged per project, model and UTC hour at the prices in force when the requests were made.
        </p>
      </section>
    </article>
  );
}

function StatementProjectRows({ group }: { group: { projectId: string; projectName: string; lines: StatementUsageLine[]; totalMicros: bigint } }) {
  return (
    <>
      <TableRow className="bg-muted/20 hover:bg-muted/20" data-testid="statement-project-row" data-project-id={group.projectId}>
        <TableCell className="pl-4 font-medium" colSpan={4}>
          {group.projectName}
        </TableCell>
        <TableCell className="pr-4 text-right font-medium tabular-nums">{formatUsd(group.totalMicros)}</TableCell>
      </TableRow>
      {group.lines.map((l) => (
        <TableRow key={l.model} data-testid="statement-usage-row" data-project-id={l.projectId} data-model={l.model}>
          <TableCell className="pl-8 font-mono text-[13px]">{l.model}</TableCell>
          <TableCell className="text-right tabular-nums">{int(l.requests)}</TableCell>
          <TableCell className="text-right tabular-nums">{int(l.promptTokens)}</TableCell>
          <TableCell className="text-right tabular-nums">{int(l.completionTokens)}</TableCell>
          <TableCell className="pr-4 text-right tabular-nums">{formatUsd(l.amountMicros)}</TableCell>
        </TableRow>
      ))}
    </>
  );
}
