"use client";

import { useState } from "react";
import { Input } from "@/components/ui/input";
import { FieldError } from "@/components/ui/field-error";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { FormAlert } from "@/components/ui/form-alert";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

export function RenameOrgForm({
  orgId,
  orgName,
  canEdit,
  action,
}: {
  orgId: string;
  orgName: string;
  canEdit: boolean;
  action: FormAction;
}) {
  const [name, setName] = useState(orgName);
  const { pending, onSubmit, onInput, fieldErrors: fe, formError } = useFormAction(action, { fields: ["name"] });

  if (!canEdit) {
    return <Input id="org-name" readOnly value={orgName} data-testid="org-name-input" aria-readonly="true" />;
  }

  const unchanged = name.trim() === orgName;
  return (
    <form onSubmit={onSubmit} onInput={onInput} noValidate className="space-y-2">
      <input type="hidden" name="orgId" value={orgId} />
      <div className="flex flex-col gap-2 sm:flex-row">
        <Input
          id="org-name"
          name="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={80}
          required
          autoComplete="organization"
          aria-invalid={!!fe.name || undefined}
          aria-describedby={fe.name ? "org-name-error" : undefined}
          data-testid="org-name-input"
        />
        <FormSubmitButton pending={pending} disabled={unchanged} pendingText="Saving…" data-testid="org-name-save" className="sm:w-24">
          Save
        </FormSubmitButton>
      </div>
      <FieldError id="org-name-error">{fe.name}</FieldError>
      <FormAlert message={formError} />
    </form>
  );
}
