import { Skeleton } from "@/components/ui/skeleton";
import { HeaderSkeleton, LoadingPage } from "@/components/projects/page-skeletons";

export default function Loading() {
  return (
    <LoadingPage label="Loading project settings">
      <HeaderSkeleton action={false} />
      <div className="grid max-w-3xl gap-6">
        <div className="space-y-5 rounded-xl border bg-card p-5">
          <Skeleton className="h-4 w-24" />
          <Skeleton className="h-9 w-full max-w-sm" />
          <Skeleton className="h-px w-full" />
          <Skeleton className="h-6 w-72 max-w-full" />
          <Skeleton className="h-px w-full" />
          <Skeleton className="h-5 w-40" />
          <Skeleton className="h-px w-full" />
          <Skeleton className="h-5 w-20" />
        </div>
        <div className="space-y-4 rounded-xl border bg-card p-5">
          <Skeleton className="h-4 w-16" />
          <Skeleton className="h-4 w-80 max-w-full" />
          <div className="grid gap-2.5 rounded-lg border p-3 sm:grid-cols-2">
            {Array.from({ length: 4 }, (_, i) => (
              <Skeleton key={i} className="h-4 w-40" />
            ))}
          </div>
          <Skeleton className="h-5 w-72 max-w-full" />
          <Skeleton className="h-9 w-36" />
        </div>
        <div className="space-y-4 rounded-xl border bg-card p-5">
          <Skeleton className="h-4 w-28" />
          <Skeleton className="h-24 w-full rounded-lg" />
        </div>
        <Skeleton className="h-36 w-full rounded-xl" />
      </div>
    </LoadingPage>
  );
}
