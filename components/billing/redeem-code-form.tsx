"use client";

import * as React from "react";
import { Ticket } from "lucide-react";
import { FieldError } from "@/components/ui/field-error";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

/** Owners redeem a code: the amount is toasted and the balance above refreshes. */
export function RedeemCodeForm({ orgId, action }: { orgId: string; action: FormAction }) {
  const formRef = React.useRef<HTMLFormElement>(null);
  const { state, pending, onSubmit, onInput } = useFormAction(action, {
    onSuccess: () => formRef.current?.reset(),
  });
  // Every refusal (unknown, expired, used, too many attempts) concerns the code: show the
  // service's full message under it, including how long to wait after too many attempts.
  const [edited, setEdited] = React.useState<typeof state>(null);
  const error = state && !state.ok && edited !== state ? state.error : null;

  return (
    <form
      ref={formRef}
      onSubmit={onSubmit}
      onInput={(e) => {
        onInput(e);
        setEdited(state);
      }}
      noValidate
      className="grid gap-2 border-t pt-4"
      data-testid="redeem-form"
    >
      <input type="hidden" name="orgId" value={orgId} />
      <Label htmlFor="redeem-code">Redeem a code</Label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <Input
          id="redeem-code"
          name="code"
          placeholder="GH-XXXX-XXXX-XXXX-XXXX"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={64}
          className="font-mono"
          aria-invalid={!!error || undefined}
          aria-describedby={error ? "redeem-code-error" : "redeem-code-hint"}
          data-testid="redeem-code-input"
        />
        <FormSubmitButton pending={pending} pendingText="Redeeming…" data-testid="redeem-code-submit" className="sm:w-32">
          <Ticket aria-hidden="true" />
          Redeem
        </FormSubmitButton>
      </div>
      {error ? (
        <FieldError id="redeem-code-error" errors={error} data-testid="redeem-code-error" />
      ) : (
        <p id="redeem-code-hint" className="text-[13px] leading-snug text-muted-foreground">
          Codes from your administrator add credit to this organization. Case and dashes do not matter.
        </p>
      )}
    </form>
  );
}
