import { CircleAlert, CircleCheck, CircleSlash, Clock } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";
import { statusTone } from "@/lib/requests/format";

const ICONS = { success: CircleCheck, warning: Clock, destructive: CircleAlert, muted: CircleSlash };

/** A request's HTTP status at a glance; errors show their code beside it. */
export function StatusBadge({
  status,
  errorCode,
  cancelled,
  showCode = true,
  stacked = false,
  className,
}: {
  status: number;
  errorCode: string | null;
  cancelled?: boolean;
  showCode?: boolean;
  /** The error code under the badge rather than beside it (narrow table cells). */
  stacked?: boolean;
  className?: string;
}) {
  const tone = statusTone(status, cancelled);
  const Icon = ICONS[tone];
  return (
    <span className={cn("inline-flex min-w-0", stacked ? "flex-col items-start gap-0.5" : "items-center gap-1.5", className)}>
      <Badge variant={tone} className="tabular-nums" data-testid="request-status" data-status={status}>
        <Icon aria-hidden="true" />
        {status}
      </Badge>
      {showCode && errorCode && (
        <span className={cn("truncate font-mono text-xs text-muted-foreground", stacked && "max-w-[10rem]")} title={errorCode} data-testid="request-error-code">
          {errorCode}
        </span>
      )}
    </span>
  );
}
