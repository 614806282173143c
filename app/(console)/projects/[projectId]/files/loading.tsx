import { HeaderSkeleton, LoadingPage, TableSkeleton } from "@/components/projects/page-skeletons";
import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <LoadingPage label="Loading files">
      <HeaderSkeleton />
      <Skeleton className="mb-4 h-8 w-96 max-w-full" />
      <TableSkeleton columns={6} rows={4} />
    </LoadingPage>
  );
}
