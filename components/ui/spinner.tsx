import * as React from "react";
import { LoaderCircle } from "lucide-react";
import { cn } from "@/lib/utils";

export type SpinnerProps = React.ComponentProps<"svg"> & {
  /** Accessible label; pass `label=""` when the spinner is purely decorative (e.g. inside a busy button). */
  label?: string;
};

export function Spinner({ className, label = "Loading", ...props }: SpinnerProps) {
  const a11y = label
    ? ({ role: "status", "aria-label": label } as const)
    : ({ "aria-hidden": true } as const);
  return (
    <LoaderCircle data-slot="spinner" className={cn("size-4 animate-spin", className)} {...a11y} {...props} />
  );
}
