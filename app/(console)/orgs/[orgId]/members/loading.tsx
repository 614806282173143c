import { TablePageSkeleton } from "@/components/orgs/skeletons";

export default function Loading() {
  return <TablePageSkeleton action sections={[{ rows: 4, columns: 5 }, { rows: 2, columns: 4 }]} />;
}
