"use client";

import * as React from "react";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

export type ConfirmDialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: React.ReactNode;
  description: React.ReactNode;
  /** Extra content between the description and the buttons. */
  children?: React.ReactNode;
  confirmLabel: React.ReactNode;
  pendingLabel?: React.ReactNode;
  /** Server action run on confirm, with `fields` as hidden form fields. */
  action: FormAction<unknown> | FormAction;
  fields: Record<string, string>;
  variant?: "destructive" | "default";
  confirmTestId?: string;
  onSuccess?: () => void;
};

/**
 * Confirmation for destructive actions. Render it once per table (not per row) so it stays
 * mounted while the confirmed row disappears: the toast and close happen after the action.
 * Success toasts the action's message and closes; failure toasts the error and stays open.
 */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  children,
  confirmLabel,
  pendingLabel,
  action,
  fields,
  variant = "destructive",
  confirmTestId,
  onSuccess,
}: ConfirmDialogProps) {
  const { pending, onSubmit } = useFormAction(action as FormAction<unknown>, {
    toastErrors: true,
    onSuccess: () => {
      onOpenChange(false);
      onSuccess?.();
    },
  });

  return (
    <AlertDialog open={open} onOpenChange={(next) => (pending && !next ? undefined : onOpenChange(next))}>
      <AlertDialogContent>
        <form onSubmit={onSubmit} className="grid gap-4">
          {Object.entries(fields).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <AlertDialogHeader>
            <AlertDialogTitle>{title}</AlertDialogTitle>
            <AlertDialogDescription asChild={typeof description !== "string"}>
              {typeof description === "string" ? description : <div>{description}</div>}
            </AlertDialogDescription>
          </AlertDialogHeader>
          {children}
          <AlertDialogFooter>
            <AlertDialogCancel disabled={pending}>Cancel</AlertDialogCancel>
            <FormSubmitButton variant={variant} pending={pending} pendingText={pendingLabel} data-testid={confirmTestId}>
              {confirmLabel}
            </FormSubmitButton>
          </AlertDialogFooter>
        </form>
      </AlertDialogContent>
    </AlertDialog>
  );
}
