"use client";

import * as React from "react";
import { Plus, Trash2 } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FieldError } from "@/components/ui/field-error";
import { FormAlert } from "@/components/ui/form-alert";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";
import type { LimitRow } from "./types";

const LIMIT_FIELDS = [
  { name: "rpm", label: "RPM", title: "Requests per minute" },
  { name: "tpm", label: "TPM", title: "Tokens per minute" },
  { name: "rpd", label: "RPD", title: "Requests per day" },
] as const;

const FIELDS = ["rpm", "tpm", "rpd", "model", "tier"] as const;

// Grouped digits read better in a row of large numbers; the server accepts "200,000".
const limitText = (n: number | null) => (n === null ? "" : n.toLocaleString("en-US"));

type Props = {
  tier: number;
  rows: LimitRow[];
  /** Enabled models without a row in this tier, for "Add model". */
  addableModels: string[];
  setAction: FormAction;
  removeAction: FormAction;
};

/**
 * One tier's limits, each row its own form (inputs join it through the `form` attribute, so
 * the table stays a table). Blank means unlimited; "*" is the default for every other model.
 */
export function TierLimitsTable({ tier, rows, addableModels, setAction, removeAction }: Props) {
  const [removing, setRemoving] = React.useState<string | null>(null);
  const [removeOpen, setRemoveOpen] = React.useState(false);
  return (
    <div className="grid gap-4">
      <div className="overflow-hidden rounded-xl border bg-card">
        <Table data-testid="tier-limits-table" data-tier={tier}>
          <TableHeader className="bg-muted/40">
            <TableRow className="hover:bg-transparent">
              <TableHead className="pl-4">Model</TableHead>
              {LIMIT_FIELDS.map((f) => (
                <TableHead key={f.name} title={f.title}>
                  {f.label} <span className="font-normal">({f.title.toLowerCase()})</span>
                </TableHead>
              ))}
              <TableHead className="pr-4 text-right">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((r) => (
              <TierLimitRow
                key={`${tier}:${r.model}`}
                tier={tier}
                row={r}
                action={setAction}
                onRemove={() => {
                  setRemoving(r.model);
                  setRemoveOpen(true);
                }}
              />
            ))}
          </TableBody>
        </Table>
      </div>
      <AddTierLimitForm key={tier} tier={tier} models={addableModels} defaults={rows.find((r) => r.model === "*") ?? null} action={setAction} />
      <ConfirmDialog
        open={removeOpen}
        onOpenChange={setRemoveOpen}
        title="Remove this model's tier limits?"
        description={
          <p>
            On tier {tier}, <span className="font-medium text-foreground">{removing}</span> then uses the tier&apos;s default
            limits (the &quot;*&quot; row).
          </p>
        }
        confirmLabel="Remove"
        pendingLabel="Removing…"
        action={removeAction}
        fields={{ tier: String(tier), model: removing ?? "" }}
        confirmTestId="confirm-remove-tier-limit-button"
      />
    </div>
  );
}

function TierLimitRow({ tier, row, action, onRemove }: { tier: number; row: LimitRow; action: FormAction; onRemove: () => void }) {
  const formId = React.useId();
  const { pending, onSubmit, onInput, fieldErrors: fe, formError } = useFormAction(action, { fields: FIELDS });
  const isDefault = row.model === "*";
  return (
    <TableRow
      data-testid="tier-limit-row"
      data-model={row.model}
      // Inputs live in other cells than their form: catch their edits here to clear stale errors.
      onInput={onInput as unknown as React.FormEventHandler<HTMLTableRowElement>}
      className="align-top"
    >
      <TableCell className="max-w-[16rem] py-3 pl-4 align-top">
        {isDefault ? (
          <div className="grid gap-0.5">
            <span className="font-medium">Default</span>
            <span className="text-xs text-muted-foreground">Every model without its own row</span>
          </div>
        ) : (
          <span className="block truncate pt-2 font-medium" title={row.model}>
            {row.model}
          </span>
        )}
        <FormAlert message={formError} className="mt-2 whitespace-normal" />
      </TableCell>
      {LIMIT_FIELDS.map((f) => (
        <TableCell key={f.name} className="py-3 align-top">
          <Input
            form={formId}
            name={f.name}
            defaultValue={limitText(row[f.name])}
            placeholder="Unlimited"
            inputMode="numeric"
            autoComplete="off"
            aria-label={`${f.title} for ${isDefault ? "the default" : row.model}`}
            aria-invalid={!!fe[f.name] || undefined}
            className="h-8 w-32"
            data-testid={`tier-limit-${f.name}`}
          />
          <FieldError errors={fe[f.name]} className="mt-1 max-w-32 whitespace-normal" />
        </TableCell>
      ))}
      <TableCell className="py-3 pr-3 text-right align-top">
        <form id={formId} onSubmit={onSubmit} className="flex justify-end gap-0.5">
          <input type="hidden" name="tier" value={tier} />
          <input type="hidden" name="model" value={row.model} />
          <FormSubmitButton size="sm" variant="outline" pending={pending} pendingText="Saving…" data-testid="save-tier-limit-button">
            Save
          </FormSubmitButton>
          {isDefault ? (
            <span className="inline-block size-8" aria-hidden="true" />
          ) : (
            <Button
              type="button"
              variant="ghost"
              size="icon-sm"
              className="text-muted-foreground hover:bg-destructive/10 hover:text-destructive"
              aria-label={`Remove ${row.model} from tier ${tier}`}
              title="Use the tier default"
              data-testid="remove-tier-limit-button"
              onClick={onRemove}
            >
              <Trash2 aria-hidden="true" />
            </Button>
          )}
        </form>
      </TableCell>
    </TableRow>
  );
}

function AddTierLimitForm({ tier, models, defaults, action }: { tier: number; models: string[]; defaults: LimitRow | null; action: FormAction }) {
  const uid = React.useId();
  const [session, setSession] = React.useState(0);
  const { pending, onSubmit, onInput, fieldErrors: fe, formError } = useFormAction(action, {
    fields: FIELDS,
    onSuccess: () => setSession((s) => s + 1),
  });
  if (models.length === 0) {
    return (
      <p className="text-sm text-muted-foreground" data-testid="tier-all-models-listed">
        Every enabled model has its own row on tier {tier}.
      </p>
    );
  }
  return (
    <form
      key={session}
      onSubmit={onSubmit}
      onInput={onInput}
      noValidate
      className="grid gap-3 rounded-xl border border-dashed p-4"
      data-testid="add-tier-limit-form"
    >
      <div className="flex flex-wrap items-center gap-2">
        <p className="text-sm font-medium">Give a model its own limits on tier {tier}</p>
        <Badge variant="muted">Starts from the default row</Badge>
      </div>
      <input type="hidden" name="tier" value={tier} />
      <div className="grid items-start gap-3 sm:grid-cols-[minmax(0,14rem)_repeat(3,minmax(0,8rem))_auto]">
        <div className="grid gap-1.5">
          <Label htmlFor={`${uid}-model`} className="text-xs text-muted-foreground">
            Model
          </Label>
          <Select id={`${uid}-model`} name="model" defaultValue={models[0]} className="h-8" data-testid="add-tier-limit-model">
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </Select>
          <FieldError errors={fe.model} />
        </div>
        {LIMIT_FIELDS.map((f) => (
          <div key={f.name} className="grid gap-1.5">
            <Label htmlFor={`${uid}-${f.name}`} className="text-xs text-muted-foreground" title={f.title}>
              {f.label}
            </Label>
            <Input
              id={`${uid}-${f.name}`}
              name={f.name}
              defaultValue={limitText(defaults?.[f.name] ?? null)}
              placeholder="Unlimited"
              inputMode="numeric"
              autoComplete="off"
              aria-invalid={!!fe[f.name] || undefined}
              className="h-8"
              data-testid={`add-tier-limit-${f.name}`}
            />
            <FieldError errors={fe[f.name]} />
          </div>
        ))}
        <div className="grid justify-items-start gap-1.5">
          <span className="hidden text-xs sm:block" aria-hidden="true">
            &nbsp;
          </span>
          <FormSubmitButton size="sm" pending={pending} pendingText="Adding…" data-testid="add-tier-limit-submit">
            <Plus aria-hidden="true" />
            Add
          </FormSubmitButton>
        </div>
      </div>
      <FormAlert message={formError} />
    </form>
  );
}
