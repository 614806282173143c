import { formatInteger, formatUsd } from "./format";

export type UsageTotalsData = {
  requests: number;
  errors: number;
  rateLimited: number;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  costMicros: number;
};

/** The period's totals, one card each. */
export function UsageTotals({ totals }: { totals: UsageTotalsData }) {
  const cards = [
    {
      label: "Requests",
      value: formatInteger(totals.requests),
      detail: totals.errors ? `${formatInteger(totals.errors)} failed, ${formatInteger(totals.rateLimited)} rate-limited` : "No errors",
      testId: "usage-total-requests",
    },
    {
      label: "Input tokens",
      value: formatInteger(totals.promptTokens),
      detail: `${formatInteger(totals.cachedTokens)} cached`,
      testId: "usage-total-input-tokens",
    },
    {
      label: "Output tokens",
      value: formatInteger(totals.completionTokens),
      detail: "Completions",
      testId: "usage-total-output-tokens",
    },
    {
      label: "Cost",
      value: formatUsd(totals.costMicros),
      detail: "At each model's prices",
      testId: "usage-total-cost",
    },
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="usage-totals">
      {cards.map((c) => (
        <div key={c.testId} className="min-w-0 rounded-xl border bg-card p-4 shadow-xs">
          <dt className="text-xs font-medium text-muted-foreground">{c.label}</dt>
          <dd className="mt-1.5 truncate text-xl font-semibold tracking-tight tabular-nums sm:text-2xl" data-testid={c.testId} title={c.value}>
            {c.value}
          </dd>
          <dd className="mt-1 truncate text-xs text-muted-foreground">{c.detail}</dd>
        </div>
      ))}
    </dl>
  );
}
