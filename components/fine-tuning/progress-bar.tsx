import { cn } from "@/lib/utils";

/** A thin determinate progress bar (0–1). */
export function ProgressBar({ value, label, className, barClassName, testId }: { value: number; label: string; className?: string; barClassName?: string; testId?: string }) {
  const pct = Math.max(0, Math.min(1, Number.isFinite(value) ? value : 0)) * 100;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(pct)}
      className={cn("h-2 w-full overflow-hidden rounded-full bg-muted", className)}
      data-testid={testId}
    >
      <div className={cn("h-full rounded-full bg-foreground/70 transition-[width] duration-500 motion-reduce:transition-none", barClassName)} style={{ width: `${pct}%` }} />
    </div>
  );
}
