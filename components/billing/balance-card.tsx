import { CircleAlert, TriangleAlert } from "lucide-react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/lib/utils";
import { balanceState, formatUsd } from "./format";

/**
 * The organization's prepaid credit: what may still be spent, big, and how it is made up
 * (ledger sum minus usage metered but not yet posted) in small print.
 */
export function BalanceCard({
  ledgerMicros,
  pendingMicros,
  availableMicros,
  enforced,
  rechargeThresholdMicros,
  children,
}: {
  ledgerMicros: bigint;
  pendingMicros: bigint;
  availableMicros: bigint;
  /** Whether this instance refuses API requests once credit is used up. */
  enforced: boolean;
  rechargeThresholdMicros: bigint | null;
  /** Below the figures (the redeem form for owners). */
  children?: React.ReactNode;
}) {
  const state = balanceState(availableMicros, rechargeThresholdMicros);
  return (
    <Card data-testid="balance-card" data-state={state}>
      <CardHeader>
        <CardTitle>Credit balance</CardTitle>
        <CardDescription>Prepaid credit the API draws on as requests are made.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <div className="space-y-1">
          <p
            className={cn(
              "text-4xl font-semibold tracking-tight tabular-nums",
              state === "empty" && "text-destructive",
              state === "low" && "text-[oklch(0.5_0.12_65)] dark:text-warning",
            )}
            data-testid="balance-available"
          >
            {formatUsd(availableMicros)}
          </p>
          <p className="text-[13px] leading-snug text-muted-foreground" data-testid="balance-breakdown">
            Available: the ledger balance of <span className="font-medium text-foreground tabular-nums">{formatUsd(ledgerMicros)}</span> less{" "}
            <span className="font-medium text-foreground tabular-nums">{formatUsd(pendingMicros)}</span> of usage not yet posted (usage is
            metered at once and posted to the ledger every few seconds, in hourly totals).
          </p>
        </div>
        {state === "empty" && (
          <p
            role="status"
            className="flex items-start gap-2 rounded-md border border-destructive/30 bg-destructive/10 px-3 py-2 text-sm text-destructive"
            data-testid="balance-empty"
          >
            <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
            <span>
              {enforced
                ? "No credit left. API requests are refused with insufficient_quota until credit is added: redeem a code, or ask an administrator."
                : "No credit left. This instance does not enforce prepaid credit, so API requests still run, and the balance goes further below zero."}
            </span>
          </p>
        )}
        {state === "low" && (
          <p
            role="status"
            className="flex items-start gap-2 rounded-md border border-warning/40 bg-warning/10 px-3 py-2 text-sm text-[oklch(0.45_0.11_65)] dark:text-warning"
            data-testid="balance-low"
          >
            <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
            <span>
              Credit is running low.{" "}
              {enforced
                ? "When it is used up, API requests are refused with insufficient_quota until credit is added."
                : "This instance does not enforce prepaid credit, so requests continue when it is used up."}
            </span>
          </p>
        )}
        {children}
      </CardContent>
    </Card>
  );
}
