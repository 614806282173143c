import { Ban, CircleAlert, CircleCheck, Clock, LoaderCircle, SearchCheck } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";
import { STATUS_LABEL } from "./format";
import type { JobStatus } from "./types";

const STYLE: Record<JobStatus, { variant: "success" | "warning" | "destructive" | "muted" | "secondary"; icon: typeof Clock; spin?: boolean }> = {
  validating_files: { variant: "secondary", icon: SearchCheck },
  queued: { variant: "secondary", icon: Clock },
  running: { variant: "warning", icon: LoaderCircle, spin: true },
  succeeded: { variant: "success", icon: CircleCheck },
  failed: { variant: "destructive", icon: CircleAlert },
  cancelled: { variant: "muted", icon: Ban },
};

export function JobStatusBadge({ status, className }: { status: JobStatus; className?: string }) {
  const s = STYLE[status] ?? STYLE.queued;
  const Icon = s.icon;
  return (
    <Badge variant={s.variant} className={className} data-testid="job-status" data-status={status}>
      <Icon aria-hidden="true" className={cn(s.spin && "animate-spin motion-reduce:animate-none")} />
      {STATUS_LABEL[status] ?? status}
    </Badge>
  );
}
