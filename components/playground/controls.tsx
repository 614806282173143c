"use client";

import * as React from "react";
import { cn } from "@/lib/utils";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

// Small controls the playground needs and components/ui does not have yet (switch, tooltip,
// slider with a number box). Plain elements, no extra dependencies.

export function Switch({
  checked,
  onCheckedChange,
  disabled,
  className,
  ...props
}: Omit<React.ComponentProps<"button">, "onChange"> & { checked: boolean; onCheckedChange: (checked: boolean) => void }) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      data-state={checked ? "checked" : "unchecked"}
      disabled={disabled}
      onClick={() => onCheckedChange(!checked)}
      className={cn(
        "inline-flex h-5 w-9 shrink-0 cursor-pointer items-center rounded-full border border-transparent p-0.5 shadow-xs transition-colors outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50 disabled:cursor-not-allowed disabled:opacity-50",
        checked ? "bg-primary" : "bg-input dark:bg-input/80",
        className,
      )}
      {...props}
    >
      <span
        aria-hidden="true"
        className={cn(
          "block size-4 rounded-full bg-background shadow-sm transition-transform dark:bg-foreground",
          checked ? "translate-x-4 dark:bg-primary-foreground" : "translate-x-0",
        )}
      />
    </button>
  );
}

/**
 * Hover/focus tooltip. Disabled buttons get no pointer events, so the wrapper is what is
 * hovered (and focusable when `focusable`), and the text is also its accessible description.
 */
export function Tooltip({
  content,
  children,
  side = "top",
  focusable = false,
  className,
}: {
  content: React.ReactNode;
  children: React.ReactNode;
  side?: "top" | "bottom";
  focusable?: boolean;
  className?: string;
}) {
  const id = React.useId();
  if (!content) return <>{children}</>;
  return (
    <span
      className={cn("group/tip relative inline-flex", className)}
      tabIndex={focusable ? 0 : undefined}
      aria-describedby={id}
    >
      {children}
      <span
        id={id}
        role="tooltip"
        className={cn(
          "pointer-events-none invisible absolute left-1/2 z-50 w-max max-w-64 -translate-x-1/2 rounded-md bg-primary px-2.5 py-1.5 text-center text-xs font-normal text-balance text-primary-foreground opacity-0 shadow-md transition-opacity group-focus-within/tip:visible group-focus-within/tip:opacity-100 group-hover/tip:visible group-hover/tip:opacity-100",
          side === "top" ? "bottom-full mb-1.5" : "top-full mt-1.5",
        )}
      >
        {content}
      </span>
    </span>
  );
}

/** A labelled slider with a number box; the box accepts any value in range, the slider steps. */
export function SliderField({
  id,
  label,
  value,
  onChange,
  min,
  max,
  step,
  hint,
  disabled,
  testId,
}: {
  id: string;
  label: string;
  value: number;
  onChange: (value: number) => void;
  min: number;
  max: number;
  step: number;
  hint?: string;
  disabled?: boolean;
  testId?: string;
}) {
  const [draft, setDraft] = React.useState<string | null>(null);
  const commit = (text: string) => {
    const n = Number(text);
    if (text.trim() !== "" && Number.isFinite(n)) onChange(Math.min(max, Math.max(min, n)));
    setDraft(null);
  };
  return (
    <div className="grid grid-cols-1 gap-2" title={hint}>
      <div className="flex items-center justify-between gap-2">
        <Label htmlFor={id} className="text-[13px] font-normal text-muted-foreground">
          {label}
        </Label>
        <Input
          id={`${id}-value`}
          aria-label={`${label} value`}
          inputMode="decimal"
          value={draft ?? String(value)}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={(e) => commit(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") commit(e.currentTarget.value);
          }}
          disabled={disabled}
          data-testid={testId ? `${testId}-input` : undefined}
          className="h-7 w-16 px-2 text-right font-mono text-xs"
        />
      </div>
      <input
        id={id}
        type="range"
        min={min}
        max={max}
        step={step}
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(Number(e.target.value))}
        data-testid={testId}
        className="h-1.5 w-full cursor-pointer accent-primary disabled:cursor-not-allowed"
      />
    </div>
  );
}

/** Clipboard write with the execCommand fallback plain-http installs need (as CopyButton does). */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
    const el = document.createElement("textarea");
    el.value = text;
    el.setAttribute("readonly", "");
    el.style.position = "fixed";
    el.style.opacity = "0";
    document.body.appendChild(el);
    el.select();
    try {
      return document.execCommand("copy");
    } finally {
      document.body.removeChild(el);
    }
  } catch {
    return false;
  }
}
