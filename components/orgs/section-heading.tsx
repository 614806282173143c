/** An h2 above a table, with an optional count. */
export function SectionHeading({ id, count, children }: { id: string; count?: number; children: React.ReactNode }) {
  return (
    <h2 id={id} className="flex items-center gap-2 text-sm font-semibold">
      {children}
      {count !== undefined && (
        <span className="rounded-full bg-muted px-2 py-0.5 text-xs font-medium text-muted-foreground tabular-nums">{count}</span>
      )}
    </h2>
  );
}
