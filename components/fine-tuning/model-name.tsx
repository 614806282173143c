"use client";

import { CopyButton } from "@/components/ui/copy-button";
import { cn } from "@/lib/utils";

/** A model id in monospace, truncated when long, with a copy button. */
export function ModelName({ id, className, testId }: { id: string; className?: string; testId?: string }) {
  return (
    <span className={cn("inline-flex min-w-0 max-w-full items-center gap-0.5", className)}>
      <code className="truncate font-mono text-xs" title={id} data-testid={testId}>
        {id}
      </code>
      <CopyButton value={id} label={`Copy ${id}`} toastMessage="Model name copied" className="size-7 shrink-0" />
    </span>
  );
}
