"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { LogOut } from "lucide-react";
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
import { Card, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { FormAlert } from "@/components/ui/form-alert";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

export function LeaveOrgCard({ orgId, orgName, action }: { orgId: string; orgName: string; action: FormAction }) {
  const [open, setOpen] = useState(false);
  return (
    <Card className="border-destructive/30" data-testid="leave-org-card">
      <CardHeader>
        <CardTitle>Leave organization</CardTitle>
        <CardDescription>
          You will lose access to <span className="font-medium text-foreground">{orgName}</span> and all of its projects.
          To come back, an owner has to invite you again.
        </CardDescription>
      </CardHeader>
      <CardFooter>
        <AlertDialog open={open} onOpenChange={setOpen}>
          <AlertDialogTrigger asChild>
            <Button variant="destructive" data-testid="leave-org-button">
              <LogOut aria-hidden="true" />
              Leave organization
            </Button>
          </AlertDialogTrigger>
          <AlertDialogContent>
            <LeaveOrgForm orgId={orgId} orgName={orgName} action={action} />
          </AlertDialogContent>
        </AlertDialog>
      </CardFooter>
    </Card>
  );
}

/** Mounted only while the dialog is open, so a previous error never shows on reopening. */
function LeaveOrgForm({ orgId, orgName, action }: { orgId: string; orgName: string; action: FormAction }) {
  const router = useRouter();
  const { state, pending, onSubmit } = useFormAction(action, {
    onSuccess: () => {
      router.replace("/");
      router.refresh();
    },
  });
  return (
    <form onSubmit={onSubmit} className="grid gap-4">
      <input type="hidden" name="orgId" value={orgId} />
      <AlertDialogHeader>
        <AlertDialogTitle>Leave {orgName}?</AlertDialogTitle>
        <AlertDialogDescription>
          You will be removed from the organization and from every project in it. This cannot be undone; only an owner
          can invite you back.
        </AlertDialogDescription>
      </AlertDialogHeader>
      <FormAlert message={state && !state.ok ? state.error : null} data-testid="leave-org-error" />
      <AlertDialogFooter>
        <AlertDialogCancel>Cancel</AlertDialogCancel>
        <FormSubmitButton pending={pending} variant="destructive" pendingText="Leaving…" data-testid="confirm-leave-button">
          Leave organization
        </FormSubmitButton>
      </AlertDialogFooter>
    </form>
  );
}
