import * as React from "react";
import { TriangleAlert } from "lucide-react";
import { cn } from "@/lib/utils";

/** Shown at the top of every project page while the project is archived. Renders nothing otherwise. */
export function ArchivedBanner({
  status,
  action,
  className,
}: {
  status: "active" | "archived";
  /** Optional control on the right, e.g. an Unarchive button on the settings page. */
  action?: React.ReactNode;
  className?: string;
}) {
  if (status !== "archived") return null;
  return (
    <div
      role="status"
      data-testid="archived-banner"
      className={cn(
        "mb-6 flex flex-col gap-3 rounded-lg border border-warning/40 bg-warning/10 px-4 py-3 text-sm sm:flex-row sm:items-center sm:justify-between dark:bg-warning/10",
        className,
      )}
    >
      <div className="flex items-start gap-2.5">
        <TriangleAlert className="mt-0.5 size-4 shrink-0 text-[oklch(0.55_0.13_65)] dark:text-warning" aria-hidden="true" />
        <p className="font-medium text-foreground">This project is archived. Its API keys do not work.</p>
      </div>
      {action && <div className="shrink-0">{action}</div>}
    </div>
  );
}
