"use client";

import * as React from "react";
import Link from "next/link";
import { CircleAlert, Download, FlaskConical, Info, OctagonX, TriangleAlert, WifiOff } from "lucide-react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { FormAction } from "@/components/ui/use-form-action";
import { cn } from "@/lib/utils";
import {
  fileContentHref,
  formatBytes,
  formatDateTime,
  formatDuration,
  formatInteger,
  formatMetric,
  formatPercent,
  formatTime,
  isActiveStatus,
  isoOf,
  jobDuration,
  playgroundHref,
} from "./format";
import { FT_PALETTE, MetricsCharts } from "./metrics-charts";
import { ModelName } from "./model-name";
import { chartRows, mergeMetrics } from "./prepare";
import { ProgressBar } from "./progress-bar";
import { JobStatusBadge } from "./status-badge";
import type { CheckpointRow, EventRow, JobDetail, JobSnapshot, MetricPoint } from "./types";
import { useNow } from "./use-now";
import { ValidationReportView } from "./validation-report";

/** How often an active job is fetched again. */
const POLL_MS = 2_000;
const RETRY_MS = 5_000;

type Live = { job: JobDetail; events: EventRow[]; eventsTruncated: boolean; checkpoints: CheckpointRow[]; metrics: MetricPoint[]; cursor: string };

const fromSnapshot = (s: JobSnapshot, metrics: MetricPoint[]): Live => ({
  job: s.job,
  events: s.events,
  eventsTruncated: s.eventsTruncated,
  checkpoints: s.checkpoints,
  metrics,
  cursor: s.metricsCursor,
});

/**
 * Follows one job: while it is active the page asks the job route every couple of seconds for
 * its state and the metric points written since the last answer. Once it finished, one more
 * answer picks up the last messages the worker writes after the final status, then it stops.
 */
function useLiveJob(projectId: string, initial: JobSnapshot) {
  const [live, setLive] = React.useState<Live>(() => fromSnapshot(initial, initial.metrics));
  const [offline, setOffline] = React.useState(false);
  const [kick, setKick] = React.useState(0);
  const cursorRef = React.useRef(initial.metricsCursor);
  const jobId = initial.job.id;
  const startActive = isActiveStatus(initial.job.status);
  const startMore = initial.metricsMore;

  React.useEffect(() => {
    if (kick === 0 && !startActive && !startMore) return;
    let stopped = false;
    let settle = 1;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const url = `/api/projects/${encodeURIComponent(projectId)}/fine-tuning/jobs/${encodeURIComponent(jobId)}`;
    const tick = async () => {
      if (stopped) return;
      let s: JobSnapshot;
      try {
        const res = await fetch(`${url}?metrics_after=${encodeURIComponent(cursorRef.current)}`, { cache: "no-store" });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        s = (await res.json()) as JobSnapshot;
      } catch {
        if (stopped) return;
        setOffline(true);
        timer = setTimeout(tick, RETRY_MS);
        return;
      }
      if (stopped) return;
      cursorRef.current = s.metricsCursor;
      setLive((prev) => fromSnapshot(s, mergeMetrics(prev.metrics, s.metrics)));
      setOffline(false);
      if (s.metricsMore) timer = setTimeout(tick, 0); // a long job's points, page after page
      else if (isActiveStatus(s.job.status)) timer = setTimeout(tick, POLL_MS);
      else if (settle-- > 0) timer = setTimeout(tick, POLL_MS);
    };
    timer = setTimeout(tick, kick > 0 || startMore ? 0 : POLL_MS);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [kick, projectId, jobId, startActive, startMore]);

  return { live, offline, refresh: () => setKick((k) => k + 1) };
}

export function JobDetailView({
  projectId,
  initial,
  canManage,
  manageNote,
  cancelAction,
}: {
  projectId: string;
  initial: JobSnapshot;
  canManage: boolean;
  manageNote: string | null;
  cancelAction: FormAction;
}) {
  const { live, offline, refresh } = useLiveJob(projectId, initial);
  const { job, metrics, checkpoints, events } = live;
  const active = isActiveStatus(job.status);
  const now = useNow(active);
  const rows = React.useMemo(() => chartRows(metrics), [metrics]);
  const [confirmOpen, setConfirmOpen] = React.useState(false);
  const totalSteps = job.progress?.totalSteps ?? metrics.at(-1)?.totalSteps ?? null;

  return (
    <div className={cn("grid gap-6", FT_PALETTE)} data-testid="ft-job" data-job-id={job.id} data-status={job.status}>
      <header className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0 space-y-2">
          <div className="flex flex-wrap items-center gap-2.5">
            <h1 className="font-mono text-lg font-semibold tracking-tight break-all sm:text-xl">{job.id}</h1>
            <JobStatusBadge status={job.status} />
            {offline && active && (
              <span className="inline-flex items-center gap-1 text-xs text-muted-foreground" data-testid="ft-offline">
                <WifiOff className="size-3.5" aria-hidden="true" />
                Live updates paused, retrying…
              </span>
            )}
          </div>
          <p className="text-sm text-muted-foreground">
            Fine-tuning <span className="font-mono text-foreground">{job.model}</span>
            {job.suffix && (
              <>
                {" "}
                with suffix <span className="font-mono text-foreground">{job.suffix}</span>
              </>
            )}
            , created {formatDateTime(job.createdAt)}
          </p>
        </div>
        <div className="flex shrink-0 flex-wrap items-center gap-2">
          {job.fineTunedModel && job.fineTunedModelAvailable && (
            <Button variant="outline" asChild data-testid="ft-try-model">
              <Link href={playgroundHref(projectId, job.fineTunedModel)}>
                <FlaskConical aria-hidden="true" />
                Try in playground
              </Link>
            </Button>
          )}
          {canManage ? (
            <Button
              variant="outline"
              className="text-destructive hover:text-destructive"
              disabled={!active}
              title={active ? undefined : "Only jobs that have not finished can be cancelled"}
              onClick={() => setConfirmOpen(true)}
              data-testid="ft-cancel"
            >
              <OctagonX aria-hidden="true" />
              Cancel job
            </Button>
          ) : (
            active && <p className="text-xs text-muted-foreground">{manageNote}</p>
          )}
        </div>
      </header>

      <Overview job={job} now={now} />

      {active && <ProgressPanel job={job} now={now} />}
      {job.status === "failed" && job.error && <ErrorBox message={job.error.message} code={job.error.code} />}

      {/* A job that stopped before training (failed checks, cancelled early) has nothing to chart. */}
      {(active || metrics.length > 0 || checkpoints.length > 0) && (
        <>
          <Section title="Training metrics" description="Every point is a training step the trainer reported.">
            <MetricsCharts rows={rows} totalSteps={totalSteps} live={active} />
          </Section>

          <Section
            title="Checkpoints"
            description="A model saved at the end of each epoch. Each one can be called like any model of this project."
            count={checkpoints.length}
          >
            <CheckpointsTable projectId={projectId} checkpoints={checkpoints} active={active} />
          </Section>
        </>
      )}

      <div className="grid gap-6 lg:grid-cols-2">
        <Section title="Hyperparameters">
          <Hyperparameters job={job} />
        </Section>
        <Section title="Result files" description="The metrics of every step, as CSV.">
          <ResultFiles projectId={projectId} job={job} />
        </Section>
      </div>

      {job.validationReport && (
        <Section title="Validation report" description="What the files held when the job checked them.">
          <ValidationReportView report={job.validationReport} />
        </Section>
      )}

      <Section title="Events" description={live.eventsTruncated ? "The latest messages, newest first." : "Newest first."} count={events.length}>
        <EventLog events={events} />
      </Section>

      {canManage && (
        <ConfirmDialog
          open={confirmOpen}
          onOpenChange={setConfirmOpen}
          title="Cancel this fine-tuning job?"
          description={
            <>
              Training stops within a few seconds and the job cannot be resumed. Checkpoints saved so far stay usable; you are charged only
              for a job that completes.
            </>
          }
          confirmLabel="Cancel job"
          pendingLabel="Cancelling…"
          action={cancelAction}
          fields={{ projectId, jobId: job.id }}
          confirmTestId="ft-cancel-confirm"
          onSuccess={refresh}
        />
      )}
    </div>
  );
}

// ---- sections ----

function Section({ title, description, count, children }: { title: string; description?: string; count?: number; children: React.ReactNode }) {
  return (
    <section className="grid min-w-0 content-start gap-3" aria-label={title}>
      <div className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5">
        <h2 className="text-base font-semibold tracking-tight">{title}</h2>
        {count !== undefined && <span className="text-sm text-muted-foreground tabular-nums">{formatInteger(count)}</span>}
        {description && <p className="w-full text-sm text-muted-foreground">{description}</p>}
      </div>
      {children}
    </section>
  );
}

function Overview({ job, now }: { job: JobDetail; now: number | null }) {
  const duration = jobDuration(job, now);
  const items: { label: string; value: React.ReactNode; testId?: string; wide?: boolean }[] = [
    {
      label: "Fine-tuned model",
      wide: true,
      testId: "ft-fine-tuned-model",
      value: job.fineTunedModel ? (
        <span className="flex min-w-0 items-center gap-1">
          <ModelName id={job.fineTunedModel} testId="ft-model-name" />
          {!job.fineTunedModelAvailable && <span className="text-xs text-muted-foreground">(deleted)</span>}
        </span>
      ) : (
        <span className="text-muted-foreground">{isActiveStatus(job.status) ? "Published when the job succeeds" : "—"}</span>
      ),
    },
    { label: "Base model", value: <ModelName id={job.model} /> },
    { label: "Created", value: <TimeValue ms={job.createdAt} /> },
    { label: "Started", value: <TimeValue ms={job.startedAt} /> },
    { label: "Finished", value: <TimeValue ms={job.finishedAt} /> },
    { label: "Duration", value: <span className="tabular-nums">{formatDuration(duration)}</span>, testId: "ft-duration" },
    { label: "Trained tokens", value: <span className="tabular-nums">{formatInteger(job.trainedTokens)}</span>, testId: "ft-trained-tokens" },
    { label: "Training file", value: <code className="font-mono text-xs">{job.trainingFile}</code> },
    { label: "Validation file", value: job.validationFile ? <code className="font-mono text-xs">{job.validationFile}</code> : <span className="text-muted-foreground">None</span> },
    { label: "Seed", value: <span className="tabular-nums">{job.seed}</span> },
  ];
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-4 rounded-xl border bg-card p-5 shadow-xs sm:grid-cols-2 lg:grid-cols-4" data-testid="ft-overview">
      {items.map((i) => (
        <div key={i.label} className={cn("min-w-0", i.wide && "sm:col-span-2")}>
          <dt className="text-xs text-muted-foreground">{i.label}</dt>
          <dd className="mt-1 min-w-0 truncate text-sm" data-testid={i.testId}>
            {i.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function TimeValue({ ms }: { ms: number | null }) {
  if (ms === null) return <span className="text-muted-foreground">—</span>;
  return <time dateTime={isoOf(ms)}>{formatDateTime(ms)}</time>;
}

function ProgressPanel({ job, now }: { job: JobDetail; now: number | null }) {
  const p = job.progress;
  const eta = job.estimatedFinish !== null && now !== null ? Math.max(0, job.estimatedFinish - now) : null;
  const waiting =
    job.status === "validating_files"
      ? "Checking the files: every line is parsed and tokenized."
      : job.status === "queued"
        ? "Waiting for the trainer: jobs run one after another."
        : p
          ? null
          : "Starting training…";
  return (
    <div className="grid gap-3 rounded-xl border bg-card p-5 shadow-xs" data-testid="ft-progress">
      {waiting ? (
        <p className="text-sm text-muted-foreground">{waiting}</p>
      ) : (
        p && (
          <>
            <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
              <span className="font-medium tabular-nums" data-testid="ft-progress-steps">
                Step {formatInteger(p.step)} of {formatInteger(p.totalSteps)}
              </span>
              <span className="text-muted-foreground tabular-nums">{formatPercent(p.totalSteps ? p.step / p.totalSteps : 0)}</span>
            </div>
            <ProgressBar value={p.totalSteps ? p.step / p.totalSteps : 0} label="Training progress" barClassName="bg-[var(--ft-train)]" testId="ft-progress-bar" />
            <dl className="grid grid-cols-3 gap-4 text-sm">
              <div>
                <dt className="text-xs text-muted-foreground">Epoch</dt>
                <dd className="tabular-nums" data-testid="ft-progress-epoch">
                  {p.epoch} of {p.epochs || "—"}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-muted-foreground">Elapsed</dt>
                <dd className="tabular-nums">{formatDuration(p.elapsedMs)}</dd>
              </div>
              <div>
                <dt className="text-xs text-muted-foreground">Time left</dt>
                <dd className="tabular-nums" data-testid="ft-progress-eta" title={job.estimatedFinish ? `Estimated finish ${formatDateTime(job.estimatedFinish)}` : undefined}>
                  {eta === null ? "—" : `about ${formatDuration(eta)}`}
                </dd>
              </div>
            </dl>
          </>
        )
      )}
    </div>
  );
}

/** A failure's message; data problems ("…: line 2: …; line 5: …") one per line. */
function ErrorBox({ message, code }: { message: string; code: string }) {
  const parts = message.split(/(?:;|:)\s+(?=line \d+:)/);
  const [lead, ...lines] = parts;
  const last = lines.length ? lines[lines.length - 1].split(/;\s+(?=and \d+ more)/) : [];
  const items = lines.length ? [...lines.slice(0, -1), ...last] : [];
  return (
    <div role="alert" className="rounded-xl border border-destructive/30 bg-destructive/8 p-4 text-sm dark:bg-destructive/10" data-testid="ft-error">
      <p className="flex items-start gap-2 font-medium text-destructive">
        <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
        <span>
          The job failed <span className="font-mono text-xs font-normal">({code})</span>
        </span>
      </p>
      <p className="mt-2 pl-6">{items.length ? `${lead}:` : message}</p>
      {items.length > 0 && (
        <ul className="mt-2 space-y-1 pl-6">
          {items.map((l, i) => (
            <li key={i} className="font-mono text-xs break-words" data-testid="ft-error-line">
              {l.replace(/\.$/, "")}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function CheckpointsTable({ projectId, checkpoints, active }: { projectId: string; checkpoints: CheckpointRow[]; active: boolean }) {
  if (!checkpoints.length) {
    return (
      <p className="rounded-xl border border-dashed px-4 py-6 text-center text-sm text-muted-foreground" data-testid="ft-checkpoints-empty">
        {active ? "The first checkpoint is saved at the end of the first epoch." : "No checkpoints were saved."}
      </p>
    );
  }
  const m = (c: CheckpointRow, k: string) => (typeof c.metrics[k] === "number" ? (c.metrics[k] as number) : null);
  return (
    <div className="overflow-hidden rounded-xl border bg-card">
      <Table data-testid="ft-checkpoints">
        <TableHeader className="bg-muted/40">
          <TableRow className="hover:bg-transparent">
            <TableHead className="pl-4">Step</TableHead>
            <TableHead>Model</TableHead>
            <TableHead className="text-right">Train loss</TableHead>
            <TableHead className="text-right">Valid loss</TableHead>
            <TableHead className="text-right">Train acc.</TableHead>
            <TableHead className="text-right">Valid acc.</TableHead>
            <TableHead className="pr-4 text-right">
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {checkpoints.map((c) => (
            <TableRow key={c.id} data-testid="ft-checkpoint-row" data-step={c.step}>
              <TableCell className="pl-4 tabular-nums">
                <time dateTime={isoOf(c.createdAt)} title={`Saved ${formatDateTime(c.createdAt)}`} className="flex flex-col leading-tight">
                  <span>{formatInteger(c.step)}</span>
                  <span className="text-xs text-muted-foreground">epoch {c.epoch}</span>
                </time>
              </TableCell>
              <TableCell className="max-w-[24rem]">
                <ModelName id={c.modelId} />
              </TableCell>
              <TableCell className="text-right font-mono text-xs tabular-nums">{formatMetric(m(c, "train_loss"))}</TableCell>
              <TableCell className="text-right font-mono text-xs tabular-nums">{formatMetric(m(c, "valid_loss"))}</TableCell>
              <TableCell className="text-right tabular-nums">{formatPercent(m(c, "train_mean_token_accuracy"))}</TableCell>
              <TableCell className="text-right tabular-nums">{formatPercent(m(c, "valid_mean_token_accuracy"))}</TableCell>
              <TableCell className="pr-4 text-right">
                {c.available ? (
                  <Button variant="ghost" size="sm" asChild>
                    <Link href={playgroundHref(projectId, c.modelId)} data-testid="ft-checkpoint-try">
                      <FlaskConical aria-hidden="true" />
                      Try in playground
                    </Link>
                  </Button>
                ) : (
                  <span className="text-xs text-muted-foreground">Deleted</span>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

function Hyperparameters({ job }: { job: JobDetail }) {
  const rows = [
    { key: "n_epochs", label: "Epochs" },
    { key: "batch_size", label: "Batch size" },
    { key: "learning_rate_multiplier", label: "Learning rate multiplier" },
  ] as const;
  return (
    <dl className="divide-y rounded-xl border bg-card text-sm" data-testid="ft-hyperparameters">
      {rows.map((r) => {
        const requested = job.hyperparameters?.[r.key] ?? "auto";
        const resolved = job.resolvedHyperparameters?.[r.key];
        return (
          <div key={r.key} className="flex items-center justify-between gap-4 px-4 py-2.5" data-testid={`ft-hyper-${r.key}`}>
            <dt className="text-muted-foreground">{r.label}</dt>
            <dd className="tabular-nums">
              {resolved ?? requested}
              {requested === "auto" && resolved !== undefined && <span className="ml-1.5 text-xs text-muted-foreground">(auto)</span>}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

function ResultFiles({ projectId, job }: { projectId: string; job: JobDetail }) {
  if (!job.resultFiles.length) {
    return (
      <p className="rounded-xl border border-dashed px-4 py-6 text-center text-sm text-muted-foreground" data-testid="ft-result-files-empty">
        {isActiveStatus(job.status) ? "Written when the job succeeds." : "This job has no result files."}
      </p>
    );
  }
  return (
    <ul className="divide-y rounded-xl border bg-card text-sm" data-testid="ft-result-files">
      {job.resultFiles.map((f) => (
        <li key={f.id} className="flex items-center justify-between gap-3 px-4 py-2.5">
          <div className="min-w-0">
            <p className="truncate font-medium">{f.filename ?? f.id}</p>
            <p className="truncate font-mono text-xs text-muted-foreground">
              {f.id}
              {f.bytes !== null && ` · ${formatBytes(f.bytes)}`}
            </p>
          </div>
          {f.filename ? (
            <Button variant="outline" size="sm" asChild>
              <a href={fileContentHref(projectId, f.id)} download={f.filename} data-testid="ft-result-download">
                <Download aria-hidden="true" />
                Download
              </a>
            </Button>
          ) : (
            <span className="text-xs text-muted-foreground">Deleted</span>
          )}
        </li>
      ))}
    </ul>
  );
}

const LEVEL = {
  info: { icon: Info, className: "text-muted-foreground", row: "" },
  warn: { icon: TriangleAlert, className: "text-[oklch(0.55_0.13_65)] dark:text-warning", row: "bg-warning/8" },
  error: { icon: CircleAlert, className: "text-destructive", row: "bg-destructive/8 dark:bg-destructive/10" },
} as const;

function EventLog({ events }: { events: EventRow[] }) {
  if (!events.length) return <p className="text-sm text-muted-foreground">No events yet.</p>;
  return (
    <ol className="max-h-[28rem] divide-y overflow-y-auto rounded-xl border bg-card text-sm" data-testid="ft-events">
      {events.map((e) => {
        const l = LEVEL[e.level] ?? LEVEL.info;
        const Icon = l.icon;
        return (
          <li key={e.id} className={cn("flex items-start gap-3 px-4 py-2", l.row)} data-testid="ft-event" data-level={e.level}>
            <time dateTime={isoOf(e.createdAt)} title={formatDateTime(e.createdAt)} className="w-16 shrink-0 pt-px font-mono text-xs text-muted-foreground tabular-nums">
              {formatTime(e.createdAt)}
            </time>
            <Icon className={cn("mt-0.5 size-4 shrink-0", l.className)} aria-label={e.level} />
            <span className={cn("min-w-0 break-words", e.level === "error" && "text-destructive")}>{e.message}</span>
          </li>
        );
      })}
    </ol>
  );
}
