"use client";

import * as React from "react";
import { Area, AreaChart, Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { cn } from "@/lib/utils";
import { formatCompact, formatInteger, formatUsd, formatUsdAxis } from "./format";
import type { ChartPoint, ChartStack, UsageCharts as Charts } from "./prepare";

// Recharts only renders here; bucketing and sums come prepared (./prepare.ts). Colors are the
// CSS variables of ./palette.ts (set by the page), so the charts follow the theme as it changes.


const axisTick = { fill: "var(--muted-foreground)", fontSize: 11 };
const HEIGHT = 240;

type Series = { key: string; label: string; color: string; format: (n: number) => string };

export function UsageCharts({ charts, stacking }: { charts: Charts; stacking: string }) {
  const { points, stacks } = charts;
  const totals = React.useMemo(() => {
    let cost = 0, input = 0, output = 0, requests = 0, errors = 0, limited = 0;
    for (const p of points) {
      cost += p.costUsd;
      input += p.inputTokens;
      output += p.outputTokens;
      requests += p.requests;
      errors += p.errors;
      limited += p.rateLimited;
    }
    return { cost, input, output, requests, errors, limited };
  }, [points]);
  // Rate-limit rejections are errors too: stack them on the other errors, never count twice.
  const errorPoints = React.useMemo(() => points.map((p) => ({ ...p, otherErrors: p.errors - p.rateLimited })), [points]);
  const usd = (n: number) => formatUsd(Math.round(n * 1_000_000));

  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <ChartCard
        title="Cost"
        subtitle={`By ${stacking}`}
        testId="usage-chart-cost"
        className="lg:col-span-2"
        summary={`Cost per bucket, stacked by ${stacking}: ${usd(totals.cost)} in total.`}
        legend={stacks.map((s) => ({ key: s.key, label: s.label, color: s.color, format: usd }))}
      >
        <BarChart data={points} margin={{ top: 4, right: 4, bottom: 0, left: 0 }} barCategoryGap="15%">
          <CartesianGrid vertical={false} stroke="var(--border)" />
          <XAxis dataKey="label" tick={axisTick} tickLine={false} axisLine={false} minTickGap={20} />
          <YAxis tick={axisTick} tickLine={false} axisLine={false} width={80} tickFormatter={formatUsdAxis} />
          <Tooltip
            cursor={{ fill: "var(--muted)", opacity: 0.6 }}
            content={(props) => <ChartTooltip {...props} series={stacks.map((s) => seriesOf(s, usd))} total={{ label: "Total", key: "costUsd", format: usd }} />}
          />
          {stacks.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.label} stackId="cost" fill={s.color} maxBarSize={40} isAnimationActive={false} />
          ))}
        </BarChart>
      </ChartCard>

      <ChartCard
        title="Tokens"
        subtitle="Input and output"
        testId="usage-chart-tokens"
        summary={`Tokens per bucket: ${formatInteger(totals.input)} input and ${formatInteger(totals.output)} output tokens in total.`}
        legend={[
          { key: "inputTokens", label: "Input", color: "var(--usage-input)", format: formatInteger },
          { key: "outputTokens", label: "Output", color: "var(--usage-output)", format: formatInteger },
        ]}
      >
        <AreaChart data={points} margin={{ top: 4, right: 4, bottom: 0, left: 0 }}>
          <CartesianGrid vertical={false} stroke="var(--border)" />
          <XAxis dataKey="label" tick={axisTick} tickLine={false} axisLine={false} minTickGap={20} />
          <YAxis tick={axisTick} tickLine={false} axisLine={false} width={48} tickFormatter={formatCompact} />
          <Tooltip
            cursor={{ stroke: "var(--ring)" }}
            content={(props) => (
              <ChartTooltip
                {...props}
                series={[
                  { key: "inputTokens", label: "Input", color: "var(--usage-input)", format: formatInteger },
                  { key: "cachedTokens", label: "of which cached", color: "transparent", format: formatInteger },
                  { key: "outputTokens", label: "Output", color: "var(--usage-output)", format: formatInteger },
                ]}
              />
            )}
          />
          <Area type="monotone" dataKey="inputTokens" name="Input" stroke="var(--usage-input)" fill="var(--usage-input)" fillOpacity={0.15} strokeWidth={1.5} isAnimationActive={false} />
          <Area type="monotone" dataKey="outputTokens" name="Output" stroke="var(--usage-output)" fill="var(--usage-output)" fillOpacity={0.15} strokeWidth={1.5} isAnimationActive={false} />
        </AreaChart>
      </ChartCard>

      <ChartCard
        title="Requests"
        subtitle="All API requests"
        testId="usage-chart-requests"
        summary={`Requests per bucket: ${formatInteger(totals.requests)} in total.`}
      >
        <BarChart data={points} margin={{ top: 4, right: 4, bottom: 0, left: 0 }} barCategoryGap="15%">
          <CartesianGrid vertical={false} stroke="var(--border)" />
          <XAxis dataKey="label" tick={axisTick} tickLine={false} axisLine={false} minTickGap={20} />
          <YAxis tick={axisTick} tickLine={false} axisLine={false} width={48} tickFormatter={formatCompact} allowDecimals={false} />
          <Tooltip
            cursor={{ fill: "var(--muted)", opacity: 0.6 }}
            content={(props) => <ChartTooltip {...props} series={[{ key: "requests", label: "Requests", color: "var(--usage-requests)", format: formatInteger }]} />}
          />
          <Bar dataKey="requests" name="Requests" fill="var(--usage-requests)" maxBarSize={40} isAnimationActive={false} />
        </BarChart>
      </ChartCard>

      <ChartCard
        title="Errors"
        subtitle="Failed requests and rate-limit rejections"
        testId="usage-chart-errors"
        className="lg:col-span-2"
        summary={`Errors per bucket: ${formatInteger(totals.errors)} failed requests in total, of which ${formatInteger(totals.limited)} rate-limit rejections.`}
        legend={[
          { key: "otherErrors", label: "Errors", color: "var(--destructive)", format: formatInteger },
          { key: "rateLimited", label: "Rate-limit rejections (429)", color: "var(--warning)", format: formatInteger },
        ]}
      >
        <BarChart data={errorPoints} margin={{ top: 4, right: 4, bottom: 0, left: 0 }} barCategoryGap="15%">
          <CartesianGrid vertical={false} stroke="var(--border)" />
          <XAxis dataKey="label" tick={axisTick} tickLine={false} axisLine={false} minTickGap={20} />
          <YAxis tick={axisTick} tickLine={false} axisLine={false} width={48} tickFormatter={formatCompact} allowDecimals={false} />
          <Tooltip
            cursor={{ fill: "var(--muted)", opacity: 0.6 }}
            content={(props) => (
              <ChartTooltip
                {...props}
                series={[
                  { key: "otherErrors", label: "Errors", color: "var(--destructive)", format: formatInteger },
                  { key: "rateLimited", label: "Rate-limit rejections", color: "var(--warning)", format: formatInteger },
                ]}
              />
            )}
          />
          <Bar dataKey="otherErrors" name="Errors" stackId="errors" fill="var(--destructive)" maxBarSize={40} isAnimationActive={false} />
          <Bar dataKey="rateLimited" name="Rate-limit rejections" stackId="errors" fill="var(--warning)" maxBarSize={40} isAnimationActive={false} />
        </BarChart>
      </ChartCard>
    </div>
  );
}

const seriesOf = (s: ChartStack, format: (n: number) => string): Series => ({ key: s.key, label: s.label, color: s.color, format });

function ChartCard({
  title,
  subtitle,
  summary,
  legend,
  testId,
  className,
  children,
}: {
  title: string;
  subtitle: string;
  summary: string;
  legend?: Series[];
  testId: string;
  className?: string;
  children: React.ReactElement;
}) {
  const id = React.useId();
  return (
    <figure className={cn("min-w-0 rounded-xl border bg-card p-4 shadow-xs", className)} aria-labelledby={`${id}-title`} data-testid={testId}>
      <figcaption className="mb-3 flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <span id={`${id}-title`} className="text-sm font-semibold">
          {title}
        </span>
        <span className="text-xs text-muted-foreground">{subtitle}</span>
      </figcaption>
      <div role="img" aria-label={summary} className="h-[240px] w-full">
        <ResponsiveContainer width="100%" height={HEIGHT}>
          {children}
        </ResponsiveContainer>
      </div>
      {legend && legend.length > 0 && (
        <ul className="mt-3 flex flex-wrap gap-x-4 gap-y-1.5 text-xs text-muted-foreground" aria-label={`${title} legend`}>
          {legend.map((s) => (
            <li key={s.key} className="flex min-w-0 items-center gap-1.5">
              <span aria-hidden="true" className="size-2.5 shrink-0 rounded-[3px]" style={{ background: s.color }} />
              <span className="max-w-[14rem] truncate" title={s.label}>
                {s.label}
              </span>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}

type TooltipProps = {
  active?: boolean;
  payload?: ReadonlyArray<{ payload?: unknown }>;
  series: Series[];
  total?: { label: string; key: string; format: (n: number) => string };
};

function ChartTooltip({ active, payload, series, total }: TooltipProps) {
  const point = payload?.[0]?.payload as ChartPoint | undefined;
  if (!active || !point) return null;
  const rows = series.filter((s) => s.color === "transparent" || Number(point[s.key] ?? 0) !== 0);
  return (
    <div className="min-w-[11rem] max-w-[18rem] rounded-lg border bg-popover px-3 py-2 text-xs text-popover-foreground shadow-md">
      <p className="mb-1.5 font-medium">{point.title}</p>
      {rows.length === 0 && !total && <p className="text-muted-foreground">No usage</p>}
      <ul className="space-y-1">
        {rows.map((s) => (
          <li key={s.key} className="flex items-center justify-between gap-3">
            <span className="flex min-w-0 items-center gap-1.5">
              <span aria-hidden="true" className="size-2 shrink-0 rounded-[2px]" style={{ background: s.color }} />
              <span className={cn("truncate", s.color === "transparent" && "text-muted-foreground")}>{s.label}</span>
            </span>
            <span className="font-mono tabular-nums">{s.format(Number(point[s.key] ?? 0))}</span>
          </li>
        ))}
      </ul>
      {total && (
        <p className="mt-1.5 flex justify-between gap-3 border-t pt-1.5 font-medium">
          <span>{total.label}</span>
          <span className="font-mono tabular-nums">{total.format(Number(point[total.key] ?? 0))}</span>
        </p>
      )}
    </div>
  );
}
