"use client";

import * as React from "react";
import { unstable_rethrow } from "next/navigation";
import { Bookmark, ChevronDown, CopyPlus, Link2, Pencil, Save, Settings2, Trash2 } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Spinner } from "@/components/ui/spinner";
import { copyText } from "./controls";
import type { PlaygroundConfig, PresetActionResult, PresetActions, PresetSummary } from "./types";

// The Presets control: save the current playground as a named preset, load one (through its
// share link, so a loaded preset always has a URL to copy), rename, delete.

export function presetLink(projectId: string, presetId: string): string {
  return `${window.location.origin}/projects/${encodeURIComponent(projectId)}/playground?preset=${encodeURIComponent(presetId)}`;
}

async function call(fn: () => Promise<PresetActionResult>): Promise<PresetActionResult> {
  try {
    return await fn();
  } catch (err) {
    unstable_rethrow(err);
    return { ok: false, error: "Could not reach the server. Check your connection and try again." };
  }
}

const MAX_NAME = 100;

function NameDialog({
  open,
  onOpenChange,
  title,
  description,
  initial,
  submitLabel,
  onSubmit,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: string;
  initial: string;
  submitLabel: string;
  onSubmit: (name: string) => Promise<string | null>;
}) {
  const [name, setName] = React.useState(initial);
  const [error, setError] = React.useState<string | null>(null);
  const [pending, setPending] = React.useState(false);
  const trimmed = name.trim();
  const invalid = !trimmed ? "Enter a name." : trimmed.length > MAX_NAME ? `At most ${MAX_NAME} characters.` : null;
  return (
    <Dialog open={open} onOpenChange={(o) => !pending && onOpenChange(o)}>
      <DialogContent data-testid="preset-name-dialog">
        <form
          className="grid grid-cols-1 gap-4"
          onSubmit={async (e) => {
            e.preventDefault();
            if (invalid) return setError(invalid);
            setPending(true);
            const failure = await onSubmit(trimmed);
            setPending(false);
            if (failure) setError(failure);
            else onOpenChange(false);
          }}
        >
          <DialogHeader>
            <DialogTitle>{title}</DialogTitle>
            <DialogDescription>{description}</DialogDescription>
          </DialogHeader>
          <div className="grid grid-cols-1 gap-2">
            <Label htmlFor="preset-name">Name</Label>
            <Input
              id="preset-name"
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                setError(null);
              }}
              maxLength={MAX_NAME + 20}
              autoFocus
              autoComplete="off"
              aria-invalid={!!error || undefined}
              aria-describedby="preset-name-error"
              data-testid="preset-name-input"
            />
            <FieldError id="preset-name-error" errors={error} />
          </div>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)} disabled={pending}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending} data-testid="preset-name-submit">
              {pending && <Spinner label="" />}
              {submitLabel}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function formatUpdated(value: string | Date): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return "";
  return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** `fromManage`: closing returns to the manage dialog it was opened from. */
type DialogState =
  | { kind: "save" }
  | { kind: "rename"; preset: PresetSummary; fromManage: boolean }
  | { kind: "delete"; preset: PresetSummary; fromManage: boolean }
  | { kind: "manage" }
  | null;

export function PresetsMenu({
  projectId,
  presets,
  current,
  canManageAll,
  actions,
  getConfig,
  onLoad,
  onSaved,
  onRenamed,
  onDeleted,
}: {
  projectId: string;
  presets: PresetSummary[];
  current: PresetSummary | null;
  /** Project owners may rename and delete every preset; others only their own. */
  canManageAll: boolean;
  actions: PresetActions;
  getConfig: () => PlaygroundConfig;
  onLoad: (preset: PresetSummary) => void;
  onSaved: (preset: PresetSummary | null) => void;
  onRenamed: (preset: PresetSummary) => void;
  onDeleted: (presetId: string) => void;
}) {
  const [dialog, setDialog] = React.useState<DialogState>(null);
  const [deleting, setDeleting] = React.useState(false);
  const [saving, setSaving] = React.useState(false);
  const canEdit = (p: PresetSummary) => canManageAll || p.mine !== false;
  const back = (fromManage: boolean) => setDialog(fromManage ? { kind: "manage" } : null);
  // Remount name dialogs per opening so they start from the right name.
  const [openCount, setOpenCount] = React.useState(0);
  const show = (d: DialogState) => {
    setOpenCount((n) => n + 1);
    setDialog(d);
  };

  const copyLink = async (preset: PresetSummary) => {
    if (await copyText(presetLink(projectId, preset.id))) toast.success("Link copied");
    else toast.error("Couldn't copy to clipboard");
  };

  const save = async (name: string) => {
    const result = await call(() => actions.save(projectId, { name, config: getConfig() }));
    if (!result.ok) return result.error;
    toast.success(`Saved preset "${name}"`);
    onSaved(result.preset ?? null);
    return null;
  };
  const overwrite = async (preset: PresetSummary) => {
    if (!actions.update) return;
    const update = actions.update;
    setSaving(true);
    const result = await call(() => update(projectId, preset.id, getConfig()));
    setSaving(false);
    if (!result.ok) return toast.error(result.error);
    toast.success(`Saved "${preset.name}"`);
    onSaved(result.preset ? { ...preset, ...result.preset } : preset);
  };
  const rename = (preset: PresetSummary) => async (name: string) => {
    const result = await call(() => actions.rename(projectId, preset.id, name));
    if (!result.ok) return result.error;
    toast.success("Preset renamed");
    onRenamed(result.preset ?? { ...preset, name });
    return null;
  };
  const remove = async (preset: PresetSummary) => {
    setDeleting(true);
    const result = await call(() => actions.remove(projectId, preset.id));
    setDeleting(false);
    if (!result.ok) return toast.error(result.error);
    toast.success(`Deleted preset "${preset.name}"`);
    onDeleted(preset.id);
    setDialog((d) => (d?.kind === "delete" ? (d.fromManage ? { kind: "manage" } : null) : d));
  };

  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="outline" size="sm" data-testid="presets-menu" className="max-w-56">
            <Bookmark aria-hidden="true" />
            <span className="truncate max-sm:sr-only" data-testid="current-preset-name">
              {current ? current.name : "Presets"}
            </span>
            <ChevronDown aria-hidden="true" className="text-muted-foreground" />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="w-64">
          {current && actions.update && canEdit(current) && (
            <DropdownMenuItem onSelect={() => overwrite(current)} disabled={saving} data-testid="preset-save">
              <Save aria-hidden="true" />
              Save “{current.name}”
            </DropdownMenuItem>
          )}
          <DropdownMenuItem onSelect={() => show({ kind: "save" })} data-testid="preset-save-as">
            <CopyPlus aria-hidden="true" />
            Save as…
          </DropdownMenuItem>
          {current && (
            <>
              <DropdownMenuItem onSelect={() => copyLink(current)} data-testid="preset-copy-link">
                <Link2 aria-hidden="true" />
                Copy link
              </DropdownMenuItem>
              {canEdit(current) && (
                <>
                  <DropdownMenuItem onSelect={() => show({ kind: "rename", preset: current, fromManage: false })} data-testid="preset-rename">
                    <Pencil aria-hidden="true" />
                    Rename…
                  </DropdownMenuItem>
                  <DropdownMenuItem
                    variant="destructive"
                    onSelect={() => show({ kind: "delete", preset: current, fromManage: false })}
                    data-testid="preset-delete"
                  >
                    <Trash2 aria-hidden="true" />
                    Delete…
                  </DropdownMenuItem>
                </>
              )}
            </>
          )}
          <DropdownMenuSeparator />
          <DropdownMenuLabel>Load a preset</DropdownMenuLabel>
          {presets.length === 0 ? (
            <p className="px-2 pb-2 text-xs text-muted-foreground" data-testid="presets-empty">
              No presets saved in this project yet.
            </p>
          ) : (
            <div className="max-h-64 overflow-y-auto">
              {presets.map((p) => (
                <DropdownMenuItem key={p.id} onSelect={() => onLoad(p)} data-testid="preset-item" data-preset-id={p.id}>
                  <span className="min-w-0 flex-1 truncate">{p.name}</span>
                  {current?.id === p.id && <span className="text-xs text-muted-foreground">current</span>}
                </DropdownMenuItem>
              ))}
            </div>
          )}
          {presets.length > 0 && (
            <>
              <DropdownMenuSeparator />
              <DropdownMenuItem onSelect={() => show({ kind: "manage" })} data-testid="preset-manage">
                <Settings2 aria-hidden="true" />
                Manage presets…
              </DropdownMenuItem>
            </>
          )}
        </DropdownMenuContent>
      </DropdownMenu>

      {dialog?.kind === "save" && (
        <NameDialog
          key={openCount}
          open
          onOpenChange={(o) => !o && setDialog(null)}
          title="Save preset"
          description="Saves the model, messages, parameters, response format and functions. Everyone in this project can open it."
          initial={current ? `${current.name} (copy)` : ""}
          submitLabel="Save"
          onSubmit={save}
        />
      )}
      {dialog?.kind === "rename" && (
        <NameDialog
          key={openCount}
          open
          onOpenChange={(o) => !o && back(dialog.fromManage)}
          title="Rename preset"
          description="The share link stays the same."
          initial={dialog.preset.name}
          submitLabel="Rename"
          onSubmit={rename(dialog.preset)}
        />
      )}
      {dialog?.kind === "delete" && (
        <Dialog open onOpenChange={(o) => !o && !deleting && back(dialog.fromManage)}>
          <DialogContent data-testid="preset-delete-dialog">
            <DialogHeader>
              <DialogTitle>Delete preset?</DialogTitle>
              <DialogDescription>
                “{dialog.preset.name}” is deleted for everyone in this project, and its link stops working. The playground keeps what it shows now.
              </DialogDescription>
            </DialogHeader>
            <DialogFooter>
              <Button variant="outline" onClick={() => back(dialog.fromManage)} disabled={deleting}>
                Cancel
              </Button>
              <Button variant="destructive" onClick={() => remove(dialog.preset)} disabled={deleting} data-testid="preset-delete-confirm">
                {deleting && <Spinner label="" />}
                Delete
              </Button>
            </DialogFooter>
          </DialogContent>
        </Dialog>
      )}
      {dialog?.kind === "manage" && (
        <Dialog open onOpenChange={(o) => !o && setDialog(null)}>
          <DialogContent className="sm:max-w-xl" data-testid="preset-manage-dialog">
            <DialogHeader>
              <DialogTitle>Presets</DialogTitle>
              <DialogDescription>Saved playgrounds of this project.</DialogDescription>
            </DialogHeader>
            {presets.length === 0 ? (
              <p className="text-sm text-muted-foreground">No presets saved in this project yet.</p>
            ) : (
              <ul className="grid max-h-[50dvh] gap-1 overflow-y-auto">
                {presets.map((p) => (
                  <li key={p.id} className="flex items-center gap-2 rounded-md border px-3 py-2" data-testid="preset-row">
                    <div className="min-w-0 flex-1">
                      <p className="truncate text-sm font-medium">{p.name}</p>
                      <p className="truncate text-xs text-muted-foreground">
                        Updated {formatUpdated(p.updatedAt)}
                        {p.createdBy ? ` · by ${p.createdBy}` : ""}
                      </p>
                    </div>
                    <Button
                      variant="outline"
                      size="sm"
                      onClick={() => {
                        setDialog(null);
                        onLoad(p);
                      }}
                      data-testid="preset-row-load"
                    >
                      Load
                    </Button>
                    <Button variant="ghost" size="icon-sm" aria-label={`Copy link to ${p.name}`} onClick={() => copyLink(p)} data-testid="preset-row-copy-link">
                      <Link2 aria-hidden="true" />
                    </Button>
                    {canEdit(p) && (
                      <>
                        <Button
                          variant="ghost"
                          size="icon-sm"
                          aria-label={`Rename ${p.name}`}
                          onClick={() => show({ kind: "rename", preset: p, fromManage: true })}
                          data-testid="preset-row-rename"
                        >
                          <Pencil aria-hidden="true" />
                        </Button>
                        <Button
                          variant="ghost"
                          size="icon-sm"
                          aria-label={`Delete ${p.name}`}
                          className="text-muted-foreground hover:text-destructive"
                          onClick={() => show({ kind: "delete", preset: p, fromManage: true })}
                          data-testid="preset-row-delete"
                        >
                          <Trash2 aria-hidden="true" />
                        </Button>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </DialogContent>
        </Dialog>
      )}
    </>
  );
}
