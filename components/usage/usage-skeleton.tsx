import { Skeleton } from "@/components/ui/skeleton";

/** The usage page while its data loads: the same blocks, so nothing jumps when it arrives. */
export function UsageSkeleton() {
  return (
    <div role="status" aria-live="polite" aria-busy="true" data-testid="usage-loading">
      <span className="sr-only">Loading usage…</span>
      <div className="mb-6 flex flex-col gap-4 sm:mb-8 sm:flex-row sm:items-start sm:justify-between">
        <div className="space-y-2">
          <Skeleton className="h-7 w-28" />
          <Skeleton className="h-4 w-80 max-w-full" />
        </div>
        <Skeleton className="h-8 w-32" />
      </div>
      <div className="space-y-4">
        <Skeleton className="h-[8.5rem] w-full rounded-xl sm:h-[7.25rem]" />
        <Skeleton className="h-4 w-64" />
        <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
          {Array.from({ length: 4 }, (_, i) => (
            <div key={i} className="rounded-xl border bg-card p-4">
              <Skeleton className="h-3 w-20" />
              <Skeleton className="mt-3 h-7 w-24" />
              <Skeleton className="mt-2 h-3 w-16" />
            </div>
          ))}
        </div>
        <div className="grid gap-4 lg:grid-cols-2">
          {[true, false, false, true].map((wide, i) => (
            <div key={i} className={wide ? "rounded-xl border bg-card p-4 lg:col-span-2" : "rounded-xl border bg-card p-4"}>
              <Skeleton className="h-4 w-24" />
              <Skeleton className="mt-4 h-[240px] w-full" />
            </div>
          ))}
        </div>
        <div className="overflow-hidden rounded-xl border bg-card">
          {Array.from({ length: 6 }, (_, r) => (
            <div key={r} className="flex items-center gap-6 border-b px-4 py-3.5 last:border-0">
              {Array.from({ length: 6 }, (_, c) => (
                <Skeleton key={c} className={c === 0 ? "h-4 flex-[2]" : "h-4 flex-1"} />
              ))}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
