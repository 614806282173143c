"use client";

import * as React from "react";
import { FieldError } from "@/components/ui/field-error";
import { FormAlert } from "@/components/ui/form-alert";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { Input } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

// What each tier from 2 to 5 needs for an organization to reach it automatically: cumulative
// payments and days since the first payment. Each row is its own form (inputs join it through
// the `form` attribute, so the table stays a table); the service keeps higher tiers from
// requiring less than lower ones.

export type TierRequirementRow = {
  tier: number;
  /** Dollars as typed back into the field ("50.00"), blank when the tier has none yet. */
  paid: string;
  days: string;
};

const FIELDS = ["tier", "paid", "days"] as const;

export function TierRequirementsTable({ rows, action }: { rows: TierRequirementRow[]; action: FormAction }) {
  return (
    <div className="overflow-hidden rounded-xl border bg-card">
      <Table data-testid="tier-requirements-admin-table">
        <TableHeader className="bg-muted/40">
          <TableRow className="hover:bg-transparent">
            <TableHead className="pl-4">Tier</TableHead>
            <TableHead>Amount paid</TableHead>
            <TableHead>Days since first payment</TableHead>
            <TableHead className="pr-4 text-right">
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => (
            <RequirementRow key={r.tier} row={r} action={action} />
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

function RequirementRow({ row, action }: { row: TierRequirementRow; action: FormAction }) {
  const formId = React.useId();
  const { pending, onSubmit, onInput, fieldErrors: fe, formError } = useFormAction(action, { fields: FIELDS });
  return (
    <TableRow
      data-testid="tier-requirement-admin-row"
      data-tier={row.tier}
      // Inputs live in other cells than their form: catch their edits here to clear stale errors.
      onInput={onInput as unknown as React.FormEventHandler<HTMLTableRowElement>}
      className="align-top"
    >
      <TableCell className="py-3 pl-4 align-top">
        <span className="block pt-1.5 font-medium">Tier {row.tier}</span>
        <FieldError errors={fe.tier} className="mt-1" />
        <FormAlert message={formError} className="mt-2 max-w-xs whitespace-normal" />
      </TableCell>
      <TableCell className="py-3 align-top">
        <div className="relative w-36">
          <span className="pointer-events-none absolute top-1/2 left-3 -translate-y-1/2 text-sm text-muted-foreground" aria-hidden="true">
            $
          </span>
          <Input
            form={formId}
            name="paid"
            defaultValue={row.paid}
            placeholder="0.00"
            inputMode="decimal"
            autoComplete="off"
            aria-label={`Amount paid for tier ${row.tier}, in dollars`}
            aria-invalid={!!fe.paid || undefined}
            className="h-8 pl-7"
            data-testid="tier-requirement-paid"
          />
        </div>
        <FieldError errors={fe.paid} className="mt-1 max-w-56 whitespace-normal" />
      </TableCell>
      <TableCell className="py-3 align-top">
        <div className="flex items-center gap-2">
          <Input
            form={formId}
            name="days"
            defaultValue={row.days}
            placeholder="0"
            inputMode="numeric"
            autoComplete="off"
            aria-label={`Days since the first payment for tier ${row.tier}`}
            aria-invalid={!!fe.days || undefined}
            className="h-8 w-24"
            data-testid="tier-requirement-days"
          />
          <span className="text-[13px] text-muted-foreground">days</span>
        </div>
        <FieldError errors={fe.days} className="mt-1 max-w-56 whitespace-normal" />
      </TableCell>
      <TableCell className="py-3 pr-3 text-right align-top">
        <form id={formId} onSubmit={onSubmit} noValidate className="flex justify-end">
          <input type="hidden" name="tier" value={row.tier} />
          <FormSubmitButton size="sm" variant="outline" pending={pending} pendingText="Saving…" data-testid="save-tier-requirement-button">
            Save
          </FormSubmitButton>
        </form>
      </TableCell>
    </TableRow>
  );
}
