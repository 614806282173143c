import { HeaderSkeleton, LoadingPage, TableSkeleton } from "@/components/projects/page-skeletons";

export default function Loading() {
  return (
    <LoadingPage label="Loading providers">
      <HeaderSkeleton />
      <TableSkeleton columns={6} rows={2} />
    </LoadingPage>
  );
}
