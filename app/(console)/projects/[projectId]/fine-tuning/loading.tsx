import { HeaderSkeleton, LoadingPage, TableSkeleton } from "@/components/projects/page-skeletons";

export default function Loading() {
  return (
    <LoadingPage label="Loading fine-tuning jobs">
      <HeaderSkeleton />
      <TableSkeleton columns={8} rows={4} />
    </LoadingPage>
  );
}
