import { AdminBillingSkeleton } from "@/components/billing/skeletons";

export default function Loading() {
  return <AdminBillingSkeleton />;
}
