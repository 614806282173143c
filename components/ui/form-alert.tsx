import { CircleAlert } from "lucide-react";
import { cn } from "@/lib/utils";

type FormAlertProps = { message?: string | null; className?: string } & Omit<React.ComponentProps<"p">, "children">;

/** A form-level error message (field errors go under their fields). Renders nothing without a message. */
export function FormAlert({ message, className, ...props }: FormAlertProps) {
  if (!message) return null;
  return (
    <p
      role="alert"
      data-testid="form-error"
      className={cn(
        "flex items-start gap-2 rounded-md border border-destructive/30 bg-destructive/10 px-3 py-2 text-sm text-destructive",
        className,
      )}
      {...props}
    >
      <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
      <span>{message}</span>
    </p>
  );
}
