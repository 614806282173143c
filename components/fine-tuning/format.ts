import type { JobStatus } from "./types";

// Formatting for the fine-tuning pages. Fixed locale and UTC, so the server's HTML and the
// browser's first render agree whatever the viewer's time zone.

const dateTime = new Intl.DateTimeFormat("en-US", {
  timeZone: "UTC",
  month: "short",
  day: "numeric",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const time = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
const integer = new Intl.NumberFormat("en-US");

/** "Jan 5, 2026, 14:03 UTC" */
export function formatDateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  return `${dateTime.format(new Date(ms))} UTC`;
}

/** "14:03:27" (UTC), for the event log. */
export function formatTime(ms: number): string {
  return time.format(new Date(ms));
}

export const isoOf = (ms: number) => new Date(ms).toISOString();

/** 950 → "0.9s", 65_000 → "1m 5s", 7_380_000 → "2h 3m". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

export function formatInteger(n: number | null | undefined): string {
  return n === null || n === undefined ? "—" : integer.format(n);
}

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return "—";
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** Losses and accuracies as the API reports them, to 4 places. */
export function formatMetric(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? "—" : n.toFixed(4);
}

export function formatPercent(share: number | null | undefined): string {
  return share === null || share === undefined || !Number.isFinite(share) ? "—" : `${(share * 100).toFixed(1)}%`;
}

export const ACTIVE: readonly JobStatus[] = ["validating_files", "queued", "running"];
export const isActiveStatus = (s: JobStatus) => ACTIVE.includes(s);

export const STATUS_LABEL: Record<JobStatus, string> = {
  validating_files: "Validating files",
  queued: "Queued",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  cancelled: "Cancelled",
};

/** How long a job trained (or has been at it so far). */
export function jobDuration(j: { createdAt: number; startedAt: number | null; finishedAt: number | null }, now: number | null): number | null {
  const start = j.startedAt ?? j.createdAt;
  if (j.finishedAt !== null) return j.finishedAt - start;
  return now === null ? null : Math.max(0, now - start);
}

export const playgroundHref = (projectId: string, model: string) =>
  `/projects/${encodeURIComponent(projectId)}/playground?model=${encodeURIComponent(model)}`;

export const fileContentHref = (projectId: string, fileId: string) =>
  `/api/projects/${encodeURIComponent(projectId)}/files/${encodeURIComponent(fileId)}/content`;

export const jobHref = (projectId: string, jobId: string) => `/projects/${encodeURIComponent(projectId)}/fine-tuning/${encodeURIComponent(jobId)}`;
