"use client";

import * as React from "react";
import Link from "next/link";
import { Bot, KeyRound, Pencil, X } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { FormAlert } from "@/components/ui/form-alert";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";
import { TextField } from "@/components/admin/form-fields";
import { limitText } from "./format";

// API keys' own RPM/TPM. They apply per model on top of the project's limits, so the tighter
// of the two wins: a key limit above what the project allows for every model is accepted but
// changes nothing (the dialog says so). Project owners edit; everyone else only reads.

export type KeyLimitsRow = {
  id: string;
  name: string;
  redactedValue: string;
  projectId: string;
  projectName: string;
  owner: string | null;
  serviceAccount: boolean;
  rpmLimit: number | null;
  tpmLimit: number | null;
  expired: boolean;
  canManage: boolean;
};

/** The highest limit the project allows on any model (null: unlimited on some model). */
export type ProjectCeiling = { rpm: number | null; tpm: number | null };

const KEY_FIELDS = [
  { key: "rpm", column: "rpmLimit", label: "RPM", title: "Requests per minute" },
  { key: "tpm", column: "tpmLimit", label: "TPM", title: "Tokens per minute" },
] as const;

export function KeyLimits({
  keys,
  total,
  ceilings,
  createKeyHref,
  setAction,
  clearAction,
}: {
  keys: KeyLimitsRow[];
  /** Live keys in all, when more than are listed. */
  total: number;
  ceilings: Record<string, ProjectCeiling>;
  /** Where an owner creates a key, for the empty state. */
  createKeyHref: string | null;
  setAction: FormAction;
  clearAction: FormAction;
}) {
  const [editing, setEditing] = React.useState<KeyLimitsRow | null>(null);
  const [editOpen, setEditOpen] = React.useState(false);
  const [clearing, setClearing] = React.useState<KeyLimitsRow | null>(null);
  const [clearOpen, setClearOpen] = React.useState(false);
  const anyManageable = keys.some((k) => k.canManage);

  if (keys.length === 0) {
    return (
      <EmptyState
        icon={KeyRound}
        title="No API keys"
        description="Keys of the projects you can see appear here, with any limits of their own."
        action={
          createKeyHref && (
            <Button asChild size="sm">
              <Link href={createKeyHref}>
                <KeyRound aria-hidden="true" />
                API keys
              </Link>
            </Button>
          )
        }
        data-testid="key-limits-empty"
      />
    );
  }

  return (
    <div className="grid gap-3 *:min-w-0">
      <div className="overflow-hidden rounded-xl border bg-card">
        <Table data-testid="key-limits-table">
          <TableHeader className="bg-muted/40">
            <TableRow className="hover:bg-transparent">
              <TableHead className="pl-4">Key</TableHead>
              <TableHead>Project</TableHead>
              <TableHead>Secret key</TableHead>
              {KEY_FIELDS.map((f) => (
                <TableHead key={f.key} className="text-right" title={`${f.title}, per model`}>
                  {f.label}
                </TableHead>
              ))}
              {anyManageable && (
                <TableHead className="pr-4 text-right">
                  <span className="sr-only">Actions</span>
                </TableHead>
              )}
            </TableRow>
          </TableHeader>
          <TableBody>
            {keys.map((k) => (
              <TableRow key={k.id} data-testid="key-limit-row" data-key-id={k.id} data-key-name={k.name}>
                <TableCell className="max-w-[16rem] min-w-40 pl-4">
                  <div className="grid gap-0.5">
                    <span className="inline-flex min-w-0 items-center gap-2">
                      <span className="truncate font-medium" title={k.name}>
                        {k.name}
                      </span>
                      {k.expired && <Badge variant="destructive">Expired</Badge>}
                    </span>
                    {k.owner && (
                      <span className="inline-flex min-w-0 items-center gap-1 text-xs text-muted-foreground" title={k.owner}>
                        {k.serviceAccount && <Bot className="size-3 shrink-0" aria-label="Service account" />}
                        <span className="truncate">{k.owner}</span>
                      </span>
                    )}
                  </div>
                </TableCell>
                <TableCell className="max-w-[12rem] min-w-28 truncate" title={k.projectName}>
                  <Link href={`/projects/${k.projectId}/api-keys`} className="underline-offset-4 hover:underline">
                    {k.projectName}
                  </Link>
                </TableCell>
                <TableCell>
                  <code className="font-mono text-[13px] text-muted-foreground">{k.redactedValue}</code>
                </TableCell>
                {KEY_FIELDS.map((f) => (
                  <TableCell key={f.key} className="text-right tabular-nums" data-testid={`key-limit-${f.key}`}>
                    {k[f.column] === null ? <span className="text-muted-foreground">None</span> : <span className="font-medium">{limitText(k[f.column])}</span>}
                  </TableCell>
                ))}
                {anyManageable && (
                  <TableCell className="pr-3 text-right">
                    {k.canManage && (
                      <div className="flex justify-end gap-0.5">
                        <Button
                          variant="ghost"
                          size="icon-sm"
                          className="text-muted-foreground hover:text-foreground"
                          aria-label={`Edit the limits of ${k.name}`}
                          title="Edit key limits"
                          data-testid="edit-key-limits-button"
                          onClick={() => {
                            setEditing(k);
                            setEditOpen(true);
                          }}
                        >
                          <Pencil aria-hidden="true" />
                        </Button>
                        {k.rpmLimit !== null || k.tpmLimit !== null ? (
                          <Button
                            variant="ghost"
                            size="icon-sm"
                            className="text-muted-foreground hover:bg-destructive/10 hover:text-destructive"
                            aria-label={`Clear the limits of ${k.name}`}
                            title="Clear key limits"
                            data-testid="clear-key-limits-button"
                            onClick={() => {
                              setClearing(k);
                              setClearOpen(true);
                            }}
                          >
                            <X aria-hidden="true" />
                          </Button>
                        ) : (
                          <span className="inline-block size-8" aria-hidden="true" />
                        )}
                      </div>
                    )}
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {total > keys.length && (
        <p className="text-[13px] text-muted-foreground" data-testid="key-limits-truncated">
          Showing the newest {keys.length.toLocaleString("en-US")} of {total.toLocaleString("en-US")} keys.
        </p>
      )}
      {anyManageable && (
        <>
          <KeyLimitsDialog
            open={editOpen}
            onOpenChange={setEditOpen}
            apiKey={editing}
            ceiling={editing ? (ceilings[editing.projectId] ?? { rpm: null, tpm: null }) : { rpm: null, tpm: null }}
            action={setAction}
          />
          <ConfirmDialog
            open={clearOpen}
            onOpenChange={setClearOpen}
            title="Clear this key's limits?"
            description={
              <p>
                <span className="font-medium text-foreground">{clearing?.name}</span>{" "}
                <span className="font-mono">({clearing?.redactedValue})</span> then has no limits of its own: only its
                project&apos;s limits apply. The API applies it at once.
              </p>
            }
            confirmLabel="Clear limits"
            pendingLabel="Clearing…"
            action={clearAction}
            fields={{ projectId: clearing?.projectId ?? "", keyId: clearing?.id ?? "" }}
            confirmTestId="confirm-clear-key-limits"
          />
        </>
      )}
    </div>
  );
}

function KeyLimitsDialog({
  open,
  onOpenChange,
  apiKey,
  ceiling,
  action,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  apiKey: KeyLimitsRow | null;
  ceiling: ProjectCeiling;
  action: FormAction;
}) {
  const [session, setSession] = React.useState(0);
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-md" data-testid="key-limits-dialog" onCloseAutoFocus={() => setSession((s) => s + 1)}>
        <DialogHeader>
          <DialogTitle>Limits of {apiKey?.name ?? "this key"}</DialogTitle>
          <DialogDescription>
            Applied to each model separately, on top of the limits of {apiKey ? <span className="font-medium text-foreground">{apiKey.projectName}</span> : "its project"}
            . Blank means no limit of the key&apos;s own.
          </DialogDescription>
        </DialogHeader>
        {apiKey && (
          <KeyLimitsForm key={`${session}:${apiKey.id}`} apiKey={apiKey} ceiling={ceiling} action={action} onDone={() => onOpenChange(false)} />
        )}
      </DialogContent>
    </Dialog>
  );
}

/** "2,000" or "20_000" as typed → a number; anything else → null (the server explains). */
function typedNumber(s: string): number | null {
  const t = s.trim().replace(/[,_\s]/g, "");
  return /^\d+$/.test(t) ? Number(t) : null;
}

function KeyLimitsForm({ apiKey, ceiling, action, onDone }: { apiKey: KeyLimitsRow; ceiling: ProjectCeiling; action: FormAction; onDone: () => void }) {
  const { pending, onSubmit, onInput, fieldErrors: fe, formError } = useFormAction(action, { fields: ["rpm", "tpm"], onSuccess: onDone });
  const [typed, setTyped] = React.useState({ rpm: apiKey.rpmLimit?.toString() ?? "", tpm: apiKey.tpmLimit?.toString() ?? "" });
  // A key limit above the project's for every model is allowed, but say it does nothing today.
  const pointless = KEY_FIELDS.filter((f) => {
    const v = typedNumber(typed[f.key]);
    const max = ceiling[f.key];
    return v !== null && max !== null && v >= max;
  });
  return (
    <form onSubmit={onSubmit} onInput={onInput} noValidate className="grid gap-5">
      <input type="hidden" name="projectId" value={apiKey.projectId} />
      <input type="hidden" name="keyId" value={apiKey.id} />
      <div className="grid gap-4 sm:grid-cols-2">
        {KEY_FIELDS.map((f) => (
          <TextField
            key={f.key}
            label={`${f.label} (${f.title.toLowerCase()})`}
            name={f.key}
            inputMode="numeric"
            value={typed[f.key]}
            onChange={(e) => setTyped((t) => ({ ...t, [f.key]: e.target.value }))}
            placeholder="No key limit"
            error={fe[f.key]}
            hint={
              ceiling[f.key] === null
                ? `The project has no ${f.label} limit on some model`
                : `The project allows at most ${limitText(ceiling[f.key])} on any model`
            }
            testId={`key-limit-${f.key}-input`}
          />
        ))}
      </div>
      {pointless.length > 0 && (
        <p className="rounded-md border border-warning/40 bg-warning/10 px-3 py-2 text-[13px] leading-snug" data-testid="key-limit-no-effect">
          {pointless.map((f) => f.label).join(" and ")} at or above the project&apos;s limit for every model has no effect until the
          project&apos;s limits are raised.
        </p>
      )}
      <FormAlert message={formError} />
      <DialogFooter className="pt-1">
        <DialogClose asChild>
          <Button variant="outline" disabled={pending}>
            Cancel
          </Button>
        </DialogClose>
        <FormSubmitButton pending={pending} pendingText="Saving…" data-testid="key-limits-submit">
          Save key limits
        </FormSubmitButton>
      </DialogFooter>
    </form>
  );
}
