import { ArrowUpRight, Check } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { TierProgress } from "@/lib/billing/tiers";
import { formatUsd } from "@/lib/billing/money";
import { cn } from "@/lib/utils";
import { missingText, plural } from "./format";

// The organization's usage tier: where it stands among the five, what it has paid, and what
// the next tier still needs. Read-only for everyone: tiers move by themselves (or by an
// instance administrator), never from this page.

const TIERS = [1, 2, 3, 4, 5] as const;

const dateFmt = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric", year: "numeric" });

function requirementText(paidMicros: bigint, days: number) {
  const paid = paidMicros > 0n ? `${formatUsd(paidMicros)} paid` : "no payment";
  return days > 0 ? `${paid} and ${plural(days, "day")} since the first payment` : paid;
}

export function UsageTier({ progress }: { progress: TierProgress }) {
  const { tier, next } = progress;
  const reqs = new Map(progress.requirements.map((r) => [r.tier, r]));
  const missing = next ? missingText(next.missingMicros, next.missingDays) : null;

  return (
    <Card data-testid="usage-tier-card" data-tier={tier}>
      <CardContent className="grid gap-6 *:min-w-0">
        <div className="flex flex-wrap items-center gap-3">
          <Badge className="px-2.5 py-1 text-sm" data-testid="current-tier">
            Tier {tier}
          </Badge>
          <p className="text-sm text-muted-foreground">
            {next ? `This organization is on tier ${tier} of ${TIERS.length}.` : `This organization is on the highest tier.`}
          </p>
        </div>
        <ol className="grid grid-cols-5 gap-1.5 sm:gap-2" aria-label="Usage tiers" data-testid="tier-stepper">
          {TIERS.map((t) => {
            const req = reqs.get(t);
            const reached = t < tier;
            const current = t === tier;
            return (
              <li
                key={t}
                aria-current={current ? "step" : undefined}
                data-testid={`tier-step-${t}`}
                className={cn(
                  "relative grid min-w-0 gap-0.5 rounded-lg border px-1.5 py-2 text-center sm:px-3 sm:text-left",
                  reached && "border-primary/25 bg-primary/5",
                  current && "border-primary bg-primary text-primary-foreground shadow-xs",
                  !reached && !current && "border-dashed text-muted-foreground",
                )}
              >
                <span className="flex items-center justify-center gap-1 text-[11px] font-medium tracking-wide uppercase sm:justify-start">
                  Tier {t}
                  {reached && <Check className="size-3 text-primary" aria-label="reached" />}
                </span>
                <span
                  className={cn("hidden truncate text-xs sm:block", current ? "text-primary-foreground/80" : "text-muted-foreground")}
                  title={t === 1 ? "Every organization starts here" : req ? requirementText(req.paidMicros, req.daysSinceFirstPayment) : undefined}
                >
                  {t === 1 ? "Start" : req ? `${formatUsd(req.paidMicros).replace(/\.00$/, "")} · ${req.daysSinceFirstPayment} d` : "Not set"}
                </span>
              </li>
            );
          })}
        </ol>

        <dl className="grid gap-4 sm:grid-cols-3">
          <div className="grid gap-1">
            <dt className="text-[13px] text-muted-foreground">Paid so far</dt>
            <dd className="text-lg font-semibold tabular-nums" data-testid="tier-paid">
              {formatUsd(progress.paidMicros)}
            </dd>
          </div>
          <div className="grid gap-1">
            <dt className="text-[13px] text-muted-foreground">Days since first payment</dt>
            <dd className="text-lg font-semibold tabular-nums" data-testid="tier-days">
              {progress.firstPaymentAt ? (
                <>
                  {progress.daysSinceFirstPayment.toLocaleString("en-US")}
                  <span className="ml-2 text-[13px] font-normal text-muted-foreground">since {dateFmt.format(progress.firstPaymentAt)}</span>
                </>
              ) : (
                <span className="text-base font-normal text-muted-foreground">No payment yet</span>
              )}
            </dd>
          </div>
          <div className="grid gap-1">
            <dt className="text-[13px] text-muted-foreground">Next tier</dt>
            <dd className="text-lg font-semibold" data-testid="tier-next">
              {next ? `Tier ${next.tier}` : "Highest tier"}
            </dd>
          </div>
        </dl>

        <div
          className={cn(
            "flex items-start gap-3 rounded-lg border px-4 py-3 text-sm",
            next ? "bg-muted/40" : "border-success/30 bg-success/10",
          )}
          data-testid="tier-next-requirement"
        >
          {next ? (
            <ArrowUpRight className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
          ) : (
            <Check className="mt-0.5 size-4 shrink-0 text-success" aria-hidden="true" />
          )}
          {next ? (
            <div className="grid gap-0.5">
              <p>
                Tier {next.tier} requires {requirementText(next.paidMicros, next.daysSinceFirstPayment)}.
              </p>
              <p className="font-medium" data-testid="tier-missing">
                {missing ?? "The requirements are met: the organization moves up automatically shortly."}
              </p>
            </div>
          ) : (
            <p>
              <span className="font-medium">Highest tier.</span> This organization has the highest limits this instance offers.
            </p>
          )}
        </div>

        <div className="grid gap-2">
          <h3 className="text-sm font-semibold">Requirements</h3>
          <div className="overflow-hidden rounded-lg border">
            <Table data-testid="tier-requirements-table">
              <TableHeader className="bg-muted/40">
                <TableRow className="hover:bg-transparent">
                  <TableHead className="pl-4">Tier</TableHead>
                  <TableHead className="text-right">Amount paid</TableHead>
                  <TableHead className="pr-4 text-right">Days since first payment</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {TIERS.filter((t) => t > 1).map((t) => {
                  const req = reqs.get(t);
                  return (
                    <TableRow
                      key={t}
                      data-testid="tier-requirement-row"
                      data-tier={t}
                      aria-current={t === tier ? "true" : undefined}
                      className={cn(t === tier && "bg-primary/5 hover:bg-primary/10")}
                    >
                      <TableCell className="pl-4 font-medium">
                        <span className="inline-flex items-center gap-2">
                          Tier {t}
                          {t === tier && <Badge variant="secondary">Current</Badge>}
                        </span>
                      </TableCell>
                      <TableCell className="text-right tabular-nums">{req ? formatUsd(req.paidMicros) : "—"}</TableCell>
                      <TableCell className="pr-4 text-right tabular-nums">{req ? req.daysSinceFirstPayment.toLocaleString("en-US") : "—"}</TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </div>
        </div>
      </CardContent>
    </Card>
  );
}
