import { cn } from "@/lib/utils";

/** A label-left / control-right row of a settings card; stacks on phones. */
export function SettingRow({
  label,
  htmlFor,
  hint,
  className,
  children,
}: {
  label: string;
  htmlFor?: string;
  hint?: string;
  className?: string;
  children: React.ReactNode;
}) {
  const hintId = htmlFor ? `${htmlFor}-hint` : undefined;
  return (
    <div className={cn("grid gap-2 py-5 sm:grid-cols-[minmax(0,12rem)_minmax(0,1fr)] sm:gap-6", className)}>
      <div className="space-y-1">
        {htmlFor ? (
          <label htmlFor={htmlFor} className="text-sm font-medium">
            {label}
          </label>
        ) : (
          <p className="text-sm font-medium">{label}</p>
        )}
        {hint && (
          <p id={hintId} className="text-[13px] leading-snug text-muted-foreground">
            {hint}
          </p>
        )}
      </div>
      <div className="min-w-0 self-center">{children}</div>
    </div>
  );
}
