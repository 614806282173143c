import type { FormattedDate } from "./format";

/** A server-formatted date, or `fallback` (muted) when there is none. */
export function DateText({ value, fallback = "—" }: { value: FormattedDate | null; fallback?: string }) {
  if (!value) return <span className="text-muted-foreground">{fallback}</span>;
  return (
    <time dateTime={value.iso} title={value.title}>
      {value.label}
    </time>
  );
}
