import { TablePageSkeleton } from "@/components/billing/skeletons";

export default function Loading() {
  return <TablePageSkeleton label="Loading statements" columns={3} rows={4} />;
}
