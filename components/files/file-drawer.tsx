"use client";

import * as React from "react";
import { Download, FileWarning, RotateCw, Trash2 } from "lucide-react";
import { cn } from "@/lib/utils";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { FormAlert } from "@/components/ui/form-alert";
import { Sheet, SheetContent, SheetDescription, SheetHeader, SheetTitle } from "@/components/ui/sheet";
import { Skeleton } from "@/components/ui/skeleton";
import { formatBytes, formatExactBytes, previewsAsJsonl, purposeLabel } from "./format";
import { buildPreview, PREVIEW_MAX_LINES } from "./preview";
import { FileStatusBadge } from "./status-badge";
import type { FileDetail, FileRow } from "./types";

export const contentHref = (projectId: string, fileId: string) =>
  `/api/projects/${encodeURIComponent(projectId)}/files/${encodeURIComponent(fileId)}/content`;

type Props = {
  projectId: string;
  /** The open file's id (null: closed). */
  fileId: string | null;
  /** Its row in the list, shown while the details load. */
  row: FileRow | undefined;
  /** undefined: loading; null: not found (deleted meanwhile). */
  detail: FileDetail | null | undefined;
  error: string | null;
  onRetry: () => void;
  onClose: () => void;
  /** Project owners: the Delete button. */
  onDelete?: (file: FileRow) => void;
};

/** The inspect drawer: a file's details, the start of its content, download and delete. */
export function FileDrawer({ projectId, fileId, row, detail, error, onRetry, onClose, onDelete }: Props) {
  const shown = detail ?? row;
  return (
    <Sheet open={!!fileId} onOpenChange={(next) => (next ? undefined : onClose())}>
      <SheetContent side="right" className="w-full max-w-full gap-0 sm:w-[44rem] sm:max-w-[92vw]" data-testid="file-drawer">
        <SheetHeader className="gap-1 border-b px-5 pt-4 pr-14 pb-4">
          <div className="flex min-w-0 items-center gap-2">
            <SheetTitle className="min-w-0 truncate text-base" title={shown?.filename} data-testid="drawer-filename">
              {shown?.filename ?? "File"}
            </SheetTitle>
            {shown && <FileStatusBadge status={shown.status} details={shown.statusDetails} />}
          </div>
          <SheetDescription asChild>
            <div className="flex min-w-0 items-center gap-1 text-xs">
              <span className="min-w-0 font-mono break-all text-foreground" data-testid="drawer-file-id">
                {fileId}
              </span>
              {fileId && <CopyButton value={fileId} label="Copy file ID" toastMessage="File ID copied" className="size-6" />}
            </div>
          </SheetDescription>
          {fileId && detail !== null && (
            <div className="mt-2 flex flex-wrap gap-2">
              <Button asChild variant="outline" size="sm">
                <a href={contentHref(projectId, fileId)} download={shown?.filename ?? true} data-testid="drawer-download">
                  <Download aria-hidden="true" />
                  Download
                </a>
              </Button>
              {onDelete && shown && (
                <Button
                  variant="outline"
                  size="sm"
                  className="text-destructive hover:bg-destructive/10 hover:text-destructive"
                  onClick={() => onDelete(detail ?? row!)}
                  data-testid="drawer-delete"
                >
                  <Trash2 aria-hidden="true" />
                  Delete
                </Button>
              )}
            </div>
          )}
        </SheetHeader>
        <div className="min-h-0 flex-1 overflow-y-auto px-5 py-4">
          {!fileId ? null : error ? (
            <div className="grid gap-3">
              <FormAlert message={error} data-testid="file-detail-error" />
              <Button variant="outline" size="sm" className="justify-self-start" onClick={onRetry}>
                <RotateCw aria-hidden="true" />
                Try again
              </Button>
            </div>
          ) : detail === undefined ? (
            <DetailSkeleton />
          ) : detail === null ? (
            <p className="text-sm text-muted-foreground" data-testid="file-not-found">
              This file no longer exists. It may have been deleted.
            </p>
          ) : (
            <DetailBody detail={detail} />
          )}
        </div>
      </SheetContent>
    </Sheet>
  );
}

function DetailSkeleton() {
  return (
    <div className="grid gap-4" role="status" aria-label="Loading the file">
      <div className="grid grid-cols-[8rem_1fr] gap-x-4 gap-y-3">
        {Array.from({ length: 6 }, (_, i) => (
          <React.Fragment key={i}>
            <Skeleton className="h-4 w-20" />
            <Skeleton className="h-4 w-48" />
          </React.Fragment>
        ))}
      </div>
      <Skeleton className="h-48 w-full" />
    </div>
  );
}

function Row({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0" data-testid={testId}>
        {children}
      </dd>
    </>
  );
}

function DetailBody({ detail }: { detail: FileDetail }) {
  const via = detail.uploadedVia;
  return (
    <div className="grid gap-6">
      <dl className="grid grid-cols-[8rem_minmax(0,1fr)] gap-x-4 gap-y-2.5 text-sm">
        <Row label="Purpose" testId="drawer-purpose">
          {purposeLabel(detail.purpose)} <span className="font-mono text-xs text-muted-foreground">({detail.purpose})</span>
        </Row>
        <Row label="Size" testId="drawer-size">
          {formatBytes(detail.bytes)}
          {detail.bytes >= 1024 && <span className="text-muted-foreground"> · {formatExactBytes(detail.bytes)}</span>}
        </Row>
        <Row label="Created">{detail.created ? <time dateTime={detail.created.iso}>{detail.created.title}</time> : "—"}</Row>
        <Row label="Uploaded through" testId="drawer-uploaded-via">
          {via.kind === "api_key" ? (
            <>
              API key <span className="font-medium">{via.name}</span>
            </>
          ) : via.kind === "console" ? (
            <>Console{via.user ? <>, by {via.user}</> : null}</>
          ) : (
            "—"
          )}
        </Row>
        {detail.statusDetails && <Row label="Status details">{detail.statusDetails}</Row>}
        <Row label="SHA-256">
          <span className="inline-flex max-w-full items-center gap-1">
            <code className="truncate font-mono text-xs" title={detail.sha256}>
              {detail.sha256}
            </code>
            <CopyButton value={detail.sha256} label="Copy SHA-256" toastMessage="SHA-256 copied" className="size-6" />
          </span>
        </Row>
      </dl>
      <PreviewSection detail={detail} />
    </div>
  );
}

function PreviewSection({ detail }: { detail: FileDetail }) {
  const p = detail.preview;
  const jsonl = previewsAsJsonl(detail.filename, detail.purpose);
  const preview = React.useMemo(() => (p.kind === "text" ? buildPreview(p.text, { truncated: p.truncated, jsonl }) : null), [p, jsonl]);
  // JSON Lines: each line pretty-printed, or as it is in the file (one line per example).
  const [formatted, setFormatted] = React.useState(true);

  return (
    <section className="grid gap-2" aria-labelledby="file-preview-heading">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <div className="flex items-center gap-3">
          <h3 id="file-preview-heading" className="text-sm font-semibold">
            Preview
          </h3>
          {jsonl && preview && preview.lines.length > 0 && (
            <div role="group" aria-label="Preview layout" className="inline-flex rounded-md border bg-muted/40 p-0.5">
              {[
                { value: true, label: "Formatted" },
                { value: false, label: "Raw" },
              ].map((o) => (
                <button
                  key={o.label}
                  type="button"
                  aria-pressed={formatted === o.value}
                  onClick={() => setFormatted(o.value)}
                  data-testid={`preview-${o.label.toLowerCase()}`}
                  className={cn(
                    "rounded-sm px-2 py-0.5 text-xs font-medium text-muted-foreground transition-colors outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50",
                    formatted === o.value && "bg-background text-foreground shadow-xs dark:bg-input/60",
                  )}
                >
                  {o.label}
                </button>
              ))}
            </div>
          )}
        </div>
        {preview && (
          <p className="text-xs text-muted-foreground" data-testid="preview-summary">
            {preview.more ? `The first ${preview.lines.length} line${preview.lines.length === 1 ? "" : "s"}` : `All ${preview.lines.length} line${preview.lines.length === 1 ? "" : "s"}`}
            {jsonl && (
              <>
                {" · "}
                {preview.invalid === 0 ? (
                  <span className="text-success">all valid JSON</span>
                ) : (
                  <span className="font-medium text-destructive" data-testid="preview-invalid-count">
                    {preview.invalid} invalid JSON line{preview.invalid === 1 ? "" : "s"}
                  </span>
                )}
                {preview.empty > 0 && <> · {preview.empty} empty</>}
              </>
            )}
          </p>
        )}
      </div>
      {p.kind === "binary" ? (
        <Note>This looks like a binary file: there is no text to preview. Download it to open it.</Note>
      ) : p.kind === "unavailable" ? (
        <FormAlert message={p.reason} />
      ) : preview && preview.lines.length === 0 ? (
        <Note>The file is empty.</Note>
      ) : preview ? (
        <>
          <ol className="overflow-hidden rounded-lg border bg-muted/30 font-mono text-xs leading-relaxed" data-testid="file-preview" data-mode={jsonl ? "jsonl" : "text"}>
            {preview.lines.map((line) => (
              <li
                key={line.number}
                data-testid="preview-line"
                data-line={line.number}
                data-invalid={line.error ? "true" : undefined}
                className={cn(
                  "grid grid-cols-[3.5rem_minmax(0,1fr)] border-b last:border-b-0",
                  line.error && "bg-destructive/8 dark:bg-destructive/12",
                )}
              >
                <span
                  className={cn(
                    "border-r px-2 py-1.5 text-right text-muted-foreground tabular-nums select-none",
                    line.error && "border-l-2 border-l-destructive text-destructive",
                  )}
                  data-testid="preview-line-number"
                >
                  {line.number}
                </span>
                <div className="min-w-0 px-3 py-1.5">
                  {line.error && (
                    <p className="mb-1 flex flex-wrap items-center gap-2 font-sans" data-testid="preview-line-error">
                      <Badge variant="destructive">Invalid JSON</Badge>
                      <span className="text-destructive">{line.error}</span>
                    </p>
                  )}
                  {line.empty ? (
                    <span className="font-sans text-muted-foreground italic">Empty line</span>
                  ) : (
                    <pre className="overflow-x-auto whitespace-pre-wrap break-all" data-testid="preview-line-text">
                      {(formatted && line.pretty) || line.text}
                      {line.cut && <span className="font-sans text-muted-foreground italic"> … (continues past the preview)</span>}
                    </pre>
                  )}
                </div>
              </li>
            ))}
          </ol>
          {preview.more && (
            <p className="text-xs text-muted-foreground" data-testid="preview-more">
              The preview shows at most the first {PREVIEW_MAX_LINES} lines and 64 KB. Download the file to see all of it.
            </p>
          )}
        </>
      ) : null}
    </section>
  );
}

function Note({ children }: { children: React.ReactNode }) {
  return (
    <p className="flex items-start gap-2 rounded-lg border border-dashed px-3 py-3 text-sm text-muted-foreground" data-testid="preview-note">
      <FileWarning className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
      <span>{children}</span>
    </p>
  );
}
