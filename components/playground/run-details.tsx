"use client";

import * as React from "react";
import Link from "next/link";
import { CircleAlert } from "lucide-react";
import { cn } from "@/lib/utils";
import { CopyButton } from "@/components/ui/copy-button";
import { formatCost, formatMs, formatSeconds, num, parseResetSeconds } from "./format";
import type { RunError, RunStats } from "./types";

/** The organization whose request log the request ids link to (null: shown as plain text). */
const RequestLogOrgContext = React.createContext<string | null>(null);

export function RequestLogOrg({ value, children }: { value: string | null; children: React.ReactNode }) {
  return <RequestLogOrgContext value={value}>{children}</RequestLogOrgContext>;
}

function RequestId({ id }: { id: string }) {
  const orgId = React.useContext(RequestLogOrgContext);
  return (
    <span className="inline-flex min-w-0 items-center gap-0.5">
      {orgId ? (
        // Usage is written within seconds; the request log says so if the link is followed sooner.
        <Link
          href={`/orgs/${encodeURIComponent(orgId)}/requests?id=${encodeURIComponent(id)}`}
          className="min-w-0 font-mono break-all underline decoration-muted-foreground/40 underline-offset-2 hover:text-foreground hover:decoration-foreground"
          data-testid="request-id"
          title="Open in the request log"
        >
          {id}
        </Link>
      ) : (
        <span className="min-w-0 font-mono break-all" data-testid="request-id" title="Request ID">
          {id}
        </span>
      )}
      <CopyButton value={id} label="Copy request ID" toastMessage="Request ID copied" className="size-6" data-testid="copy-request-id" />
    </span>
  );
}

const Sep = () => (
  <span aria-hidden="true" className="text-border">
    ·
  </span>
);

/** One line under an answer: tokens, latency, time to first token, cost, finish reason, request id. */
export function StatsLine({ stats, className }: { stats: RunStats; className?: string }) {
  return (
    <div
      className={cn("flex flex-wrap items-center gap-x-2 gap-y-0.5 text-xs text-muted-foreground tabular-nums", className)}
      data-testid="stats-line"
    >
      <span data-testid="stat-tokens" title="Prompt tokens / completion tokens">
        <span data-testid="stat-prompt-tokens">{stats.promptTokens === null ? "—" : num(stats.promptTokens)}</span> prompt ·{" "}
        <span data-testid="stat-completion-tokens">{stats.completionTokens === null ? "—" : num(stats.completionTokens)}</span> completion
        tokens
      </span>
      <Sep />
      <span data-testid="stat-latency" title="Total time from sending the request to the end of the answer">
        {formatMs(stats.latencyMs)}
      </span>
      <Sep />
      <span data-testid="stat-ttft" title="Time to first token">
        TTFT {formatMs(stats.ttftMs)}
      </span>
      <Sep />
      <span data-testid="stat-cost" title="From the model's prices per 1M tokens">
        {formatCost(stats.costNanos)}
      </span>
      <Sep />
      <span data-testid="stat-finish-reason">finish: {stats.finishReason ?? "—"}</span>
      {stats.requestId && (
        <>
          <Sep />
          <RequestId id={stats.requestId} />
        </>
      )}
    </div>
  );
}

function resetText(error: RunError): string | null {
  // retry-after says when to try again; otherwise the reset of the limit that was hit.
  const specific = error.type === "tokens" ? error.resetTokens : error.type === "requests" ? error.resetRequests : null;
  let seconds = parseResetSeconds(error.retryAfter, error.at) ?? parseResetSeconds(specific, error.at);
  if (seconds === null) {
    const both = [error.resetRequests, error.resetTokens].map((v) => parseResetSeconds(v, error.at)).filter((v): v is number => v !== null);
    seconds = both.length ? Math.max(...both) : null;
  }
  if (seconds === null) return null;
  const at = new Date(error.at + seconds * 1000).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  return `Try again in ${formatSeconds(seconds)} (at ${at}).`;
}

/** A failed run, said plainly: status, type/code, message, and for 429s when to try again. */
export function RunErrorBox({ error, requestId }: { error: RunError; requestId: string | null }) {
  const headline = [error.status === null ? "Network error" : `Error ${error.status}`, error.type, error.code && error.code !== error.type ? error.code : null]
    .filter(Boolean)
    .join(" · ");
  const reset = error.status === 429 ? resetText(error) : null;
  const headers = [
    error.retryAfter ? `retry-after: ${error.retryAfter}` : null,
    error.resetRequests ? `x-ratelimit-reset-requests: ${error.resetRequests}` : null,
    error.resetTokens ? `x-ratelimit-reset-tokens: ${error.resetTokens}` : null,
  ].filter(Boolean);
  return (
    <div
      role="alert"
      className="grid grid-cols-1 gap-1 rounded-md border border-destructive/30 bg-destructive/10 px-3 py-2 text-sm text-destructive"
      data-testid="run-error"
      data-status={error.status ?? undefined}
    >
      <p className="flex items-center gap-2 font-medium" data-testid="run-error-title">
        <CircleAlert className="size-4 shrink-0" aria-hidden="true" />
        {headline}
      </p>
      <p className="break-words text-foreground" data-testid="run-error-message">
        {error.message}
      </p>
      {error.param && <p className="text-xs text-muted-foreground">Parameter: <span className="font-mono">{error.param}</span></p>}
      {error.status === 429 && (
        <p className="text-xs text-foreground" data-testid="run-error-reset">
          {reset ?? "Wait a moment before trying again."}
          {headers.length > 0 && <span className="ml-1 font-mono text-muted-foreground">({headers.join(", ")})</span>}
        </p>
      )}
      {requestId && (
        <p className="flex items-center gap-1 text-xs text-muted-foreground">
          Request ID <RequestId id={requestId} />
        </p>
      )}
    </div>
  );
}
