"use client";

import * as React from "react";
import Link from "next/link";
import { CircleCheck, KeyRound, Plus } from "lucide-react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { FieldError } from "@/components/ui/field-error";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FormAlert } from "@/components/ui/form-alert";
import type { CreatedServiceAccount } from "./types";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

const FIELDS = ["name"] as const;

/** "Create service account": name form, then an offer to create a key for it. */
export function CreateServiceAccountDialog({
  projectId,
  action,
  canCreateKeys,
}: {
  projectId: string;
  action: FormAction<CreatedServiceAccount>;
  /** False for archived projects, which cannot get new keys. */
  canCreateKeys: boolean;
}) {
  const [open, setOpen] = React.useState(false);
  const [session, setSession] = React.useState(0);
  function onOpenChange(next: boolean) {
    if (next) setSession((s) => s + 1);
    setOpen(next);
  }
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button data-testid="create-service-account-button">
          <Plus aria-hidden="true" />
          Create service account
        </Button>
      </DialogTrigger>
      <CreateServiceAccountContent
        key={session}
        projectId={projectId}
        action={action}
        canCreateKeys={canCreateKeys}
        onDone={() => onOpenChange(false)}
      />
    </Dialog>
  );
}

function CreateServiceAccountContent({
  projectId,
  action,
  canCreateKeys,
  onDone,
}: {
  projectId: string;
  action: FormAction<CreatedServiceAccount>;
  canCreateKeys: boolean;
  onDone: () => void;
}) {
  const uid = React.useId();
  const { state, pending, onSubmit, onInput, fieldErrors: fe, formError } = useFormAction(action, { fields: FIELDS });
  const created = state?.ok ? state.data : undefined;

  if (created) {
    return (
      <DialogContent data-testid="service-account-created">
        <DialogHeader>
          <DialogTitle className="flex items-center gap-2">
            <CircleCheck className="size-5 text-success" aria-hidden="true" />
            Service account created
          </DialogTitle>
          <DialogDescription>
            <span className="font-medium text-foreground">{created.name}</span> has no API keys yet.{" "}
            {canCreateKeys
              ? "Create a key for it to call the API as this service account."
              : "Unarchive the project to create keys for it."}
          </DialogDescription>
        </DialogHeader>
        <DialogFooter>
          <Button variant="outline" onClick={onDone} data-testid="service-account-done-button">
            Done
          </Button>
          {canCreateKeys && (
            <Button asChild>
              <Link
                href={`/projects/${encodeURIComponent(projectId)}/api-keys?owner=${encodeURIComponent(created.id)}`}
                data-testid="create-key-for-service-account"
              >
                <KeyRound aria-hidden="true" />
                Create a key for it
              </Link>
            </Button>
          )}
        </DialogFooter>
      </DialogContent>
    );
  }

  return (
    <DialogContent>
      <DialogHeader>
        <DialogTitle>Create service account</DialogTitle>
        <DialogDescription>
          A service account is a bot member of this project. Keys it owns are not tied to any person.
        </DialogDescription>
      </DialogHeader>
      <form onSubmit={onSubmit} onInput={onInput} noValidate className="grid gap-5">
        <input type="hidden" name="projectId" value={projectId} />
        <div className="grid gap-2">
          <Label htmlFor={`${uid}-name`}>Name</Label>
          <Input
            id={`${uid}-name`}
            name="name"
            placeholder="e.g. ci-deploy"
            maxLength={80}
            required
            autoComplete="off"
            aria-invalid={!!fe.name || undefined}
            aria-describedby={fe.name ? `${uid}-name-error` : undefined}
            data-testid="service-account-name-input"
          />
          <FieldError id={`${uid}-name-error`} errors={fe.name} />
        </div>
        <FormAlert message={formError} />
        <DialogFooter className="pt-1">
          <DialogClose asChild>
            <Button variant="outline" disabled={pending}>
              Cancel
            </Button>
          </DialogClose>
          <FormSubmitButton pending={pending} pendingText="Creating…" data-testid="create-service-account-submit">
            Create
          </FormSubmitButton>
        </DialogFooter>
      </form>
    </DialogContent>
  );
}
