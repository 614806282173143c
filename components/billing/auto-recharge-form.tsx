"use client";

import * as React from "react";
import { FormAlert } from "@/components/ui/form-alert";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";
import { CheckboxField, TextField } from "@/components/admin/form-fields";

const FIELDS = ["enabled", "threshold", "amount", "monthlyCap"] as const;

export type AutoRechargeValues = { enabled: boolean; threshold: string; amount: string; monthlyCap: string };

/** Owners' auto-recharge settings; the amounts are required only while it is on. */
export function AutoRechargeForm({ orgId, values, action }: { orgId: string; values: AutoRechargeValues; action: FormAction }) {
  const { pending, onSubmit, onInput, fieldErrors: fe, formError } = useFormAction(action, { fields: FIELDS });
  const [enabled, setEnabled] = React.useState(values.enabled);
  return (
    <form onSubmit={onSubmit} onInput={onInput} noValidate className="grid gap-5" data-testid="auto-recharge-form">
      <input type="hidden" name="orgId" value={orgId} />
      <CheckboxField
        name="enabled"
        label="Recharge automatically"
        description="When the available balance falls below the threshold, charge the amount below and add it as a payment, at most up to the monthly cap."
        checked={enabled}
        onChange={(e) => setEnabled(e.target.checked)}
        testId="auto-recharge-enabled"
      />
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField
          label="When the balance is below"
          name="threshold"
          prefix="$"
          inputMode="decimal"
          placeholder="10.00"
          defaultValue={values.threshold}
          error={fe.threshold}
          testId="auto-recharge-threshold"
        />
        <TextField
          label="Add"
          name="amount"
          prefix="$"
          inputMode="decimal"
          placeholder="25.00"
          defaultValue={values.amount}
          error={fe.amount}
          testId="auto-recharge-amount"
        />
        <TextField
          label="At most per month"
          name="monthlyCap"
          prefix="$"
          inputMode="decimal"
          placeholder="100.00"
          defaultValue={values.monthlyCap}
          error={fe.monthlyCap}
          testId="auto-recharge-monthly-cap"
        />
      </div>
      <FormAlert message={formError} />
      <div>
        <FormSubmitButton variant="outline" pending={pending} pendingText="Saving…" data-testid="auto-recharge-save">
          Save auto-recharge
        </FormSubmitButton>
      </div>
    </form>
  );
}
