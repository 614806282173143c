import { BillingSkeleton } from "@/components/billing/skeletons";

export default function Loading() {
  return <BillingSkeleton />;
}
