"use client";

import { FormAlert } from "@/components/ui/form-alert";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";
import { CheckboxField, TextField } from "@/components/admin/form-fields";

const FIELDS = ["signupCredit", "signupCreditDays", "enforceCredit"] as const;

export type BillingSettingsValues = { signupCredit: string; signupCreditDays: string; enforceCredit: boolean };

export function BillingSettingsForm({ values, action }: { values: BillingSettingsValues; action: FormAction }) {
  const { pending, onSubmit, onInput, fieldErrors: fe, formError } = useFormAction(action, { fields: FIELDS });
  return (
    <form onSubmit={onSubmit} onInput={onInput} noValidate className="grid gap-5" data-testid="billing-settings-form">
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Sign-up credit"
          name="signupCredit"
          prefix="$"
          inputMode="decimal"
          placeholder="0.00"
          defaultValue={values.signupCredit}
          error={fe.signupCredit}
          hint="Granted to every new organization when it is created. 0 for none."
          testId="signup-credit-input"
        />
        <TextField
          label="Sign-up credit lasts"
          name="signupCreditDays"
          inputMode="numeric"
          placeholder="Never expires"
          suffix="days"
          defaultValue={values.signupCreditDays}
          error={fe.signupCreditDays}
          hint="What is left of it then is written off. Blank: it never expires."
          testId="signup-credit-days-input"
        />
      </div>
      <CheckboxField
        name="enforceCredit"
        label="Enforce prepaid credit"
        defaultChecked={values.enforceCredit}
        testId="enforce-credit-checkbox"
        description={
          <>
            On: the API refuses requests (429 <code className="font-mono text-xs">insufficient_quota</code>) once an organization&apos;s
            credit is used up, until credit is added. Off: usage is still charged to the ledger, and balances may go below zero. Monthly
            budget caps apply either way.
          </>
        }
      />
      <FormAlert message={formError} />
      <div>
        <FormSubmitButton pending={pending} pendingText="Saving…" data-testid="save-billing-settings">
          Save settings
        </FormSubmitButton>
      </div>
    </form>
  );
}
