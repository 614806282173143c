import { HeaderSkeleton, LoadingPage, TableSkeleton } from "@/components/projects/page-skeletons";

export default function Loading() {
  return (
    <LoadingPage label="Loading models">
      <HeaderSkeleton />
      <TableSkeleton columns={9} rows={4} />
    </LoadingPage>
  );
}
