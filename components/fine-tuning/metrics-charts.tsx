"use client";

import * as React from "react";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatInteger, formatMetric, formatPercent } from "./format";
import { countDefined, type ChartRow } from "./prepare";

// Recharts only renders here: the rows are the metrics events (./prepare.ts). Colors are CSS
// variables (FT_PALETTE, set by the job's page), with a light and a dark value each.

export const FT_PALETTE = [
  "[--ft-train:oklch(0.58_0.16_255)] dark:[--ft-train:oklch(0.72_0.14_255)]",
  "[--ft-valid:oklch(0.66_0.16_45)] dark:[--ft-valid:oklch(0.77_0.14_55)]",
].join(" ");

const axisTick = { fill: "var(--muted-foreground)", fontSize: 11 };
const HEIGHT = 240;
/** Above this many points the lines are drawn without a dot per step. */
const MAX_DOTS = 80;

type Series = { key: "trainLoss" | "validLoss" | "trainAccuracy" | "validAccuracy"; label: string; color: string; dashed?: boolean };

export function MetricsCharts({ rows, totalSteps, live }: { rows: ChartRow[]; totalSteps: number | null; live: boolean }) {
  // The axis follows the steps trained so far (the progress bar shows how far that is).
  const domainMax = Math.max(rows.at(-1)?.step ?? 0, 1);
  const last = rows.at(-1);
  const lastValid = [...rows].reverse().find((r) => r.validLoss !== null);
  const hasValid = !!lastValid;
  const hasAccuracy = rows.some((r) => r.trainAccuracy !== null);

  const loss: Series[] = [
    { key: "trainLoss", label: "Training loss", color: "var(--ft-train)" },
    ...(hasValid ? [{ key: "validLoss" as const, label: "Validation loss", color: "var(--ft-valid)", dashed: true }] : []),
  ];
  const accuracy: Series[] = [
    { key: "trainAccuracy", label: "Training accuracy", color: "var(--ft-train)" },
    ...(rows.some((r) => r.validAccuracy !== null) ? [{ key: "validAccuracy" as const, label: "Validation accuracy", color: "var(--ft-valid)", dashed: true }] : []),
  ];

  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <MetricChart
        title="Loss"
        testId="ft-chart-loss"
        rows={rows}
        series={loss}
        domainMax={domainMax}
        totalSteps={totalSteps}
        live={live}
        format={formatMetric}
        headline={last ? `Training ${formatMetric(last.trainLoss)}${lastValid ? ` · validation ${formatMetric(lastValid.validLoss)}` : ""}` : ""}
      />
      <MetricChart
        title="Token accuracy"
        testId="ft-chart-accuracy"
        rows={hasAccuracy ? rows : []}
        series={accuracy}
        domainMax={domainMax}
        totalSteps={totalSteps}
        live={live}
        format={formatPercent}
        percent
        headline={last && last.trainAccuracy !== null ? `Training ${formatPercent(last.trainAccuracy)}${lastValid?.validAccuracy != null ? ` · validation ${formatPercent(lastValid.validAccuracy)}` : ""}` : ""}
      />
    </div>
  );
}

function MetricChart({
  title,
  testId,
  rows,
  series,
  domainMax,
  totalSteps,
  live,
  format,
  percent,
  headline,
}: {
  title: string;
  testId: string;
  rows: ChartRow[];
  series: Series[];
  domainMax: number;
  totalSteps: number | null;
  live: boolean;
  format: (n: number) => string;
  percent?: boolean;
  headline: string;
}) {
  const id = React.useId();
  const dots = rows.length <= MAX_DOTS;
  const counts = Object.fromEntries(series.map((s) => [s.key, countDefined(rows, s.key)]));
  const summary = rows.length
    ? `${title} per training step, ${formatInteger(rows.length)} steps${totalSteps ? ` of ${formatInteger(totalSteps)}` : ""}. Latest: ${headline}.`
    : `${title}: no training steps yet.`;
  return (
    <figure
      className="min-w-0 rounded-xl border bg-card p-4 shadow-xs"
      aria-labelledby={`${id}-title`}
      data-testid={testId}
      data-points={rows.length}
      data-train-points={counts[series[0].key] ?? 0}
      data-valid-points={series[1] ? (counts[series[1].key] ?? 0) : 0}
      data-live={live ? "true" : "false"}
    >
      <figcaption className="mb-3 flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <span id={`${id}-title`} className="text-sm font-semibold">
          {title}
        </span>
        <span className="text-xs text-muted-foreground tabular-nums">{headline}</span>
      </figcaption>
      <div role="img" aria-label={summary} className="h-[240px] w-full">
        {rows.length === 0 ? (
          <div className="flex h-full items-center justify-center rounded-lg border border-dashed text-sm text-muted-foreground">
            {live ? "The first steps appear here as soon as training starts." : "No training steps were recorded."}
          </div>
        ) : (
          <ResponsiveContainer width="100%" height={HEIGHT}>
            <LineChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid vertical={false} stroke="var(--border)" />
              <XAxis
                dataKey="step"
                type="number"
                domain={[0, domainMax]}
                allowDecimals={false}
                tick={axisTick}
                tickLine={false}
                axisLine={false}
                minTickGap={24}
              />
              <YAxis
                tick={axisTick}
                tickLine={false}
                axisLine={false}
                width={48}
                domain={percent ? [0, 1] : ["auto", "auto"]}
                tickFormatter={(v: number) => (percent ? `${Math.round(v * 100)}%` : v.toFixed(v >= 10 ? 0 : 2))}
              />
              <Tooltip cursor={{ stroke: "var(--ring)" }} content={(props) => <ChartTooltip {...props} series={series} format={format} />} />
              {series.map((s) => (
                <Line
                  key={s.key}
                  type="linear"
                  dataKey={s.key}
                  name={s.label}
                  stroke={s.color}
                  strokeWidth={1.75}
                  strokeDasharray={s.dashed ? "5 3" : undefined}
                  dot={dots ? { r: 2.5, fill: s.color, strokeWidth: 0 } : false}
                  activeDot={{ r: 4 }}
                  connectNulls
                  isAnimationActive={false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        )}
      </div>
      <ul className="mt-3 flex flex-wrap gap-x-4 gap-y-1.5 text-xs text-muted-foreground" aria-label={`${title} legend`}>
        {series.map((s) => (
          <li key={s.key} className="flex items-center gap-1.5">
            <span aria-hidden="true" className="h-0.5 w-4 rounded-full" style={{ background: s.color }} />
            {s.label}
            <span className="tabular-nums">({formatInteger(counts[s.key] ?? 0)} points)</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

type TooltipProps = { active?: boolean; payload?: ReadonlyArray<{ payload?: unknown }>; series: Series[]; format: (n: number) => string };

function ChartTooltip({ active, payload, series, format }: TooltipProps) {
  const row = payload?.[0]?.payload as ChartRow | undefined;
  if (!active || !row) return null;
  return (
    <div className="min-w-[10rem] rounded-lg border bg-popover px-3 py-2 text-xs text-popover-foreground shadow-md">
      <p className="mb-1.5 font-medium">
        Step {formatInteger(row.step)} · epoch {row.epoch}
      </p>
      <ul className="space-y-1">
        {series.map((s) => (
          <li key={s.key} className="flex items-center justify-between gap-3">
            <span className="flex items-center gap-1.5">
              <span aria-hidden="true" className="size-2 rounded-[2px]" style={{ background: s.color }} />
              {s.label}
            </span>
            <span className="font-mono tabular-nums">{row[s.key] === null ? "—" : format(row[s.key] as number)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
