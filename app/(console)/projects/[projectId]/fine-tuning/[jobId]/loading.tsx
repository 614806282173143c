import { Skeleton } from "@/components/ui/skeleton";
import { LoadingPage, TableSkeleton } from "@/components/projects/page-skeletons";

/** A job's page: title and status, overview, two charts, checkpoints. */
export default function Loading() {
  return (
    <LoadingPage label="Loading the fine-tuning job">
      <Skeleton className="mb-3 h-7 w-28" />
      <div className="mb-6 flex items-start justify-between gap-4">
        <div className="space-y-2">
          <Skeleton className="h-7 w-80 max-w-full" />
          <Skeleton className="h-4 w-64 max-w-full" />
        </div>
        <Skeleton className="h-9 w-32" />
      </div>
      <div className="grid gap-6">
        <div className="grid grid-cols-2 gap-4 rounded-xl border p-5 lg:grid-cols-4">
          {Array.from({ length: 8 }, (_, i) => (
            <div key={i} className="space-y-2">
              <Skeleton className="h-3 w-20" />
              <Skeleton className="h-4 w-32" />
            </div>
          ))}
        </div>
        <div className="grid gap-4 lg:grid-cols-2">
          <Skeleton className="h-[318px] rounded-xl" />
          <Skeleton className="h-[318px] rounded-xl" />
        </div>
        <TableSkeleton columns={7} rows={3} />
      </div>
    </LoadingPage>
  );
}
