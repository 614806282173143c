"use client";

import * as React from "react";
import { Plus, Ticket, TriangleAlert } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { FormAlert } from "@/components/ui/form-alert";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";
import { TextField } from "@/components/admin/form-fields";
import type { CodeRow, CreatedCodes } from "./admin-types";

const STATUS: Record<CodeRow["status"], { label: string; variant: "success" | "muted" | "warning" | "destructive" }> = {
  active: { label: "Active", variant: "success" },
  used_up: { label: "Used up", variant: "muted" },
  expired: { label: "Expired", variant: "warning" },
  revoked: { label: "Revoked", variant: "destructive" },
};

/** "Create codes": the form, then the codes once, with copy-all. */
export function CreateCodesDialog({ action }: { action: FormAction<CreatedCodes> }) {
  const [open, setOpen] = React.useState(false);
  // Remounting after each close gives a fresh form and drops the codes from memory.
  const [session, setSession] = React.useState(0);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button data-testid="create-codes-button">
          <Plus aria-hidden="true" />
          Create codes
        </Button>
      </DialogTrigger>
      <CreateCodesContent key={session} action={action} onDone={() => setOpen(false)} onClosed={() => setSession((s) => s + 1)} />
    </Dialog>
  );
}

const FIELDS = ["amount", "count", "maxRedemptions", "expiresInDays", "creditDays", "note"] as const;

function CreateCodesContent({ action, onDone, onClosed }: { action: FormAction<CreatedCodes>; onDone: () => void; onClosed: () => void }) {
  const { state, pending, onSubmit, onInput, fieldErrors: fe, formError } = useFormAction(action, { fields: FIELDS });
  const created = state?.ok ? state.data : undefined;
  // Once the codes are on screen only Done or the close button dismiss them: they are never
  // shown again.
  const guard = (e: Event) => {
    if (created || pending) e.preventDefault();
  };

  return (
    <DialogContent className="sm:max-w-xl" onInteractOutside={guard} onEscapeKeyDown={guard} onCloseAutoFocus={onClosed} data-testid="create-codes-dialog">
      {created ? (
        <>
          <DialogHeader>
            <DialogTitle>Save your {created.codes.length === 1 ? "code" : `${created.codes.length} codes`}</DialogTitle>
            <DialogDescription>
              Each gives {created.amount} of credit
              {created.maxRedemptions > 1 ? `, to up to ${created.maxRedemptions} organizations` : ", once"}
              {created.expires ? `, until ${created.expires}` : ""}.
            </DialogDescription>
          </DialogHeader>
          <p className="flex items-start gap-2 rounded-md border border-warning/40 bg-warning/10 px-3 py-2 text-sm" role="note">
            <TriangleAlert className="mt-0.5 size-4 shrink-0 text-[oklch(0.5_0.12_65)] dark:text-warning" aria-hidden="true" />
            <span>Copy them now. Only their last four characters are kept: they cannot be shown again.</span>
          </p>
          <textarea
            readOnly
            value={created.codes.join("\n")}
            rows={Math.min(10, created.codes.length + 1)}
            aria-label="Created codes"
            className="w-full resize-y rounded-md border bg-muted/40 px-3 py-2 font-mono text-sm outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
            onFocus={(e) => e.currentTarget.select()}
            data-testid="created-codes"
          />
          <DialogFooter>
            <CopyButton
              value={created.codes.join("\n")}
              label={created.codes.length === 1 ? "Copy code" : "Copy all"}
              showLabel
              variant="outline"
              size="default"
              toastMessage={created.codes.length === 1 ? "Code copied" : `${created.codes.length} codes copied`}
              data-testid="copy-codes-button"
            />
            <Button onClick={onDone} data-testid="codes-done-button">
              Done
            </Button>
          </DialogFooter>
        </>
      ) : (
        <>
          <DialogHeader>
            <DialogTitle>Create redemption codes</DialogTitle>
            <DialogDescription>Organization owners redeem a code on their Billing page to add its credit.</DialogDescription>
          </DialogHeader>
          <form onSubmit={onSubmit} onInput={onInput} noValidate className="grid gap-5">
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField label="Credit per code" name="amount" prefix="$" inputMode="decimal" placeholder="10.00" error={fe.amount} testId="code-amount-input" autoFocus />
              <TextField label="Number of codes" name="count" inputMode="numeric" defaultValue="1" error={fe.count} hint="At most 500 at once." testId="code-count-input" />
              <TextField
                label="Redemptions per code"
                name="maxRedemptions"
                inputMode="numeric"
                defaultValue="1"
                error={fe.maxRedemptions}
                hint="How many organizations may redeem each code (each once)."
                testId="code-max-input"
              />
              <TextField
                label="Code valid for"
                name="expiresInDays"
                inputMode="numeric"
                placeholder="No expiry"
                suffix="days"
                error={fe.expiresInDays}
                hint="After this it cannot be redeemed. Blank: no expiry."
                testId="code-expiry-input"
              />
              <TextField
                label="Credit lasts"
                name="creditDays"
                inputMode="numeric"
                placeholder="Never expires"
                suffix="days"
                error={fe.creditDays}
                hint="From redemption; what is left then is written off. Blank: never."
                testId="code-credit-days-input"
              />
              <TextField label="Note" name="note" placeholder="e.g. Hackathon March" maxLength={200} error={fe.note} hint="Only administrators see it." testId="code-note-input" />
            </div>
            <FormAlert message={formError} />
            <DialogFooter>
              <FormSubmitButton pending={pending} pendingText="Creating…" data-testid="create-codes-submit">
                Create codes
              </FormSubmitButton>
            </DialogFooter>
          </form>
        </>
      )}
    </DialogContent>
  );
}

export function CodesTable({ rows, revokeAction }: { rows: CodeRow[]; revokeAction: FormAction }) {
  const [revoking, setRevoking] = React.useState<CodeRow | null>(null);
  const [open, setOpen] = React.useState(false);

  if (rows.length === 0) {
    return (
      <EmptyState
        icon={Ticket}
        title="No redemption codes yet"
        description="Create codes to hand out credit: each is shown once, when created."
        data-testid="codes-empty"
      />
    );
  }

  return (
    <>
      <div className="overflow-hidden rounded-xl border bg-card">
        <Table data-testid="codes-table">
          <TableHeader className="bg-muted/40">
            <TableRow className="hover:bg-transparent">
              <TableHead className="pl-4">Code</TableHead>
              <TableHead className="text-right">Credit</TableHead>
              <TableHead className="text-right">Uses</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Code expires</TableHead>
              <TableHead>Credit lasts</TableHead>
              <TableHead>Note</TableHead>
              <TableHead>Created</TableHead>
              <TableHead className="pr-4 text-right">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((c) => (
              <TableRow key={c.id} data-testid="code-row" data-hint={c.hint} data-status={c.status}>
                <TableCell className="pl-4 font-mono text-[13px]">…{c.hint}</TableCell>
                <TableCell className="text-right font-medium tabular-nums">{c.amount}</TableCell>
                <TableCell className="text-right tabular-nums" data-testid="code-uses">
                  {c.uses}/{c.maxUses}
                </TableCell>
                <TableCell>
                  <Badge variant={STATUS[c.status].variant}>{STATUS[c.status].label}</Badge>
                </TableCell>
                <TableCell className="text-muted-foreground">{c.expires ?? "Never"}</TableCell>
                <TableCell className="text-muted-foreground">{c.creditDays === null ? "Never expires" : `${c.creditDays} days`}</TableCell>
                <TableCell className="max-w-[12rem] truncate text-muted-foreground" title={c.note || undefined}>
                  {c.note || "—"}
                </TableCell>
                <TableCell className="text-muted-foreground">{c.created}</TableCell>
                <TableCell className="pr-3 text-right">
                  {c.status === "active" && (
                    <Button
                      variant="ghost"
                      size="sm"
                      className="text-destructive hover:text-destructive"
                      onClick={() => {
                        setRevoking(c);
                        setOpen(true);
                      }}
                      aria-label={`Revoke code …${c.hint}`}
                      data-testid="revoke-code-button"
                    >
                      Revoke
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Revoke code …${revoking?.hint ?? ""}?`}
        description={
          revoking
            ? `It can no longer be redeemed (${revoking.uses} of ${revoking.maxUses} uses made). Credit already added to organizations stays.`
            : ""
        }
        confirmLabel="Revoke code"
        pendingLabel="Revoking…"
        action={revokeAction}
        fields={{ codeId: revoking?.id ?? "" }}
        confirmTestId="confirm-revoke-code"
      />
    </>
  );
}
