import { UsageSkeleton } from "@/components/usage/usage-skeleton";

export default function Loading() {
  return <UsageSkeleton />;
}
