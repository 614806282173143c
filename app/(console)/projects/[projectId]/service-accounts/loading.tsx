import { HeaderSkeleton, LoadingPage, TableSkeleton } from "@/components/projects/page-skeletons";

export default function Loading() {
  return (
    <LoadingPage label="Loading service accounts">
      <HeaderSkeleton />
      <TableSkeleton columns={4} rows={3} />
    </LoadingPage>
  );
}
