import { TablePageSkeleton } from "@/components/orgs/skeletons";

export default function Loading() {
  return <TablePageSkeleton filters sections={[{ rows: 8, columns: 5 }]} />;
}
