"use client";

import * as React from "react";
import Link from "next/link";
import { DatabaseZap, ExternalLink, FileX, SearchX, Terminal } from "lucide-react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Skeleton } from "@/components/ui/skeleton";
import { cn } from "@/lib/utils";
import { formatCount, formatLatency, formatMicros, formatPico, formatPricePerM } from "@/lib/requests/format";
import type { RateLimitWindow, RequestDetail, StoredJson } from "@/lib/requests/types";
import { StatusBadge } from "./status-badge";

// The body of the request drawer: everything recorded about one request, its cost at today's
// prices, the rate-limit state the response reported, and the stored request and response.

const ENDPOINT_LABELS: Record<string, string> = {
  "chat.completions": "POST /v1/chat/completions",
  embeddings: "POST /v1/embeddings",
  "models.list": "GET /v1/models",
  "models.retrieve": "GET /v1/models/{model}",
  "models.delete": "DELETE /v1/models/{model}",
};

function Section({ title, children, actions, testId }: { title: string; children: React.ReactNode; actions?: React.ReactNode; testId?: string }) {
  return (
    <section className="grid gap-3 border-t px-5 py-5 first:border-t-0" data-testid={testId}>
      <div className="flex min-h-8 items-center justify-between gap-2">
        <h3 className="text-xs font-semibold tracking-wider text-muted-foreground uppercase">{title}</h3>
        {actions}
      </div>
      {children}
    </section>
  );
}

function Field({ label, children, mono, testId }: { label: string; children: React.ReactNode; mono?: boolean; testId?: string }) {
  return (
    <div className="grid min-w-0 grid-cols-[6rem_minmax(0,1fr)] items-baseline gap-3 py-1.5 text-sm sm:grid-cols-[8.5rem_minmax(0,1fr)]">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className={cn("min-w-0 break-words", mono && "font-mono text-[13px]")} data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

const Muted = ({ children }: { children: React.ReactNode }) => <span className="text-muted-foreground">{children}</span>;

/** A stored JSON document, scrollable, with a copy button. */
function JsonBlock({ json, label, testId }: { json: StoredJson; label: string; testId: string }) {
  return (
    <div className="grid min-w-0 gap-2">
      <div className="relative min-w-0 rounded-lg border bg-muted/40">
        <CopyButton
          value={json.text}
          label={`Copy ${label}`}
          toastMessage={`${label[0].toUpperCase()}${label.slice(1)} copied`}
          className="absolute top-1.5 right-1.5 size-7 bg-background/80 backdrop-blur-sm"
          data-testid={`${testId}-copy`}
        />
        <pre className="max-h-96 overflow-auto p-3 pr-10 font-mono text-xs leading-relaxed whitespace-pre" tabIndex={0} aria-label={label} data-testid={testId}>
          {json.text}
        </pre>
      </div>
      {json.truncated && (
        <p className="text-xs text-muted-foreground">
          Showing the first {formatCount(json.text.length)} of {formatCount(json.size)} characters. Copy takes the part shown.
        </p>
      )}
    </div>
  );
}

function NotStored({ icon: Icon, title, children, testId }: { icon: typeof FileX; title: string; children: React.ReactNode; testId: string }) {
  return (
    <div className="flex gap-3 rounded-lg border border-dashed px-4 py-3.5 text-sm" data-testid={testId}>
      <Icon className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
      <div className="grid gap-1">
        <p className="font-medium">{title}</p>
        <div className="text-muted-foreground">{children}</div>
      </div>
    </div>
  );
}

/** Counts as sent ("199940" → "199,940"); anything else as it is. */
const count = (v: string | null) => (v === null ? "—" : /^\d+$/.test(v) ? formatCount(Number(v)) : v);

function RateWindow({ name, w }: { name: string; w: RateLimitWindow }) {
  const limit = w.limit === null ? null : Number(w.limit);
  const remaining = w.remaining === null ? null : Number(w.remaining);
  const share = limit && remaining !== null && Number.isFinite(limit) && Number.isFinite(remaining) ? Math.max(0, Math.min(1, remaining / limit)) : null;
  return (
    <div className="grid gap-1.5 rounded-lg border px-3.5 py-3" data-testid={`rate-limit-${name.toLowerCase()}`}>
      <div className="flex items-baseline justify-between gap-2 text-sm">
        <span className="font-medium">{name} per minute</span>
        <span className="tabular-nums">
          {count(w.remaining)}
          <Muted> of {count(w.limit)} left</Muted>
        </span>
      </div>
      {share !== null && (
        <div className="h-1.5 overflow-hidden rounded-full bg-muted" aria-hidden="true">
          <div className={cn("h-full rounded-full", share < 0.1 ? "bg-destructive" : share < 0.3 ? "bg-warning" : "bg-success")} style={{ width: `${share * 100}%` }} />
        </div>
      )}
      {w.reset && <p className="text-xs text-muted-foreground">Back to full in {w.reset}</p>}
    </div>
  );
}

export function RequestDetailBody({ detail, settingsHref }: { detail: RequestDetail; settingsHref: string }) {
  const d = detail;
  const cost = d.cost;
  const totalTokens = d.promptTokens + d.completionTokens;
  return (
    <div className="grid" data-testid="request-detail" data-request-id={d.requestId}>
      <div className="flex flex-wrap items-center gap-2 px-5 pb-4">
        {d.playgroundHref ? (
          <Button asChild size="sm" data-testid="open-in-playground">
            <Link href={d.playgroundHref}>
              <Terminal aria-hidden="true" />
              Open in playground
            </Link>
          </Button>
        ) : null}
        <CopyButton value={d.requestId} label="Copy request ID" showLabel variant="outline" toastMessage="Request ID copied" data-testid="copy-request-id" />
      </div>

      <Section title="Overview" testId="request-overview">
        <dl className="grid">
          <Field label="Time" testId="detail-time">
            <span title={d.createdAt}>{d.timeLocal.replace("T", " ")}</span>
          </Field>
          <Field label="Status" testId="detail-status">
            <span className="inline-flex flex-wrap items-center gap-2">
              <StatusBadge status={d.status} errorCode={d.errorCode} cancelled={d.cancelled} />
              {d.cancelled && <Muted>cancelled by the client</Muted>}
            </span>
          </Field>
          <Field label="Project" testId="detail-project">
            {d.projectExists ? <span>{d.projectName}</span> : <Muted>Deleted project</Muted>}
          </Field>
          <Field label="API key" testId="detail-key">
            {d.apiKeyId === null ? (
              <span>
                Playground <Muted>· console</Muted>
              </span>
            ) : (
              <span>
                {d.keyName}
                {d.keyDetail && <span className="ml-1.5 font-mono text-xs text-muted-foreground">{d.keyDetail}</span>}
              </span>
            )}
          </Field>
          <Field label="User" testId="detail-user">
            {d.userLabel ? (
              <span>
                {d.userLabel}
                {d.userDetail && <Muted> · {d.userDetail}</Muted>}
              </span>
            ) : (
              <Muted>None (service account)</Muted>
            )}
          </Field>
          <Field label="Endpoint" mono testId="detail-endpoint">
            {ENDPOINT_LABELS[d.endpoint] ?? d.endpoint}
          </Field>
          <Field label="Model" mono testId="detail-model">
            {d.model || <Muted>None (failed before a model was chosen)</Muted>}
            {d.provider && <span className="ml-1.5 font-sans text-xs text-muted-foreground">via {d.provider}</span>}
          </Field>
          <Field label="Latency" testId="detail-latency">
            <span className="tabular-nums">{formatLatency(d.latencyMs)}</span>
            {d.ttftMs !== null && <Muted> · first token after {formatLatency(d.ttftMs)}</Muted>}
          </Field>
          <Field label="Streamed" testId="detail-streamed">
            {d.streamed ? "Yes" : "No"}
          </Field>
        </dl>
      </Section>

      <Section title="Tokens and cost" testId="request-cost">
        <div className="overflow-x-auto rounded-lg border">
          <table className="w-full text-sm whitespace-nowrap">
            <thead>
              <tr className="border-b text-xs text-muted-foreground">
                <th className="px-3 py-2 text-left font-medium"> </th>
                <th className="px-3 py-2 text-right font-medium">Tokens</th>
                <th className="hidden px-3 py-2 text-right font-medium sm:table-cell">Price today</th>
                <th className="px-3 py-2 text-right font-medium">Amount</th>
              </tr>
            </thead>
            <tbody className="tabular-nums">
              {cost.lines.map((l) => (
                <tr key={l.label} className="border-b last:border-0" data-testid="cost-line">
                  <td className="px-3 py-2">
                    {l.label}
                    <span className="block text-xs text-muted-foreground sm:hidden">{formatPricePerM(l.priceMicros)}</span>
                  </td>
                  <td className="px-3 py-2 text-right">{formatCount(l.tokens)}</td>
                  <td className="hidden px-3 py-2 text-right text-muted-foreground sm:table-cell">{formatPricePerM(l.priceMicros)}</td>
                  <td className="px-3 py-2 text-right">{l.amountPico === null ? "—" : formatPico(l.amountPico)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot className="border-t bg-muted/40 tabular-nums">
              <tr>
                <td className="px-3 py-2 font-medium">At today&apos;s prices</td>
                <td className="px-3 py-2 text-right text-muted-foreground">{formatCount(totalTokens)}</td>
                <td className="hidden px-3 py-2 sm:table-cell" />
                <td className="px-3 py-2 text-right font-medium" data-testid="cost-today">
                  {cost.todayMicros === null ? "—" : formatMicros(cost.todayMicros)}
                </td>
              </tr>
              <tr className="border-t">
                <td className="px-3 py-2 font-medium">Recorded</td>
                <td className="px-3 py-2" />
                <td className="hidden px-3 py-2 sm:table-cell" />
                <td className="px-3 py-2 text-right font-semibold" data-testid="cost-recorded">
                  {formatMicros(cost.recordedMicros)}
                </td>
              </tr>
            </tfoot>
          </table>
        </div>
        {!cost.modelKnown ? (
          <p className="text-xs text-muted-foreground" data-testid="cost-note">
            {d.model ? `${d.model} is no longer in the model catalog, so there are no prices to compare with.` : "No model was chosen, so nothing was billed."} The recorded cost is
            what was billed.
          </p>
        ) : cost.differs ? (
          <p className="rounded-md border border-warning/40 bg-warning/10 px-3 py-2 text-xs" data-testid="cost-note">
            The model&apos;s prices changed since this request: it was billed {formatMicros(cost.recordedMicros)}, and would cost{" "}
            {formatMicros(cost.todayMicros!)} today.
          </p>
        ) : cost.todayMicros === null ? (
          <p className="text-xs text-muted-foreground" data-testid="cost-note">
            The model has no price for some of these tokens today.
          </p>
        ) : (
          <p className="text-xs text-muted-foreground">Prices are per 1M tokens. A request is rounded to whole micro-dollars once, as billed.</p>
        )}
      </Section>

      <Section title="Rate limits" testId="request-rate-limits">
        {d.rateLimit ? (
          <div className="grid gap-2 sm:grid-cols-2">
            {d.rateLimit.requests && <RateWindow name="Requests" w={d.rateLimit.requests} />}
            {d.rateLimit.tokens && <RateWindow name="Tokens" w={d.rateLimit.tokens} />}
            {d.rateLimit.retryAfter && (
              <p className="text-sm sm:col-span-2">
                <Muted>The response asked to retry after</Muted> <span className="font-mono text-[13px]">{d.rateLimit.retryAfter}</span>
                {/^\d+$/.test(d.rateLimit.retryAfter) && <Muted> seconds</Muted>}
              </p>
            )}
          </div>
        ) : (
          <p className="text-sm text-muted-foreground" data-testid="rate-limits-unknown">
            {d.bodies?.headers
              ? "The response reported no rate limits (none applied to this request)."
              : "Known only from stored response headers, and this request has none."}
          </p>
        )}
      </Section>

      <Section
        title="Request body"
        testId="request-body-section"
        actions={
          d.bodies ? null : (
            <Button asChild variant="ghost" size="sm">
              <Link href={settingsHref}>
                Project settings
                <ExternalLink aria-hidden="true" />
              </Link>
            </Button>
          )
        }
      >
        {d.bodies ? (
          <JsonBlock json={d.bodies.request} label="request body" testId="request-body" />
        ) : d.projectStoresBodies ? (
          <NotStored icon={FileX} title="Not stored for this request" testId="bodies-not-stored">
            {d.projectName} stores bodies now, but none was kept for this one: bodies are stored for chat completion and embedding
            requests that completed while the setting was on. Requests that failed, and those made before it was turned on, have none.
          </NotStored>
        ) : (
          <NotStored icon={DatabaseZap} title="Bodies are not stored for this project" testId="bodies-not-stored">
            Request and response bodies are stored only when the project&apos;s <strong className="font-medium text-foreground">Store request and
            response bodies</strong> setting is on (project settings, API section). Requests made from then on show them here.
          </NotStored>
        )}
      </Section>

      {d.bodies && (
        <Section title="Response body" testId="response-body-section">
          {d.bodies.response ? (
            <JsonBlock json={d.bodies.response} label="response body" testId="response-body" />
          ) : (
            <NotStored icon={FileX} title="No response stored" testId="response-not-stored">
              The request was stored without its response.
            </NotStored>
          )}
        </Section>
      )}

      {d.bodies && (
        <Section title="Response headers" testId="response-headers-section">
          {d.bodies.headers?.length ? (
            <div className="overflow-x-auto rounded-lg border">
              <table className="w-full text-[13px]" data-testid="response-headers">
                <tbody>
                  {d.bodies.headers.map(([name, value]) => (
                    <tr key={name} className="border-b last:border-0" data-testid="response-header" data-name={name}>
                      <td className="px-3 py-1.5 align-top font-mono text-muted-foreground whitespace-nowrap">{name}</td>
                      <td className="px-3 py-1.5 font-mono break-all">{value}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <NotStored icon={FileX} title="Headers not stored" testId="headers-not-stored">
              This request was stored before response headers were kept with bodies.
            </NotStored>
          )}
        </Section>
      )}
    </div>
  );
}

export function RequestDetailSkeleton() {
  return (
    <div className="grid gap-5 px-5 pb-5" role="status" aria-label="Loading the request" data-testid="request-detail-loading">
      <div className="flex gap-2">
        <Skeleton className="h-8 w-40" />
        <Skeleton className="h-8 w-36" />
      </div>
      {Array.from({ length: 3 }, (_, s) => (
        <div key={s} className="grid gap-2.5">
          <Skeleton className="h-3 w-24" />
          {Array.from({ length: 4 }, (_, i) => (
            <div key={i} className="grid grid-cols-[6rem_1fr] gap-3 sm:grid-cols-[8.5rem_1fr]">
              <Skeleton className="h-4 w-20" />
              <Skeleton className="h-4 w-full max-w-64" />
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}

export function RequestNotFound({ requestId }: { requestId: string }) {
  return (
    <div className="px-5 pb-5" data-testid="request-not-found">
      <NotStored icon={SearchX} title="Request not found" testId="request-not-found-box">
        <p>
          No request <span className="font-mono break-all text-foreground">{requestId}</span> in this organization that you can see. Members see
          the requests of their own API keys and their own playground runs. A request made seconds ago can take a moment to appear.
        </p>
      </NotStored>
    </div>
  );
}
