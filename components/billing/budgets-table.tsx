"use client";

import * as React from "react";
import { Ban, Pencil } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { FormAlert } from "@/components/ui/form-alert";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";
import { TextField } from "@/components/admin/form-fields";
import { cn } from "@/lib/utils";
import type { BudgetState } from "./format";

export type BudgetRowData = {
  /** "org" or the project's id. */
  key: string;
  projectId: string | null;
  name: string;
  archived: boolean;
  spent: string;
  cap: string | null;
  alert: string | null;
  /** Values to put back into the dialog's inputs ("5.25"). */
  capInput: string;
  alertInput: string;
  remaining: string | null;
  percent: number | null;
  state: BudgetState;
  canEdit: boolean;
};

const STATE_BADGES: Record<BudgetState, { label: string; variant: "muted" | "success" | "warning" | "destructive" }> = {
  none: { label: "No budget", variant: "muted" },
  ok: { label: "Within budget", variant: "success" },
  alert: { label: "Alert reached", variant: "warning" },
  reached: { label: "Budget reached", variant: "destructive" },
};

export function BudgetsTable({
  orgId,
  rows,
  typicalRequest,
  action,
}: {
  orgId: string;
  rows: BudgetRowData[];
  /** What a typical request costs, for the "reached" explanation. */
  typicalRequest: string;
  action: FormAction;
}) {
  // The row stays set while the dialog closes, so its content animates out and focus returns
  // to the row's Edit button.
  const [editing, setEditing] = React.useState<BudgetRowData | null>(null);
  const [open, setOpen] = React.useState(false);
  const [session, setSession] = React.useState(0);
  const anyEditable = rows.some((r) => r.canEdit);

  return (
    <>
      <div className="overflow-hidden rounded-xl border bg-card">
        <Table data-testid="budgets-table">
          <TableHeader className="bg-muted/40">
            <TableRow className="hover:bg-transparent">
              <TableHead className="pl-4">Scope</TableHead>
              <TableHead className="text-right">Spent this month</TableHead>
              <TableHead className="text-right">Hard cap</TableHead>
              <TableHead className="text-right">Alert at</TableHead>
              <TableHead className="min-w-40">Used</TableHead>
              {anyEditable && (
                <TableHead className="pr-4 text-right">
                  <span className="sr-only">Actions</span>
                </TableHead>
              )}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((r) => (
              <React.Fragment key={r.key}>
                <TableRow
                  data-testid="budget-row"
                  data-scope={r.projectId ? "project" : "org"}
                  data-project-id={r.projectId ?? undefined}
                  data-state={r.state}
                  className={cn(r.state === "reached" && "border-b-0")}
                >
                  <TableCell className="max-w-[16rem] pl-4">
                    <div className="flex min-w-0 items-center gap-2">
                      <span className={cn("truncate", !r.projectId && "font-medium")} title={r.name}>
                        {r.name}
                      </span>
                      {r.archived && <Badge variant="muted">Archived</Badge>}
                    </div>
                  </TableCell>
                  <TableCell className="text-right font-medium tabular-nums" data-testid="budget-spent">
                    {r.spent}
                  </TableCell>
                  <TableCell className="text-right tabular-nums" data-testid="budget-cap">
                    {r.cap ?? <span className="text-muted-foreground">None</span>}
                  </TableCell>
                  <TableCell className="text-right tabular-nums" data-testid="budget-alert">
                    {r.alert ?? <span className="text-muted-foreground">None</span>}
                  </TableCell>
                  <TableCell>
                    <div className="flex items-center gap-3">
                      {r.percent !== null && <ProgressBar percent={r.percent} state={r.state} label={`${r.name}: ${r.percent}% of the hard cap spent`} />}
                      <Badge variant={STATE_BADGES[r.state].variant} data-testid="budget-state">
                        {STATE_BADGES[r.state].label}
                      </Badge>
                    </div>
                  </TableCell>
                  {anyEditable && (
                    <TableCell className="pr-3 text-right">
                      {r.canEdit && (
                        <Button
                          variant="outline"
                          size="sm"
                          onClick={() => {
                            setEditing(r);
                            setOpen(true);
                          }}
                          aria-label={`Edit the budget of ${r.projectId ? `project ${r.name}` : "the organization"}`}
                          data-testid="edit-budget-button"
                        >
                          <Pencil aria-hidden="true" />
                          Edit
                        </Button>
                      )}
                    </TableCell>
                  )}
                </TableRow>
                {r.state === "reached" && (
                  <TableRow className="hover:bg-transparent" data-testid="budget-reached-row" data-project-id={r.projectId ?? undefined}>
                    <TableCell colSpan={anyEditable ? 6 : 5} className="px-4 pt-0 pb-3 whitespace-normal">
                      <p
                        role="status"
                        className="flex items-start gap-2 rounded-md border border-destructive/30 bg-destructive/10 px-3 py-2 text-[13px] text-destructive"
                        data-testid="budget-reached"
                      >
                        <Ban className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
                        <span>
                          <span className="font-semibold">Budget reached</span> — the API refuses requests for{" "}
                          {r.projectId ? "this project" : "this organization"} until next month or until the cap is raised.
                          {r.remaining !== null && (
                            <span className="text-destructive/80">
                              {" "}
                              {r.remaining} is left under the cap, less than a typical request may cost ({typicalRequest}).
                            </span>
                          )}
                        </span>
                      </p>
                    </TableCell>
                  </TableRow>
                )}
              </React.Fragment>
            ))}
          </TableBody>
        </Table>
      </div>
      <Dialog open={open} onOpenChange={setOpen}>
        {editing && (
          <BudgetDialogContent key={session} orgId={orgId} row={editing} action={action} onDone={() => setOpen(false)} onClosed={() => setSession((s) => s + 1)} />
        )}
      </Dialog>
    </>
  );
}

function ProgressBar({ percent, state, label }: { percent: number; state: BudgetState; label: string }) {
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(percent)}
      className="h-1.5 w-20 shrink-0 overflow-hidden rounded-full bg-muted sm:w-28"
      title={`${percent}% of the hard cap`}
    >
      <div
        className={cn(
          "h-full rounded-full",
          state === "reached" ? "bg-destructive" : state === "alert" ? "bg-warning" : "bg-foreground/60",
        )}
        // A sliver stays visible for any spend at all.
        style={{ width: `${percent > 0 ? Math.max(2, percent) : 0}%` }}
      />
    </div>
  );
}

const FIELDS = ["cap", "alert"] as const;

function BudgetDialogContent({
  orgId,
  row,
  action,
  onDone,
  onClosed,
}: {
  orgId: string;
  row: BudgetRowData;
  action: FormAction;
  onDone: () => void;
  onClosed: () => void;
}) {
  const { pending, onSubmit, onInput, submitData, fieldErrors: fe, formError } = useFormAction(action, { fields: FIELDS, onSuccess: onDone });
  const hasBudget = row.cap !== null || row.alert !== null;

  function remove() {
    const data = new FormData();
    data.set("orgId", orgId);
    if (row.projectId) data.set("projectId", row.projectId);
    data.set("cap", "");
    data.set("alert", "");
    submitData(data);
  }

  return (
    <DialogContent onCloseAutoFocus={onClosed} data-testid="budget-dialog">
      <DialogHeader>
        <DialogTitle>{row.projectId ? `Budget of ${row.name}` : "Organization budget"}</DialogTitle>
        <DialogDescription>
          Monthly, in UTC months. {row.projectId ? "This project" : "The organization"} has spent {row.spent} this month.
        </DialogDescription>
      </DialogHeader>
      <form onSubmit={onSubmit} onInput={onInput} noValidate className="grid gap-5">
        <input type="hidden" name="orgId" value={orgId} />
        {row.projectId && <input type="hidden" name="projectId" value={row.projectId} />}
        <TextField
          label="Hard cap"
          name="cap"
          prefix="$"
          inputMode="decimal"
          placeholder="No cap"
          defaultValue={row.capInput}
          error={fe.cap}
          hint="The API refuses a request whose maximum cost would take this month's spend past the cap (429 insufficient_quota). Blank: no cap."
          testId="budget-cap-input"
          autoFocus
        />
        <TextField
          label="Alert threshold"
          name="alert"
          prefix="$"
          inputMode="decimal"
          placeholder="No alert"
          defaultValue={row.alertInput}
          error={fe.alert}
          hint="Once spend reaches it, an alert is raised (once a month) and sent to the alert webhook. Requests are not refused. Blank: no alert."
          testId="budget-alert-input"
        />
        <FormAlert message={formError} />
        <DialogFooter className="sm:justify-between">
          {hasBudget ? (
            <Button type="button" variant="ghost" className="text-destructive hover:text-destructive" disabled={pending} onClick={remove} data-testid="remove-budget-button">
              Remove budget
            </Button>
          ) : (
            <span className="hidden sm:block" />
          )}
          <FormSubmitButton pending={pending} pendingText="Saving…" data-testid="save-budget-button">
            Save budget
          </FormSubmitButton>
        </DialogFooter>
      </form>
    </DialogContent>
  );
}
