"use client";

import * as React from "react";
import Link from "next/link";
import { ChevronDown, Download, FileText, RotateCw, Trash2, Upload } from "lucide-react";
import { toast } from "sonner";
import { cn } from "@/lib/utils";
import { FilterTabs } from "@/components/billing/filter-tabs";
import { DateText } from "@/components/projects/date-text";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState } from "@/components/ui/empty-state";
import { FormAlert } from "@/components/ui/form-alert";
import { PageHeader } from "@/components/ui/page-header";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { FormAction } from "@/components/ui/use-form-action";
import { contentHref, FileDrawer } from "./file-drawer";
import { FilesEmpty } from "./files-empty";
import { formatBytes, formatExactBytes, PURPOSE_LABELS, purposeLabel } from "./format";
import { FileStatusBadge } from "./status-badge";
import { UploadDialog } from "./upload-dialog";
import { FILTER_PURPOSES, type FileDetail, type FileRow, type FilesActions, type FilesPage } from "./types";

// The Files page's client side: the list (first page from the server, "Load more" after it),
// the purpose filter (a URL, so the server renders each view), upload (button or a file dropped
// anywhere on the page), the inspect drawer and the delete confirmation.

type Props = {
  projectId: string;
  projectName: string;
  /** The purpose filter in the URL (null: all). */
  purpose: string | null;
  initialPage: FilesPage;
  /** Project owners upload and delete; everyone in the project sees, inspects and downloads. */
  canManage: boolean;
  /** Why uploads are off although the user is an owner (archived project), or null. */
  uploadBlocked: string | null;
  maxBytes: number;
  actions: FilesActions & { remove: FormAction };
};

/** Newest first, like the server's keyset: createdAt, then id. */
function newerFirst(a: FileRow, b: FileRow) {
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt ? -1 : 1;
  return a.id === b.id ? 0 : a.id > b.id ? -1 : 1;
}

const hasFiles = (e: React.DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes("Files");

export function FilesView({ projectId, projectName, purpose, initialPage, canManage, uploadBlocked, maxBytes, actions }: Props) {
  // The rows and the keyset cursor after them change together.
  const [list, setList] = React.useState<{ rows: FileRow[]; cursor: string | null }>({ rows: initialPage.rows, cursor: initialPage.nextCursor });
  const { rows, cursor } = list;
  const [loadingMore, setLoadingMore] = React.useState(false);
  const [refreshing, setRefreshing] = React.useState(false);
  const [listError, setListError] = React.useState<string | null>(null);

  const [uploadOpen, setUploadOpen] = React.useState(false);
  const [droppedFile, setDroppedFile] = React.useState<File | null>(null);
  const [dragDepth, setDragDepth] = React.useState(0);

  const [openId, setOpenId] = React.useState<string | null>(null);
  const [details, setDetails] = React.useState<ReadonlyMap<string, FileDetail | null>>(() => new Map());
  const [detailError, setDetailError] = React.useState<{ id: string; message: string } | null>(null);

  const [deleting, setDeleting] = React.useState<FileRow | null>(null);
  const [deleteOpen, setDeleteOpen] = React.useState(false);

  const canUpload = canManage && !uploadBlocked;

  // The open file's details, fetched once per file.
  React.useEffect(() => {
    if (!openId || details.has(openId) || detailError?.id === openId) return;
    const id = openId;
    actions
      .detail(projectId, id)
      .then((r) => {
        if (r.ok) setDetails((m) => new Map(m).set(id, r.detail));
        else setDetailError({ id, message: r.error });
      })
      .catch(() => setDetailError({ id, message: "The file could not be loaded. Check your connection and try again." }));
  }, [openId, details, detailError, projectId, actions]);

  /**
   * Reloads the first page and keeps what "Load more" already brought below it: new files
   * (an upload here, or through the API) appear on top, deleted ones disappear.
   */
  const refresh = async () => {
    setRefreshing(true);
    try {
      const r = await actions.list(projectId, purpose, null);
      if (!r.ok) {
        toast.error(r.error);
        return;
      }
      setListError(null);
      const fresh = r.page.rows;
      const next = r.page.nextCursor;
      setList((prev) => {
        if (!next || fresh.length === 0) return { rows: fresh, cursor: next };
        const boundary = fresh[fresh.length - 1];
        const seen = new Set(fresh.map((f) => f.id));
        const olderLoaded = prev.rows.filter((f) => !seen.has(f.id) && newerFirst(f, boundary) > 0);
        return olderLoaded.length > 0 ? { rows: [...fresh, ...olderLoaded].sort(newerFirst), cursor: prev.cursor } : { rows: fresh, cursor: next };
      });
    } catch {
      toast.error("The list could not be refreshed. Check your connection and try again.");
    } finally {
      setRefreshing(false);
    }
  };

  const loadMore = async () => {
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    setListError(null);
    try {
      const r = await actions.list(projectId, purpose, cursor);
      if (!r.ok) {
        setListError(r.error);
        return;
      }
      setList((prev) => {
        const seen = new Set(prev.rows.map((f) => f.id));
        return { rows: [...prev.rows, ...r.page.rows.filter((f) => !seen.has(f.id))], cursor: r.page.nextCursor };
      });
    } catch {
      toast.error("More files could not be loaded. Check your connection and try again.");
    } finally {
      setLoadingMore(false);
    }
  };

  const askDelete = (file: FileRow) => {
    setDeleting(file);
    setDeleteOpen(true);
  };

  const onDeleted = () => {
    const gone = deleting;
    if (!gone) return;
    setDetails((m) => new Map(m).set(gone.id, null));
    if (openId === gone.id) setOpenId(null);
    // The keyset continues after the last loaded file: when that one is gone, after the one before it.
    const at = rows.findIndex((f) => f.id === gone.id);
    const lostCursor = cursor === gone.id;
    const before = lostCursor && at > 0 ? rows[at - 1].id : null;
    setList((prev) => ({ rows: prev.rows.filter((f) => f.id !== gone.id), cursor: prev.cursor === gone.id ? before : prev.cursor }));
    if (lostCursor && !before) void refresh();
  };

  const openUpload = (file: File | null = null) => {
    setDroppedFile(file);
    setUploadOpen(true);
  };

  // A file dragged anywhere over the page (not over a dialog) can be dropped to upload it.
  const dropHandlers = canUpload
    ? {
        onDragEnter: (e: React.DragEvent) => {
          if (!hasFiles(e) || uploadOpen || openId || deleteOpen) return;
          e.preventDefault();
          setDragDepth((d) => d + 1);
        },
        onDragOver: (e: React.DragEvent) => {
          if (!hasFiles(e) || uploadOpen || openId || deleteOpen) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = "copy";
        },
        onDragLeave: (e: React.DragEvent) => {
          if (!hasFiles(e) || uploadOpen) return;
          setDragDepth((d) => Math.max(0, d - 1));
        },
        onDrop: (e: React.DragEvent) => {
          if (!hasFiles(e) || uploadOpen || openId || deleteOpen) return;
          e.preventDefault();
          setDragDepth(0);
          const file = e.dataTransfer.files?.[0];
          if (file) openUpload(file);
        },
      }
    : {};

  const uploadButton = (testId: string) =>
    canManage ? (
      <Button onClick={() => openUpload()} disabled={!canUpload} title={uploadBlocked ?? undefined} data-testid={testId}>
        <Upload aria-hidden="true" />
        Upload file
      </Button>
    ) : null;

  const base = `/projects/${encodeURIComponent(projectId)}/files`;
  const tabs = [{ value: "", label: "All", href: base }, ...FILTER_PURPOSES.map((p) => ({ value: p, label: PURPOSE_LABELS[p], href: `${base}?purpose=${p}` }))];

  const openRow = openId ? rows.find((f) => f.id === openId) : undefined;

  return (
    <div className="relative min-h-[calc(100dvh-8rem)]" {...dropHandlers} data-testid="files-page">
      <PageHeader
        title="Files"
        description={
          <>
            Files of <span className="font-medium text-foreground">{projectName}</span>, uploaded here or through the API (
            <code className="font-mono text-[13px]">/v1/files</code>) for fine-tuning, batches, assistants and vision.
            {canUpload && " Drop a file anywhere on this page to upload it."}
          </>
        }
        actions={
          canManage ? (
            uploadButton("upload-button")
          ) : (
            <p className="text-sm text-muted-foreground" data-testid="owner-only-note">
              Only project owners can upload or delete files
            </p>
          )
        }
      />

      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <FilterTabs label="Filter by purpose" items={tabs} current={purpose ?? ""} testId="purpose-filter" />
        <Button variant="ghost" size="sm" onClick={() => void refresh()} disabled={refreshing} data-testid="files-refresh">
          {refreshing ? <Spinner label="" /> : <RotateCw aria-hidden="true" />}
          Refresh
        </Button>
      </div>

      {rows.length === 0 ? (
        purpose ? (
          <EmptyState
            icon={FileText}
            title={`No ${purposeLabel(purpose).toLowerCase()} files`}
            description="None of this project's files has this purpose."
            action={
              <Button asChild variant="outline" size="sm">
                <Link href={base} scroll={false}>
                  Show all files
                </Link>
              </Button>
            }
            data-testid="files-empty-filtered"
          />
        ) : (
          <FilesEmpty action={uploadButton("empty-upload-button")} />
        )
      ) : (
        <div className="grid gap-3">
          <div className="overflow-hidden rounded-xl border bg-card">
            <Table className="min-w-[52rem]" data-testid="files-table">
              <TableHeader className="bg-muted/40">
                <TableRow className="hover:bg-transparent">
                  <TableHead className="pl-4">Name</TableHead>
                  <TableHead>ID</TableHead>
                  <TableHead>Purpose</TableHead>
                  <TableHead className="text-right">Size</TableHead>
                  <TableHead>Created</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead className="pr-4 text-right">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((f) => (
                  <TableRow
                    key={f.id}
                    data-testid="file-row"
                    data-file-id={f.id}
                    data-filename={f.filename}
                    data-state={f.id === openId ? "selected" : undefined}
                    className="cursor-pointer"
                    onClick={(e) => {
                      if ((e.target as HTMLElement).closest("a, button") && !(e.target as HTMLElement).closest('[data-testid="file-open"]')) return;
                      setOpenId(f.id);
                    }}
                  >
                    <TableCell className="max-w-[18rem] pl-4">
                      <button
                        type="button"
                        className="flex max-w-full items-center gap-2 rounded-sm text-left font-medium outline-none hover:underline focus-visible:ring-[3px] focus-visible:ring-ring/50"
                        title={f.filename}
                        aria-label={`Inspect ${f.filename}`}
                        data-testid="file-open"
                      >
                        <FileText className="size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
                        <span className="truncate" data-testid="file-name">
                          {f.filename}
                        </span>
                      </button>
                    </TableCell>
                    <TableCell>
                      <span className="inline-flex items-center gap-0.5">
                        <code className="font-mono text-[13px] text-muted-foreground" data-testid="file-id">
                          {f.id}
                        </code>
                        <CopyButton value={f.id} label={`Copy the ID of ${f.filename}`} toastMessage="File ID copied" className="size-7" />
                      </span>
                    </TableCell>
                    <TableCell>
                      <Badge variant="muted" data-testid="file-purpose" data-purpose={f.purpose}>
                        {purposeLabel(f.purpose)}
                      </Badge>
                    </TableCell>
                    <TableCell className="text-right tabular-nums" title={formatExactBytes(f.bytes)} data-testid="file-size" data-bytes={f.bytes}>
                      {formatBytes(f.bytes)}
                    </TableCell>
                    <TableCell className="text-muted-foreground">
                      <DateText value={f.created} />
                    </TableCell>
                    <TableCell>
                      <FileStatusBadge status={f.status} details={f.statusDetails} />
                    </TableCell>
                    <TableCell className="pr-3 text-right">
                      <div className="flex justify-end gap-0.5">
                        <Button asChild variant="ghost" size="icon-sm" className="text-muted-foreground hover:text-foreground">
                          <a href={contentHref(projectId, f.id)} download={f.filename} aria-label={`Download ${f.filename}`} title="Download" data-testid="file-download">
                            <Download aria-hidden="true" />
                          </a>
                        </Button>
                        {canManage && (
                          <Button
                            variant="ghost"
                            size="icon-sm"
                            className="text-muted-foreground hover:bg-destructive/10 hover:text-destructive"
                            aria-label={`Delete ${f.filename}`}
                            title="Delete file"
                            data-testid="file-delete"
                            onClick={() => askDelete(f)}
                          >
                            <Trash2 aria-hidden="true" />
                          </Button>
                        )}
                      </div>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          <div className="flex flex-wrap items-center justify-between gap-3 text-sm text-muted-foreground">
            <p data-testid="files-count">
              {rows.length} file{rows.length === 1 ? "" : "s"} shown{!cursor && (rows.length === 1 ? " · the only one" : " · all of them")}
            </p>
            {cursor && (
              <Button variant="outline" size="sm" onClick={loadMore} disabled={loadingMore} data-testid="files-load-more">
                {loadingMore ? <Spinner label="" /> : <ChevronDown aria-hidden="true" />}
                {loadingMore ? "Loading…" : "Load more"}
              </Button>
            )}
          </div>
          {listError && <FormAlert message={listError} data-testid="files-load-more-error" />}
        </div>
      )}

      {dragDepth > 0 && (
        <div
          className={cn(
            "pointer-events-none absolute inset-0 z-10 flex items-center justify-center rounded-xl border-2 border-dashed border-foreground/30 bg-background/85 backdrop-blur-[1px]",
          )}
          data-testid="files-drop-overlay"
        >
          <p className="flex items-center gap-2 text-sm font-medium">
            <Upload className="size-4" aria-hidden="true" />
            Drop the file to upload it to {projectName}
          </p>
        </div>
      )}

      {canManage && (
        <UploadDialog
          projectId={projectId}
          maxBytes={maxBytes}
          open={uploadOpen}
          onOpenChange={(next) => {
            setUploadOpen(next);
            if (!next) setDroppedFile(null);
          }}
          initialFile={droppedFile}
          onUploaded={() => void refresh()}
        />
      )}

      <FileDrawer
        projectId={projectId}
        fileId={openId}
        row={openRow}
        detail={openId ? details.get(openId) : undefined}
        error={detailError && detailError.id === openId ? detailError.message : null}
        onRetry={() => setDetailError(null)}
        onClose={() => setOpenId(null)}
        onDelete={canManage ? askDelete : undefined}
      />

      {canManage && (
        <ConfirmDialog
          open={deleteOpen}
          onOpenChange={setDeleteOpen}
          title="Delete file?"
          description={
            <>
              <p>
                <span className="font-medium break-all text-foreground">{deleting?.filename}</span>{" "}
                <span className="font-mono text-xs break-all">({deleting?.id})</span> will be removed from the project at
                once, for the console and the API. Jobs that still refer to it will not find it.
              </p>
              <p className="mt-2">This cannot be undone.</p>
            </>
          }
          confirmLabel="Delete file"
          pendingLabel="Deleting…"
          action={actions.remove}
          fields={{ projectId, fileId: deleting?.id ?? "" }}
          confirmTestId="confirm-delete-file"
          onSuccess={onDeleted}
        />
      )}
    </div>
  );
}
