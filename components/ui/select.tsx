import * as React from "react";
import { ChevronDown } from "lucide-react";
import { cn } from "@/lib/utils";
import { fieldClasses } from "@/components/ui/input";

export type SelectProps = React.ComponentProps<"select"> & {
  /** Class for the wrapping element (use for width/layout); `className` goes on the `<select>`. */
  wrapperClassName?: string;
};

/** Native `<select>` styled like `<Input>`. Use regular `<option>` children. */
export function Select({ className, wrapperClassName, children, ...props }: SelectProps) {
  return (
    <div data-slot="select-wrapper" className={cn("relative w-full", wrapperClassName)}>
      <select
        data-slot="select"
        className={cn(
          fieldClasses,
          "appearance-none pr-9 [&>option]:bg-popover [&>option]:text-popover-foreground",
          props.multiple && "h-auto py-2 pr-3",
          className,
        )}
        {...props}
      >
        {children}
      </select>
      {!props.multiple && (
        <ChevronDown
          aria-hidden="true"
          className="pointer-events-none absolute top-1/2 right-3 size-4 -translate-y-1/2 text-muted-foreground"
        />
      )}
    </div>
  );
}
