"use client";

import * as React from "react";
import { FieldError } from "@/components/ui/field-error";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FormAlert } from "@/components/ui/form-alert";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

const FIELDS = ["name"] as const;

export function RenameProjectForm({
  projectId,
  projectName,
  action,
}: {
  projectId: string;
  projectName: string;
  action: FormAction;
}) {
  const uid = React.useId();
  const [name, setName] = React.useState(projectName);
  const [savedName, setSavedName] = React.useState(projectName);
  // Follow the saved name after a refresh (this save, or a rename elsewhere).
  if (savedName !== projectName) {
    setSavedName(projectName);
    setName(projectName);
  }
  const { pending, onSubmit, onInput, fieldErrors: fe, formError } = useFormAction(action, { fields: FIELDS });
  const changed = name.trim() !== projectName;

  return (
    <form
      onSubmit={onSubmit}
      onInput={onInput}
      noValidate
      className="grid gap-1.5 sm:grid-cols-[10rem_1fr] sm:items-start sm:gap-4"
    >
      <input type="hidden" name="projectId" value={projectId} />
      <Label htmlFor={`${uid}-name`} className="sm:h-9">
        Project name
      </Label>
      <div className="grid min-w-0 gap-2">
        <div className="flex flex-col gap-2 sm:flex-row">
          <Input
            id={`${uid}-name`}
            name="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={80}
            required
            autoComplete="off"
            className="sm:max-w-sm"
            aria-invalid={!!fe.name || undefined}
            aria-describedby={fe.name ? `${uid}-name-error` : undefined}
            data-testid="project-name-input"
          />
          <FormSubmitButton
            variant="outline"
            pending={pending}
            pendingText="Saving…"
            disabled={!changed}
            data-testid="rename-project-submit"
          >
            Save
          </FormSubmitButton>
        </div>
        <FieldError id={`${uid}-name-error`} errors={fe.name} />
        <FormAlert message={formError} />
      </div>
    </form>
  );
}
