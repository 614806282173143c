import { Skeleton } from "@/components/ui/skeleton";
import { HeaderSkeleton, LoadingPage, TableSkeleton } from "@/components/projects/page-skeletons";

export default function Loading() {
  return (
    <LoadingPage label="Loading members">
      <HeaderSkeleton />
      <div className="grid gap-6">
        <TableSkeleton columns={4} rows={3} />
        <Skeleton className="h-16 w-full rounded-xl" />
      </div>
    </LoadingPage>
  );
}
