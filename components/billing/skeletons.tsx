import { Skeleton } from "@/components/ui/skeleton";
import { HeaderSkeleton, LoadingPage, TableSkeleton } from "@/components/projects/page-skeletons";

// Loading states of the billing pages, shaped like the pages they stand in for.

export function BillingSkeleton() {
  return (
    <LoadingPage label="Loading billing">
      <HeaderSkeleton />
      <div className="grid grid-cols-1 gap-10">
        <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
          <div className="grid gap-4 rounded-xl border bg-card p-5">
            <Skeleton className="h-4 w-32" />
            <Skeleton className="h-10 w-44" />
            <Skeleton className="h-3 w-full max-w-md" />
            <Skeleton className="h-9 w-full" />
          </div>
          <div className="grid gap-4 rounded-xl border bg-card p-5">
            <Skeleton className="h-4 w-28" />
            <Skeleton className="h-7 w-32" />
            <Skeleton className="h-8 w-48" />
          </div>
        </div>
        <div className="grid gap-4">
          <Skeleton className="h-5 w-24" />
          <TableSkeleton columns={5} rows={3} />
        </div>
        <div className="grid gap-4">
          <Skeleton className="h-5 w-28" />
          <Skeleton className="h-40 w-full rounded-xl" />
        </div>
        <div className="grid gap-4">
          <Skeleton className="h-5 w-20" />
          <TableSkeleton columns={5} rows={6} />
        </div>
      </div>
    </LoadingPage>
  );
}

export function TablePageSkeleton({ label, columns, rows }: { label: string; columns: number; rows: number }) {
  return (
    <LoadingPage label={label}>
      <HeaderSkeleton action={false} />
      <TableSkeleton columns={columns} rows={rows} />
    </LoadingPage>
  );
}

export function StatementSkeleton() {
  return (
    <LoadingPage label="Loading statement">
      <HeaderSkeleton />
      <div className="grid gap-8">
        <div className="grid gap-4 sm:grid-cols-4">
          {Array.from({ length: 4 }, (_, i) => (
            <Skeleton key={i} className="h-20 rounded-xl" />
          ))}
        </div>
        <TableSkeleton columns={6} rows={4} />
        <TableSkeleton columns={4} rows={2} />
      </div>
    </LoadingPage>
  );
}

export function AdminBillingSkeleton() {
  return (
    <LoadingPage label="Loading billing administration">
      <HeaderSkeleton action={false} />
      <div className="grid grid-cols-1 gap-10">
        <Skeleton className="h-56 w-full rounded-xl" />
        <Skeleton className="h-72 w-full rounded-xl" />
        <div className="grid gap-4">
          <div className="flex items-end justify-between">
            <Skeleton className="h-5 w-40" />
            <Skeleton className="h-9 w-32" />
          </div>
          <TableSkeleton columns={7} rows={4} />
        </div>
      </div>
    </LoadingPage>
  );
}
