import { Skeleton } from "@/components/ui/skeleton";

/** The request log while its first page loads: the same blocks, so nothing jumps when it arrives. */
export function RequestLogSkeleton() {
  return (
    <div role="status" aria-live="polite" aria-busy="true" data-testid="requests-loading">
      <span className="sr-only">Loading requests…</span>
      <div className="mb-6 space-y-2 sm:mb-8">
        <Skeleton className="h-7 w-32" />
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      <div className="space-y-4">
        <Skeleton className="h-[9.5rem] w-full rounded-xl sm:h-[9rem]" />
        <Skeleton className="h-4 w-64" />
        <div className="overflow-hidden rounded-xl border bg-card">
          <div className="flex items-center gap-6 border-b px-4 py-3">
            {Array.from({ length: 8 }, (_, c) => (
              <Skeleton key={c} className="h-3 flex-1" />
            ))}
          </div>
          {Array.from({ length: 10 }, (_, r) => (
            <div key={r} className="flex items-center gap-6 border-b px-4 py-3.5 last:border-0">
              {Array.from({ length: 8 }, (_, c) => (
                <Skeleton key={c} className={c === 0 ? "h-4 flex-[1.3]" : c === 4 ? "h-5 flex-1 rounded-md" : "h-4 flex-1"} />
              ))}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
