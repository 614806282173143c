import { RequestLogSkeleton } from "@/components/requests/request-log-skeleton";

export default function Loading() {
  return <RequestLogSkeleton />;
}
