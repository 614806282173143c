import { TablePageSkeleton } from "@/components/billing/skeletons";

export default function Loading() {
  return <TablePageSkeleton label="Loading pricing" columns={6} rows={4} />;
}
