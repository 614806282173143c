import { Skeleton } from "@/components/ui/skeleton";

function HeaderSkeleton({ action }: { action?: boolean }) {
  return (
    <div className="mb-6 flex flex-col gap-4 sm:mb-8 sm:flex-row sm:items-start sm:justify-between">
      <div className="space-y-2">
        <Skeleton className="h-7 w-40" />
        <Skeleton className="h-4 w-72 max-w-full" />
      </div>
      {action && <Skeleton className="h-9 w-36" />}
    </div>
  );
}

function Loading({ children }: { children: React.ReactNode }) {
  return (
    <div role="status" aria-live="polite" aria-busy="true">
      <span className="sr-only">Loading…</span>
      {children}
    </div>
  );
}

export function TableSkeleton({ rows = 5, columns = 5 }: { rows?: number; columns?: number }) {
  return (
    <div className="overflow-hidden rounded-xl border bg-card">
      <div className="flex gap-6 border-b px-4 py-3">
        {Array.from({ length: columns }, (_, i) => (
          <Skeleton key={i} className="h-3 flex-1" />
        ))}
      </div>
      {Array.from({ length: rows }, (_, r) => (
        <div key={r} className="flex items-center gap-6 border-b px-4 py-3.5 last:border-0">
          {Array.from({ length: columns }, (_, c) => (
            <Skeleton key={c} className={c === 0 ? "h-4 flex-[1.5]" : "h-4 flex-1"} />
          ))}
        </div>
      ))}
    </div>
  );
}

/** Page title + (optional) button + one or more tables. */
export function TablePageSkeleton({
  action = false,
  sections = [{ rows: 5, columns: 5 }],
  filters = false,
}: {
  action?: boolean;
  sections?: { rows: number; columns: number }[];
  filters?: boolean;
}) {
  return (
    <Loading>
      <HeaderSkeleton action={action} />
      {filters && <Skeleton className="mb-4 h-[4.75rem] w-full rounded-xl" />}
      <div className="space-y-10">
        {sections.map((s, i) => (
          <div key={i} className="space-y-3">
            {sections.length > 1 && <Skeleton className="h-4 w-32" />}
            <TableSkeleton rows={s.rows} columns={s.columns} />
          </div>
        ))}
      </div>
    </Loading>
  );
}

export function SettingsSkeleton() {
  return (
    <Loading>
      <div className="max-w-3xl">
        <HeaderSkeleton />
        <div className="space-y-6">
          <div className="rounded-xl border bg-card p-5">
            <Skeleton className="h-4 w-32" />
            <Skeleton className="mt-2 h-3 w-64 max-w-full" />
            {Array.from({ length: 3 }, (_, i) => (
              <div key={i} className="mt-6 grid gap-2 sm:grid-cols-[12rem_1fr] sm:gap-6">
                <Skeleton className="h-4 w-28" />
                <Skeleton className="h-9 w-full" />
              </div>
            ))}
          </div>
          <div className="rounded-xl border bg-card p-5">
            <Skeleton className="h-4 w-40" />
            <Skeleton className="mt-2 h-3 w-80 max-w-full" />
            <Skeleton className="mt-5 h-9 w-44" />
          </div>
        </div>
      </div>
    </Loading>
  );
}
