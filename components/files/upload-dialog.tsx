"use client";

import * as React from "react";
import { CircleCheck, FileUp, Upload, X } from "lucide-react";
import { toast } from "sonner";
import { cn } from "@/lib/utils";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { FieldError } from "@/components/ui/field-error";
import { FormAlert } from "@/components/ui/form-alert";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { formatBytes, PURPOSE_HINTS, PURPOSE_LABELS, uploadErrorMessage, uploadProblem } from "./format";
import { FILE_PURPOSE_OPTIONS, type FilePurposeOption } from "./types";

// Uploads one file to the project with XMLHttpRequest (fetch has no upload progress), to the
// console's session route: the same pipeline and errors as POST /v1/files.

type Progress = { loaded: number; total: number };
type Phase =
  | { kind: "idle" }
  | { kind: "uploading"; progress: Progress }
  | { kind: "done"; file: { id: string; filename: string; bytes: number } }
  | { kind: "failed"; message: string }
  | { kind: "cancelled" };

export type UploadDialogProps = {
  projectId: string;
  maxBytes: number;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** A file dropped on the page before the dialog opened. */
  initialFile?: File | null;
  /** After a file was stored (refresh the list). */
  onUploaded: (file: { id: string; filename: string }) => void;
};

export function UploadDialog({ projectId, maxBytes, open, onOpenChange, initialFile, onUploaded }: UploadDialogProps) {
  const [file, setFile] = React.useState<File | null>(initialFile ?? null);
  const [purpose, setPurpose] = React.useState<FilePurposeOption>("fine-tune");
  const [phase, setPhase] = React.useState<Phase>({ kind: "idle" });
  const [dragging, setDragging] = React.useState(false);
  const inputRef = React.useRef<HTMLInputElement>(null);
  const xhrRef = React.useRef<XMLHttpRequest | null>(null);
  const doneRef = React.useRef<HTMLButtonElement>(null);

  // A new drop on the page while the dialog is closed starts over with that file.
  const [lastInitial, setLastInitial] = React.useState(initialFile);
  if (initialFile !== lastInitial) {
    setLastInitial(initialFile);
    if (initialFile) {
      setFile(initialFile);
      setPhase({ kind: "idle" });
    }
  }

  React.useEffect(() => () => xhrRef.current?.abort(), []);

  const uploading = phase.kind === "uploading";
  const problem = file ? uploadProblem(file, purpose, maxBytes) : null;

  const choose = (f: File | null | undefined) => {
    if (!f || uploading) return;
    setFile(f);
    setPhase({ kind: "idle" });
  };

  const reset = () => {
    setFile(null);
    setPhase({ kind: "idle" });
    if (inputRef.current) inputRef.current.value = "";
  };

  const cancelUpload = () => {
    xhrRef.current?.abort();
  };

  const start = () => {
    if (!file || problem || uploading) return;
    const form = new FormData();
    form.append("purpose", purpose);
    form.append("file", file, file.name);
    const xhr = new XMLHttpRequest();
    xhrRef.current = xhr;
    xhr.open("POST", `/api/projects/${encodeURIComponent(projectId)}/files`);
    xhr.responseType = "text";
    xhr.upload.onprogress = (e) => {
      if (xhrRef.current !== xhr) return;
      setPhase({ kind: "uploading", progress: { loaded: e.loaded, total: e.lengthComputable ? e.total : file.size } });
    };
    xhr.onload = () => {
      if (xhrRef.current !== xhr) return;
      xhrRef.current = null;
      if (xhr.status >= 200 && xhr.status < 300) {
        let stored: { id: string; filename: string; bytes: number } | null = null;
        try {
          stored = JSON.parse(xhr.responseText);
        } catch {
          stored = null;
        }
        if (!stored?.id) {
          setPhase({ kind: "failed", message: "The server's answer could not be read. Refresh the list to check whether the file arrived." });
          return;
        }
        setPhase({ kind: "done", file: stored });
        toast.success(`Uploaded ${stored.filename}`);
        onUploaded(stored);
        requestAnimationFrame(() => doneRef.current?.focus());
      } else {
        setPhase({ kind: "failed", message: uploadErrorMessage(xhr.status, xhr.responseText) });
      }
    };
    xhr.onerror = () => {
      if (xhrRef.current !== xhr) return;
      xhrRef.current = null;
      setPhase({ kind: "failed", message: uploadErrorMessage(0, "") });
    };
    xhr.onabort = () => {
      if (xhrRef.current !== xhr) return;
      xhrRef.current = null;
      setPhase({ kind: "cancelled" });
    };
    setPhase({ kind: "uploading", progress: { loaded: 0, total: file.size } });
    xhr.send(form);
  };

  const onOpenChangeGuarded = (next: boolean) => {
    // Escape (or the close button) during an upload cancels the upload first; once more closes.
    if (!next && uploading) {
      cancelUpload();
      return;
    }
    if (!next) reset();
    onOpenChange(next);
  };

  const onDrop = (e: React.DragEvent) => {
    e.preventDefault();
    setDragging(false);
    choose(e.dataTransfer.files?.[0]);
  };

  const percent = uploading ? Math.min(100, Math.floor((phase.progress.loaded / Math.max(1, phase.progress.total)) * 100)) : phase.kind === "done" ? 100 : 0;
  const sentBytes = uploading && file ? Math.min(file.size, Math.round((phase.progress.loaded / Math.max(1, phase.progress.total)) * file.size)) : phase.kind === "done" && file ? file.size : 0;
  const processing = uploading && phase.progress.total > 0 && phase.progress.loaded >= phase.progress.total;

  return (
    <Dialog open={open} onOpenChange={onOpenChangeGuarded}>
      <DialogContent
        className="sm:max-w-xl"
        data-testid="upload-dialog"
        data-max-bytes={maxBytes}
        onPointerDownOutside={(e) => {
          // A stray click outside must not cancel a running upload.
          if (uploading) e.preventDefault();
        }}
      >
        <DialogHeader>
          <DialogTitle>Upload a file</DialogTitle>
          <DialogDescription>
            Files can be up to {formatBytes(maxBytes)}. Jobs and assistants of this project use them by their ID.
          </DialogDescription>
        </DialogHeader>

        <div className="grid gap-2">
          <Label htmlFor="upload-purpose">Purpose</Label>
          <Select
            id="upload-purpose"
            value={purpose}
            onChange={(e) => setPurpose(e.target.value as FilePurposeOption)}
            disabled={uploading || phase.kind === "done"}
            data-testid="upload-purpose"
            aria-describedby="upload-purpose-hint"
          >
            {FILE_PURPOSE_OPTIONS.map((p) => (
              <option key={p} value={p}>
                {PURPOSE_LABELS[p]}
              </option>
            ))}
          </Select>
          <p id="upload-purpose-hint" className="text-xs text-muted-foreground">
            {PURPOSE_HINTS[purpose]}
          </p>
        </div>

        <div className="grid gap-2">
          <input
            ref={inputRef}
            type="file"
            className="sr-only"
            tabIndex={-1}
            aria-hidden="true"
            onChange={(e) => choose(e.target.files?.[0])}
            data-testid="upload-input"
          />
          {file && (uploading || phase.kind === "done") ? (
            <SelectedFile file={file} />
          ) : (
            <div
              onDragEnter={(e) => {
                e.preventDefault();
                setDragging(true);
              }}
              onDragOver={(e) => {
                e.preventDefault();
                e.dataTransfer.dropEffect = "copy";
              }}
              onDragLeave={() => setDragging(false)}
              onDrop={onDrop}
              data-testid="upload-dropzone"
              data-dragging={dragging ? "true" : undefined}
              className={cn(
                "flex flex-col items-center justify-center gap-2 rounded-lg border border-dashed px-4 py-7 text-center transition-colors",
                dragging ? "border-foreground/40 bg-muted/60" : "bg-muted/20",
                problem && "border-destructive/50",
              )}
            >
              {file ? (
                <>
                  <SelectedFile file={file} />
                  <div className="flex gap-2">
                    <Button type="button" variant="outline" size="sm" onClick={() => inputRef.current?.click()} data-testid="upload-choose">
                      Choose another file
                    </Button>
                    <Button type="button" variant="ghost" size="sm" onClick={reset} data-testid="upload-clear">
                      <X aria-hidden="true" />
                      Remove
                    </Button>
                  </div>
                </>
              ) : (
                <>
                  <div className="flex size-10 items-center justify-center rounded-lg border bg-background text-muted-foreground shadow-xs">
                    <FileUp className="size-5" aria-hidden="true" />
                  </div>
                  <p className="text-sm">
                    Drag a file here, or{" "}
                    <button
                      type="button"
                      className="rounded-sm font-medium underline underline-offset-4 outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50"
                      onClick={() => inputRef.current?.click()}
                      data-testid="upload-choose"
                    >
                      choose one
                    </button>
                  </p>
                  <p className="text-xs text-muted-foreground">
                    {purpose === "fine-tune" ? "JSON Lines (.jsonl), " : ""}up to {formatBytes(maxBytes)}
                  </p>
                </>
              )}
            </div>
          )}
          {problem && !uploading && phase.kind !== "done" && <FieldError data-testid="upload-problem">{problem}</FieldError>}
        </div>

        {(uploading || phase.kind === "done") && file && (
          <div className="grid gap-1.5" data-testid="upload-progress" data-state={phase.kind} data-percent={percent}>
            <div
              role="progressbar"
              aria-label="Upload progress"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
              className="h-2 overflow-hidden rounded-full bg-muted"
            >
              <div
                className={cn("h-full rounded-full transition-[width] duration-200", phase.kind === "done" ? "bg-success" : "bg-primary")}
                style={{ width: `${percent}%` }}
              />
            </div>
            <div className="flex items-center justify-between gap-3 text-xs text-muted-foreground tabular-nums">
              <span data-testid="upload-percent">
                {phase.kind === "done" ? "Uploaded" : processing ? "Storing…" : `${percent}%`}
              </span>
              <span data-testid="upload-bytes">
                {formatBytes(sentBytes)} of {formatBytes(file.size)}
              </span>
            </div>
          </div>
        )}

        {phase.kind === "done" && (
          <div className="flex items-center gap-2 rounded-md border border-success/30 bg-success/10 px-3 py-2 text-sm" data-testid="upload-done">
            <CircleCheck className="size-4 shrink-0 text-success" aria-hidden="true" />
            <span className="min-w-0 flex-1 truncate">
              Stored as <code className="font-mono text-[13px]">{phase.file.id}</code>
            </span>
            <CopyButton value={phase.file.id} label="Copy file ID" toastMessage="File ID copied" className="size-7" />
          </div>
        )}
        {phase.kind === "failed" && <FormAlert message={phase.message} data-testid="upload-error" />}
        {phase.kind === "cancelled" && (
          <p role="status" className="text-sm text-muted-foreground" data-testid="upload-cancelled">
            Upload cancelled. Nothing was stored.
          </p>
        )}

        <DialogFooter>
          {uploading ? (
            <Button type="button" variant="outline" onClick={cancelUpload} data-testid="upload-cancel">
              Cancel upload
            </Button>
          ) : phase.kind === "done" ? (
            <>
              <Button type="button" variant="outline" onClick={reset} data-testid="upload-another">
                Upload another
              </Button>
              <Button ref={doneRef} type="button" onClick={() => onOpenChangeGuarded(false)} data-testid="upload-close">
                Done
              </Button>
            </>
          ) : (
            <>
              <Button type="button" variant="outline" onClick={() => onOpenChangeGuarded(false)}>
                Cancel
              </Button>
              <Button type="button" onClick={start} disabled={!file || !!problem} data-testid="upload-submit">
                <Upload aria-hidden="true" />
                {phase.kind === "failed" || phase.kind === "cancelled" ? "Try again" : "Upload"}
              </Button>
            </>
          )}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

function SelectedFile({ file }: { file: File }) {
  return (
    <p className="flex max-w-full min-w-0 items-center gap-2 text-sm" data-testid="upload-file">
      <span className="truncate font-medium" title={file.name}>
        {file.name}
      </span>
      <span className="shrink-0 text-muted-foreground tabular-nums">{formatBytes(file.size)}</span>
    </p>
  );
}
