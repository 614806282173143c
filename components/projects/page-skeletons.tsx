import * as React from "react";
import { Skeleton } from "@/components/ui/skeleton";

/** Wrapper for a `loading.tsx`: announces `label` to screen readers, shows the skeletons. */
export function LoadingPage({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div role="status" aria-busy="true" data-testid="page-loading">
      <span className="sr-only">{label}</span>
      {children}
    </div>
  );
}

/** Placeholder for the page title block (title, description, optional action button). */
export function HeaderSkeleton({ action = true }: { action?: boolean }) {
  return (
    <div className="mb-6 flex flex-col gap-4 sm:mb-8 sm:flex-row sm:items-start sm:justify-between">
      <div className="space-y-2">
        <Skeleton className="h-7 w-40" />
        <Skeleton className="h-4 w-80 max-w-full" />
      </div>
      {action && <Skeleton className="h-9 w-40" />}
    </div>
  );
}

/** Placeholder for a bordered table like the ones on the project pages. */
export function TableSkeleton({ columns, rows = 3 }: { columns: number; rows?: number }) {
  const cols = Array.from({ length: columns }, (_, i) => i);
  return (
    <div className="overflow-hidden rounded-xl border bg-card">
      <div className="flex h-10 items-center gap-6 border-b bg-muted/40 px-4">
        {cols.map((c) => (
          <Skeleton key={c} className="h-3 flex-1" />
        ))}
      </div>
      {Array.from({ length: rows }, (_, r) => (
        <div key={r} className="flex h-12 items-center gap-6 border-b px-4 last:border-b-0">
          {cols.map((c) => (
            <Skeleton key={c} className={c === 0 ? "h-4 flex-[1.4]" : "h-4 flex-1"} />
          ))}
        </div>
      ))}
    </div>
  );
}
