"use client";

import * as React from "react";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";

// Labelled fields for the admin and API-settings forms: label, control, hint or error, wired
// for screen readers (aria-invalid, aria-describedby).

type TextFieldProps = Omit<React.ComponentProps<"input">, "name" | "prefix"> & {
  label: React.ReactNode;
  name: string;
  error?: string;
  hint?: React.ReactNode;
  /** Text inside the field before the value, e.g. "$". */
  prefix?: string;
  /** Text after the field, e.g. "per 1M tokens". */
  suffix?: string;
  testId?: string;
  wrapperClassName?: string;
};

export function TextField({ label, name, error, hint, prefix, suffix, testId, wrapperClassName, className, ...props }: TextFieldProps) {
  const uid = React.useId();
  const id = `${uid}-${name}`;
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className={cn("grid content-start gap-2", wrapperClassName)}>
      <Label htmlFor={id}>{label}</Label>
      <div className="flex items-center gap-2">
        <div className="relative w-full">
          {prefix && (
            <span className="pointer-events-none absolute top-1/2 left-3 -translate-y-1/2 text-sm text-muted-foreground" aria-hidden="true">
              {prefix}
            </span>
          )}
          <Input
            id={id}
            name={name}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={!!error || undefined}
            aria-describedby={describedBy}
            data-testid={testId}
            className={cn(prefix && "pl-7", className)}
            {...props}
          />
        </div>
        {suffix && <span className="shrink-0 text-[13px] whitespace-nowrap text-muted-foreground">{suffix}</span>}
      </div>
      {error ? (
        <FieldError id={`${id}-error`} errors={error} />
      ) : (
        hint && (
          <p id={`${id}-hint`} className="text-[13px] leading-snug text-muted-foreground">
            {hint}
          </p>
        )
      )}
    </div>
  );
}

/** A dollar amount per 1M tokens; blank means "not priced". */
export function PriceField(props: Omit<TextFieldProps, "prefix" | "inputMode">) {
  return <TextField prefix="$" inputMode="decimal" placeholder="Not priced" {...props} />;
}

/** A checkbox with its label on the right and an optional description under it. */
export function CheckboxField({
  label,
  description,
  testId,
  className,
  ...props
}: Omit<React.ComponentProps<"input">, "type"> & { label: React.ReactNode; description?: React.ReactNode; testId?: string }) {
  const uid = React.useId();
  return (
    <div className={cn("flex items-start gap-2.5", className)}>
      <input
        id={uid}
        type="checkbox"
        className="mt-0.5 size-4 shrink-0 accent-primary disabled:cursor-not-allowed disabled:opacity-60"
        aria-describedby={description ? `${uid}-desc` : undefined}
        data-testid={testId}
        {...props}
      />
      <div className="grid gap-0.5">
        <label htmlFor={uid} className="text-sm leading-tight font-medium">
          {label}
        </label>
        {description && (
          <p id={`${uid}-desc`} className="text-[13px] leading-snug text-muted-foreground">
            {description}
          </p>
        )}
      </div>
    </div>
  );
}
