"use client";

import * as React from "react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { FieldError } from "@/components/ui/field-error";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FormAlert } from "@/components/ui/form-alert";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";
import { PermissionsFields } from "./permissions-fields";
import type { ApiKeyRow } from "./types";

const FIELDS = ["name", "mode", "permissions"] as const;

/** Edit a key's name and permissions. Controlled: the table owns `open` and the key. */
export function EditKeyDialog({
  open,
  onOpenChange,
  projectId,
  apiKey,
  action,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  projectId: string;
  apiKey: ApiKeyRow | null;
  action: FormAction;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      {apiKey && (
        <DialogContent className="sm:max-w-xl" data-testid="edit-key-dialog">
          <DialogHeader>
            <DialogTitle>Edit secret key</DialogTitle>
            <DialogDescription>
              Changes apply to <span className="font-mono text-foreground">{apiKey.redactedValue}</span> right away. The
              secret itself stays the same.
            </DialogDescription>
          </DialogHeader>
          <EditKeyForm key={apiKey.id} projectId={projectId} apiKey={apiKey} action={action} onDone={() => onOpenChange(false)} />
        </DialogContent>
      )}
    </Dialog>
  );
}

function EditKeyForm({
  projectId,
  apiKey,
  action,
  onDone,
}: {
  projectId: string;
  apiKey: ApiKeyRow;
  action: FormAction;
  onDone: () => void;
}) {
  const uid = React.useId();
  const { pending, onSubmit, onInput, fieldErrors: fe, formError } = useFormAction(action, { fields: FIELDS, onSuccess: onDone });
  return (
    <form onSubmit={onSubmit} onInput={onInput} noValidate className="grid gap-5">
      <input type="hidden" name="projectId" value={projectId} />
      <input type="hidden" name="keyId" value={apiKey.id} />
      <div className="grid gap-2">
        <Label htmlFor={`${uid}-name`}>Name</Label>
        <Input
          id={`${uid}-name`}
          name="name"
          defaultValue={apiKey.name}
          maxLength={80}
          required
          autoComplete="off"
          aria-invalid={!!fe.name || undefined}
          aria-describedby={fe.name ? `${uid}-name-error` : undefined}
          data-testid="edit-key-name-input"
        />
        <FieldError id={`${uid}-name-error`} errors={fe.name} />
      </div>
      <PermissionsFields defaultValue={apiKey.permissions} error={fe.permissions ?? fe.mode} />
      <FormAlert message={formError} />
      <DialogFooter className="pt-1">
        <DialogClose asChild>
          <Button variant="outline" disabled={pending}>
            Cancel
          </Button>
        </DialogClose>
        <FormSubmitButton pending={pending} pendingText="Saving…" data-testid="edit-key-submit">
          Save
        </FormSubmitButton>
      </DialogFooter>
    </form>
  );
}
