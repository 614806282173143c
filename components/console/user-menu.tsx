"use client";

import * as React from "react";
import Link from "next/link";
import { LogOut } from "lucide-react";
import { signOut } from "next-auth/react";
import { cn } from "@/lib/utils";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuGroup,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";

export type UserMenuProps = {
  name?: string | null;
  email?: string | null;
  /** Extra links shown above "Sign out" (e.g. `{ href: "/account", label: "Account" }`). */
  links?: { href: string; label: string }[];
  className?: string;
};

function initials(name?: string | null, email?: string | null) {
  const source = (name || email || "?").trim();
  const parts = source.split(/[\s@._-]+/).filter(Boolean);
  const letters = parts.length > 1 ? parts[0][0] + parts[1][0] : source.slice(0, 2);
  return letters.toUpperCase();
}

export function UserMenu({ name, email, links = [], className }: UserMenuProps) {
  const display = name || email || "Account";
  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        aria-label="Account menu"
        data-testid="user-menu-trigger"
        className={cn(
          "ml-1 inline-flex size-8 shrink-0 items-center justify-center rounded-full border bg-muted text-[11px] font-semibold text-muted-foreground transition-colors outline-none hover:bg-accent hover:text-accent-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 data-[state=open]:bg-accent",
          className,
        )}
      >
        <span aria-hidden="true">{initials(name, email)}</span>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-60" data-testid="user-menu">
        <DropdownMenuLabel className="flex min-w-0 flex-col gap-0.5 py-2 font-normal">
          <span className="truncate text-sm font-medium text-foreground" data-testid="user-menu-name">
            {display}
          </span>
          {email && email !== display && (
            <span className="truncate text-xs text-muted-foreground" data-testid="user-menu-email">
              {email}
            </span>
          )}
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        {links.length > 0 && (
          <>
            <DropdownMenuGroup>
              {links.map((link) => (
                <DropdownMenuItem key={link.href} asChild>
                  <Link href={link.href}>{link.label}</Link>
                </DropdownMenuItem>
              ))}
            </DropdownMenuGroup>
            <DropdownMenuSeparator />
          </>
        )}
        <DropdownMenuItem data-testid="sign-out" onSelect={() => void signOut({ callbackUrl: "/sign-in" })}>
          <LogOut aria-hidden="true" />
          Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
