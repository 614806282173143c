"use client";

import * as React from "react";
import { cn } from "@/lib/utils";

export type SegmentedOption<V extends string> = {
  value: V;
  label: React.ReactNode;
  /** Accessible name when `label` alone is ambiguous (e.g. "Write" in a grid of resources). */
  ariaLabel?: string;
  testId?: string;
  disabled?: boolean;
};

type Props<V extends string> = {
  /** Form field name: the selected value is submitted in a hidden input with this name. */
  name: string;
  options: readonly SegmentedOption<V>[];
  value: V;
  onValueChange: (value: V) => void;
  /** Accessible name of the group (or use `labelledBy`). */
  label?: string;
  labelledBy?: string;
  describedBy?: string;
  size?: "sm" | "default";
  disabled?: boolean;
  invalid?: boolean;
  className?: string;
};

/**
 * A segmented radio group ("All | Restricted | Read only"), following the WAI-ARIA radio group
 * pattern: one tab stop, arrow keys move and select, Space selects. Each option is a
 * `role="radio"` button, so it can be found by its text, its label or its role.
 */
export function SegmentedControl<V extends string>({
  name,
  options,
  value,
  onValueChange,
  label,
  labelledBy,
  describedBy,
  size = "default",
  disabled,
  invalid,
  className,
}: Props<V>) {
  const refs = React.useRef<(HTMLButtonElement | null)[]>([]);
  const enabled = options.map((o) => !(disabled || o.disabled));
  const selectedIndex = options.findIndex((o) => o.value === value);
  // The tab stop: the selected option, or the first enabled one when none is selected.
  const tabIndexOwner = selectedIndex >= 0 && enabled[selectedIndex] ? selectedIndex : enabled.indexOf(true);

  function move(from: number, step: 1 | -1) {
    for (let i = 1; i <= options.length; i++) {
      const next = (from + step * i + options.length) % options.length;
      if (enabled[next]) {
        onValueChange(options[next].value);
        refs.current[next]?.focus();
        return;
      }
    }
  }

  function onKeyDown(e: React.KeyboardEvent<HTMLButtonElement>, index: number) {
    if (e.key === "ArrowRight" || e.key === "ArrowDown") {
      e.preventDefault();
      move(index, 1);
    } else if (e.key === "ArrowLeft" || e.key === "ArrowUp") {
      e.preventDefault();
      move(index, -1);
    }
  }

  return (
    <div
      role="radiogroup"
      aria-label={labelledBy ? undefined : label}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      aria-invalid={invalid || undefined}
      aria-disabled={disabled || undefined}
      data-slot="segmented-control"
      className={cn(
        "inline-flex max-w-full items-center gap-0.5 rounded-lg border bg-muted/60 p-0.5 dark:bg-input/20",
        invalid && "border-destructive",
        className,
      )}
    >
      <input type="hidden" name={name} value={value} />
      {options.map((o, i) => {
        const checked = o.value === value;
        return (
          <button
            key={o.value}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="radio"
            aria-checked={checked}
            // Same as the visible text unless given: lets tests and tools find it by label too.
            aria-label={o.ariaLabel ?? (typeof o.label === "string" ? o.label : undefined)}
            data-state={checked ? "checked" : "unchecked"}
            data-testid={o.testId}
            disabled={!enabled[i]}
            tabIndex={i === tabIndexOwner ? 0 : -1}
            onClick={() => onValueChange(o.value)}
            onKeyDown={(e) => onKeyDown(e, i)}
            className={cn(
              "inline-flex flex-1 cursor-pointer items-center justify-center rounded-md font-medium whitespace-nowrap text-muted-foreground transition-[color,background-color,box-shadow] outline-none select-none hover:text-foreground",
              "focus-visible:ring-[3px] focus-visible:ring-ring/50 disabled:pointer-events-none disabled:opacity-50",
              "data-[state=checked]:bg-background data-[state=checked]:text-foreground data-[state=checked]:shadow-xs dark:data-[state=checked]:bg-input/60",
              size === "sm" ? "h-7 px-2.5 text-xs" : "h-8 px-3 text-sm",
            )}
          >
            {o.label}
          </button>
        );
      })}
    </div>
  );
}
