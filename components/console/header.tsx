import * as React from "react";
import { cn } from "@/lib/utils";

export type HeaderProps = {
  /** Leftmost slot, e.g. `<MobileSidebar>` menu button (only visible on phones). */
  leading?: React.ReactNode;
  /** Left area: org / project switcher, breadcrumbs. Truncates on narrow screens. */
  left?: React.ReactNode;
  /** Right area: theme toggle, user menu. */
  right?: React.ReactNode;
  className?: string;
};

/** Sticky top bar of the console. Server-friendly (no client hooks). */
export function Header({ leading, left, right, className }: HeaderProps) {
  return (
    <header
      data-testid="console-header"
      className={cn(
        "sticky top-0 z-30 flex h-14 shrink-0 items-center gap-2 border-b bg-background/90 px-3 backdrop-blur supports-[backdrop-filter]:bg-background/75 sm:px-6",
        className,
      )}
    >
      {leading}
      <div className="flex min-w-0 flex-1 items-center gap-1">{left}</div>
      {right && <div className="flex shrink-0 items-center gap-1">{right}</div>}
    </header>
  );
}
