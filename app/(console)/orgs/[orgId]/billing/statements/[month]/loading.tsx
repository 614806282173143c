import { StatementSkeleton } from "@/components/billing/skeletons";

export default function Loading() {
  return <StatementSkeleton />;
}
