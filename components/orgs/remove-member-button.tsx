"use client";

import { useState } from "react";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { FormAlert } from "@/components/ui/form-alert";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

type Props = { orgId: string; orgName: string; userId: string; memberLabel: string; action: FormAction };

export function RemoveMemberButton(props: Props) {
  const [open, setOpen] = useState(false);
  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <AlertDialogTrigger asChild>
        <Button
          variant="ghost"
          size="sm"
          className="text-muted-foreground hover:text-destructive"
          aria-label={`Remove ${props.memberLabel}`}
          data-testid="remove-member-button"
        >
          Remove
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <RemoveMemberForm {...props} onDone={() => setOpen(false)} />
      </AlertDialogContent>
    </AlertDialog>
  );
}

function RemoveMemberForm({ orgId, orgName, userId, memberLabel, action, onDone }: Props & { onDone: () => void }) {
  const { state, pending, onSubmit } = useFormAction(action, { onSuccess: onDone });
  return (
    <form onSubmit={onSubmit} className="grid gap-4">
      <input type="hidden" name="orgId" value={orgId} />
      <input type="hidden" name="userId" value={userId} />
      <AlertDialogHeader>
        <AlertDialogTitle>Remove {memberLabel}?</AlertDialogTitle>
        <AlertDialogDescription>
          They immediately lose access to {orgName} and every project in it. You can invite them again later.
        </AlertDialogDescription>
      </AlertDialogHeader>
      <FormAlert message={state && !state.ok ? state.error : null} />
      <AlertDialogFooter>
        <AlertDialogCancel>Cancel</AlertDialogCancel>
        <FormSubmitButton pending={pending} variant="destructive" pendingText="Removing…" data-testid="confirm-remove-button">
          Remove member
        </FormSubmitButton>
      </AlertDialogFooter>
    </form>
  );
}
