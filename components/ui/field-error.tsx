import * as React from "react";
import { cn } from "@/lib/utils";

export type FieldErrorProps = Omit<React.ComponentProps<"p">, "children"> & {
  /** Error message(s), e.g. `state.fieldErrors?.name` from a zod flatten. Renders nothing when empty. */
  errors?: string | readonly string[] | null;
  children?: React.ReactNode;
};

/**
 * Small red text under a field. Give it an `id` and point the control's
 * `aria-describedby` at it (and set `aria-invalid`) for screen readers.
 */
export function FieldError({ errors, children, className, ...props }: FieldErrorProps) {
  const messages = (Array.isArray(errors) ? errors : errors ? [errors] : []).filter(Boolean);
  if (!children && messages.length === 0) return null;
  return (
    <p
      data-slot="field-error"
      role="alert"
      className={cn("text-[13px] leading-snug font-medium text-destructive", className)}
      {...props}
    >
      {children ?? messages.join(" ")}
    </p>
  );
}
