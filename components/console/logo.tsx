import * as React from "react";
import { cn } from "@/lib/utils";

/** Gatehouse mark (same artwork as app/icon.svg). */
export function LogoMark({ className, ...props }: React.ComponentProps<"svg">) {
  return (
    <svg viewBox="0 0 32 32" fill="none" aria-hidden="true" className={cn("size-6", className)} {...props}>
      <rect x="0.5" y="0.5" width="31" height="31" rx="7" fill="#18181b" className="stroke-transparent dark:stroke-white/15" />
      <path
        d="M7 25V13.5a9 9 0 0 1 18 0V25"
        stroke="#fafafa"
        strokeWidth="2.4"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
      <path d="M12.5 25V15.5M19.5 25V15.5M16 25V12" stroke="#5eead4" strokeWidth="2.2" strokeLinecap="round" />
      <path d="M5 25h22" stroke="#fafafa" strokeWidth="2.4" strokeLinecap="round" />
    </svg>
  );
}

/** Mark + wordmark. */
export function Logo({ className }: { className?: string }) {
  return (
    <span className={cn("inline-flex items-center gap-2 font-semibold tracking-tight", className)}>
      <LogoMark />
      <span>Gatehouse</span>
    </span>
  );
}
