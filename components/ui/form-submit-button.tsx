"use client";

import * as React from "react";
import { useFormStatus } from "react-dom";
import { Button, type ButtonProps } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";

export type FormSubmitButtonProps = Omit<ButtonProps, "type" | "asChild"> & {
  /** Text shown while the form is submitting (defaults to the normal children). */
  pendingText?: React.ReactNode;
  /** The pending state of a form submitted through `useFormAction`'s `onSubmit`. */
  pending?: boolean;
};

/**
 * Submit button rendered inside a form: disabled with a spinner while `pending` (or while a
 * `<form action>` it belongs to is submitting).
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
