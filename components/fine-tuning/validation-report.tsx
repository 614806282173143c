import { CircleAlert, CircleCheck, FileText } from "lucide-react";
import { formatUsd } from "@/components/usage/format";
import { cn } from "@/lib/utils";
import { formatInteger } from "./format";
import type { FileReport, ValidationReport } from "./types";

/**
 * The data checks of a job's files: examples and tokens per file, the problems by line
 * number, the hyperparameters "auto" resolved to, and what training is estimated to cost.
 */
export function ValidationReportView({
  report,
  autoKeys = [],
  className,
}: {
  report: ValidationReport;
  /** Hyperparameters left on "auto" (marked as chosen from the data). */
  autoKeys?: readonly string[];
  className?: string;
}) {
  const files = [
    { label: "Training file", report: report.training },
    ...(report.validation ? [{ label: "Validation file", report: report.validation }] : []),
  ];
  const problemTotal = report.training.problemCount + (report.validation?.problemCount ?? 0);
  const h = report.hyperparameters;
  return (
    <div className={cn("grid gap-4", className)} data-testid="ft-report" data-ok={report.ok ? "true" : "false"}>
      <div
        className={cn(
          "flex items-start gap-2.5 rounded-lg border px-3 py-2.5 text-sm",
          report.ok ? "border-success/30 bg-success/8 dark:bg-success/10" : "border-destructive/30 bg-destructive/8 dark:bg-destructive/10",
        )}
        data-testid="ft-report-status"
      >
        {report.ok ? (
          <CircleCheck className="mt-0.5 size-4 shrink-0 text-success" aria-hidden="true" />
        ) : (
          <CircleAlert className="mt-0.5 size-4 shrink-0 text-destructive" aria-hidden="true" />
        )}
        <div className="min-w-0">
          <p className="font-medium">
            {report.ok
              ? "The files are ready to train on"
              : problemTotal > 0
                ? `${formatInteger(problemTotal)} ${problemTotal === 1 ? "line has a problem" : "lines have problems"}: fix ${problemTotal === 1 ? "it" : "them"} and upload the file again`
                : "These files cannot be trained on"}
          </p>
          {!report.ok && report.error && problemTotal === 0 && <p className="mt-0.5 text-muted-foreground">{report.error.message}</p>}
        </div>
      </div>

      <div className="grid gap-3 sm:grid-cols-2">
        {files.map((f) => (
          <FileCard key={f.label} label={f.label} report={f.report} />
        ))}
      </div>

      {files.some((f) => f.report.problems.length > 0) && (
        <div className="grid gap-3">
          {files
            .filter((f) => f.report.problems.length > 0)
            .map((f) => (
              <ProblemList key={f.label} label={f.label} report={f.report} />
            ))}
        </div>
      )}

      <dl className="grid grid-cols-2 gap-x-6 gap-y-3 rounded-lg border bg-muted/30 px-4 py-3 text-sm sm:grid-cols-5">
        <Stat label="Epochs" value={formatInteger(h.n_epochs)} auto={autoKeys.includes("n_epochs")} testId="ft-report-epochs" />
        <Stat label="Batch size" value={formatInteger(h.batch_size)} auto={autoKeys.includes("batch_size")} testId="ft-report-batch-size" />
        <Stat label="LR multiplier" value={String(h.learning_rate_multiplier)} auto={autoKeys.includes("learning_rate_multiplier")} testId="ft-report-lr" />
        <Stat label="Est. trained tokens" value={formatInteger(report.estimatedTrainedTokens)} testId="ft-report-trained-tokens" />
        <Stat label="Est. cost" value={formatUsd(report.estimatedCostMicros)} testId="ft-report-cost" strong />
      </dl>
    </div>
  );
}

function Stat({ label, value, auto, strong, testId }: { label: string; value: string; auto?: boolean; strong?: boolean; testId: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-muted-foreground">
        {label}
        {auto && <span className="ml-1 text-[11px] text-muted-foreground/80">(auto)</span>}
      </dt>
      <dd className={cn("mt-0.5 tabular-nums", strong && "font-semibold")} data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

function FileCard({ label, report }: { label: string; report: FileReport }) {
  return (
    <div className="min-w-0 rounded-lg border px-4 py-3" data-testid="ft-report-file" data-file-id={report.fileId}>
      <p className="flex min-w-0 items-center gap-1.5 text-xs text-muted-foreground">
        <FileText className="size-3.5 shrink-0" aria-hidden="true" />
        {label}
      </p>
      <p className="mt-0.5 truncate text-sm font-medium" title={`${report.filename} (${report.fileId})`}>
        {report.filename}
      </p>
      <dl className="mt-2 grid grid-cols-3 gap-2 text-sm">
        <div>
          <dt className="text-xs text-muted-foreground">Examples</dt>
          <dd className="tabular-nums" data-testid="ft-report-examples">
            {formatInteger(report.examples)}
            <span className="text-xs text-muted-foreground"> / {formatInteger(report.lines)} lines</span>
          </dd>
        </div>
        <div>
          <dt className="text-xs text-muted-foreground">Tokens</dt>
          <dd className="tabular-nums" data-testid="ft-report-tokens" title={`${formatInteger(report.tokens.targets)} of them trained on (assistant replies)`}>
            {formatInteger(report.tokens.total)}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-muted-foreground">Per example</dt>
          <dd className="tabular-nums">{report.examples ? `${formatInteger(report.tokens.min)}–${formatInteger(report.tokens.max)}` : "—"}</dd>
        </div>
      </dl>
    </div>
  );
}

function ProblemList({ label, report }: { label: string; report: FileReport }) {
  const more = report.problemCount - report.problems.length;
  return (
    <div className="rounded-lg border border-destructive/30" data-testid="ft-report-problems">
      <p className="border-b border-destructive/20 bg-destructive/8 px-3 py-2 text-xs font-medium text-destructive dark:bg-destructive/10">
        {label}: {formatInteger(report.problemCount)} {report.problemCount === 1 ? "problem" : "problems"}
      </p>
      <ul className="max-h-64 divide-y overflow-y-auto text-sm">
        {report.problems.map((p) => (
          <li key={`${p.line}-${p.message}`} className="flex gap-3 px-3 py-1.5" data-testid="ft-report-problem" data-line={p.line}>
            <span className="w-16 shrink-0 font-mono text-xs leading-5 text-muted-foreground tabular-nums">line {p.line}</span>
            <span className="min-w-0 break-words">{p.message}</span>
          </li>
        ))}
        {more > 0 && <li className="px-3 py-1.5 text-xs text-muted-foreground">and {formatInteger(more)} more</li>}
      </ul>
    </div>
  );
}
