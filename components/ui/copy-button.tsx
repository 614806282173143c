"use client";

import * as React from "react";
import { Check, Copy } from "lucide-react";
import { toast } from "sonner";
import { cn } from "@/lib/utils";
import { Button, type ButtonProps } from "@/components/ui/button";

/** Copy via the async Clipboard API, falling back to execCommand (plain-http self-hosted installs). */
async function writeClipboard(text: string) {
  if (typeof navigator !== "undefined" && navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const el = document.createElement("textarea");
  el.value = text;
  el.setAttribute("readonly", "");
  el.style.position = "fixed";
  el.style.opacity = "0";
  document.body.appendChild(el);
  el.select();
  try {
    if (!document.execCommand("copy")) throw new Error("copy command failed");
  } finally {
    document.body.removeChild(el);
  }
}

export type CopyButtonProps = Omit<ButtonProps, "value" | "onClick" | "asChild"> & {
  /** Text placed on the clipboard. */
  value: string;
  /** Accessible name (and visible text when `showLabel`). Default "Copy". */
  label?: string;
  /** Show `label` next to the icon instead of an icon-only button. */
  showLabel?: boolean;
  /** Toast message on success. Default "Copied". Pass `null` to suppress. */
  toastMessage?: string | null;
  onCopied?: () => void;
};

export function CopyButton({
  value,
  label = "Copy",
  showLabel = false,
  toastMessage = "Copied",
  onCopied,
  variant = "ghost",
  size,
  className,
  ...props
}: CopyButtonProps) {
  const [copied, setCopied] = React.useState(false);
  const timer = React.useRef<ReturnType<typeof setTimeout> | null>(null);

  React.useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  async function handleClick() {
    try {
      await writeClipboard(value);
      setCopied(true);
      if (toastMessage) toast.success(toastMessage);
      onCopied?.();
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => setCopied(false), 2000);
    } catch {
      toast.error("Couldn't copy to clipboard");
    }
  }

  const Icon = copied ? Check : Copy;
  return (
    <Button
      type="button"
      variant={variant}
      size={size ?? (showLabel ? "sm" : "icon-sm")}
      aria-label={showLabel ? undefined : copied ? "Copied" : label}
      data-copied={copied ? "true" : undefined}
      className={cn(!showLabel && "text-muted-foreground hover:text-foreground", className)}
      onClick={handleClick}
      {...props}
    >
      <Icon className={cn(copied && "text-success")} aria-hidden="true" />
      {showLabel && <span>{copied ? "Copied" : label}</span>}
    </Button>
  );
}
