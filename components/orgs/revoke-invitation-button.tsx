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

type Props = { orgId: string; invitationId: string; email: string; action: FormAction };

export function RevokeInvitationButton(props: Props) {
  const [open, setOpen] = useState(false);
  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <AlertDialogTrigger asChild>
        <Button
          variant="ghost"
          size="sm"
          className="text-muted-foreground hover:text-destructive"
          aria-label={`Revoke invitation for ${props.email}`}
          data-testid="revoke-invitation-button"
        >
          Revoke
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <RevokeForm {...props} onDone={() => setOpen(false)} />
      </AlertDialogContent>
    </AlertDialog>
  );
}

function RevokeForm({ orgId, invitationId, email, action, onDone }: Props & { onDone: () => void }) {
  const { state, pending, onSubmit } = useFormAction(action, { onSuccess: onDone });
  return (
    <form onSubmit={onSubmit} className="grid gap-4">
      <input type="hidden" name="orgId" value={orgId} />
      <input type="hidden" name="invitationId" value={invitationId} />
      <AlertDialogHeader>
        <AlertDialogTitle>Revoke invitation?</AlertDialogTitle>
        <AlertDialogDescription>
          The link sent to {email} stops working right away. You can invite them again later.
        </AlertDialogDescription>
      </AlertDialogHeader>
      <FormAlert message={state && !state.ok ? state.error : null} />
      <AlertDialogFooter>
        <AlertDialogCancel>Cancel</AlertDialogCancel>
        <FormSubmitButton pending={pending} variant="destructive" pendingText="Revoking…" data-testid="confirm-revoke-button">
          Revoke invitation
        </FormSubmitButton>
      </AlertDialogFooter>
    </form>
  );
}
