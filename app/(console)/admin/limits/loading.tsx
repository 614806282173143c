import { Skeleton } from "@/components/ui/skeleton";
import { HeaderSkeleton, LoadingPage, TableSkeleton } from "@/components/projects/page-skeletons";

export default function Loading() {
  return (
    <LoadingPage label="Loading limits">
      <HeaderSkeleton action={false} />
      <div className="grid gap-10">
        <div className="grid gap-4">
          <div className="flex items-end justify-between">
            <Skeleton className="h-5 w-28" />
            <Skeleton className="h-8 w-80 max-w-full" />
          </div>
          <TableSkeleton columns={5} rows={4} />
        </div>
        <div className="grid gap-4">
          <Skeleton className="h-5 w-32" />
          <TableSkeleton columns={5} rows={3} />
        </div>
      </div>
    </LoadingPage>
  );
}
