"use client";

import * as React from "react";
import { useFormStatus } from "react-dom";
import { Button, type ButtonProps } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";

export type FormSubmitButtonProps = Omit<ButtonProps, "type" | "asChild"> & {
  /** Text shown while the form is submitting (defaults to the normal children). */
  pendingText?: React.ReactNode;
  /** Force the pending look, e.g. when driven by `useActionState`'s `isPending`. */
  pending?: boolean;
};

/**
 * Submit button for `<form action={serverAction}>`. Must be rendered inside the form:
 * disables itself and shows a spinner while the action is pending.
 */
export function FormSubmitButton({
  children,
  pendingText,
  pending: pendingProp,
  disabled,
  ...props
}: FormSubmitButtonProps) {
  const status = useFormStatus();
  const pending = status.pending || Boolean(pendingProp);
  return (
    <Button
      type="submit"
      disabled={pending || disabled}
      aria-busy={pending || undefined}
      data-pending={pending ? "true" : undefined}
      {...props}
    >
      {pending && <Spinner label="" />}
      {pending && pendingText ? pendingText : children}
    </Button>
  );
}
