import { Skeleton } from "@/components/ui/skeleton";
import { HeaderSkeleton, LoadingPage, TableSkeleton } from "@/components/projects/page-skeletons";

export default function Loading() {
  return (
    <LoadingPage label="Loading limits">
      <HeaderSkeleton action={false} />
      <div className="grid gap-10">
        <div className="grid gap-4">
          <Skeleton className="h-5 w-28" />
          <div className="grid gap-6 rounded-xl border bg-card p-5">
            <Skeleton className="h-7 w-20" />
            <div className="grid grid-cols-5 gap-2">
              {Array.from({ length: 5 }, (_, i) => (
                <Skeleton key={i} className="h-14" />
              ))}
            </div>
            <div className="grid gap-4 sm:grid-cols-3">
              {Array.from({ length: 3 }, (_, i) => (
                <Skeleton key={i} className="h-12" />
              ))}
            </div>
          </div>
        </div>
        <div className="grid gap-4">
          <Skeleton className="h-5 w-28" />
          <TableSkeleton columns={4} rows={4} />
        </div>
        <div className="grid gap-4">
          <Skeleton className="h-5 w-32" />
          <TableSkeleton columns={5} rows={3} />
        </div>
      </div>
    </LoadingPage>
  );
}
