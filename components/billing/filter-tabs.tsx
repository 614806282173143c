import Link from "next/link";
import { cn } from "@/lib/utils";

/** A row of links that filter a list (the current one marked), like the tier tabs of the admin pages. */
export function FilterTabs({
  label,
  items,
  current,
  testId,
}: {
  label: string;
  items: readonly { value: string; label: string; href: string }[];
  current: string;
  testId?: string;
}) {
  return (
    <nav aria-label={label} className="max-w-full overflow-x-auto" data-testid={testId}>
      <div className="inline-flex w-max rounded-lg border bg-muted/40 p-0.5">
        {items.map((item) => (
          <Link
            key={item.value || "all"}
            href={item.href}
            scroll={false}
            aria-current={item.value === current ? "page" : undefined}
            data-testid={testId ? `${testId}-${item.value || "all"}` : undefined}
            className={cn(
              "rounded-md px-3 py-1 text-sm font-medium whitespace-nowrap text-muted-foreground transition-colors outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50",
              item.value === current && "bg-background text-foreground shadow-xs",
            )}
          >
            {item.label}
          </Link>
        ))}
      </div>
    </nav>
  );
}
