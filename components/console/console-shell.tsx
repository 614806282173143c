import * as React from "react";
import Link from "next/link";
import { cn } from "@/lib/utils";
import { ThemeToggle } from "@/components/ui/theme-toggle";
import { Header } from "@/components/console/header";
import { Logo } from "@/components/console/logo";
import { MobileSidebar, Sidebar, type SidebarSection } from "@/components/console/sidebar";
import { UserMenu, type UserMenuProps } from "@/components/console/user-menu";

export type ConsoleShellProps = {
  /** Sidebar navigation (plain data; icons are lucide names). */
  sections: SidebarSection[];
  /** Header left area, typically `<Switcher … />`. */
  switcher?: React.ReactNode;
  /** Signed-in user for the account menu; omit to hide the menu. */
  user?: Pick<UserMenuProps, "name" | "email" | "links">;
  /** Extra header items rendered before the theme toggle. */
  headerRight?: React.ReactNode;
  /** Bottom of the sidebar (e.g. a docs link). */
  sidebarFooter?: React.ReactNode;
  /** Where the logo links to. Default "/". */
  homeHref?: string;
  /** Extra classes for the `<main>` content container (default: max-w-6xl, responsive padding). */
  contentClassName?: string;
  children: React.ReactNode;
};

/**
 * Console frame: sidebar (sheet on phones) + sticky header + centered content.
 * Server component; use it from an app-router layout.
 */
export function ConsoleShell({
  sections,
  switcher,
  user,
  headerRight,
  sidebarFooter,
  homeHref = "/",
  contentClassName,
  children,
}: ConsoleShellProps) {
  const brand = (
    <Link
      href={homeHref}
      className="rounded-md outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
      aria-label="Gatehouse home"
    >
      <Logo />
    </Link>
  );

  return (
    <div className="flex min-h-dvh w-full bg-background">
      <a
        href="#main-content"
        className="sr-only z-50 rounded-md bg-background px-3 py-2 text-sm font-medium shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:ring-[3px] focus:ring-ring/50"
      >
        Skip to content
      </a>
      <Sidebar sections={sections} brand={brand} footer={sidebarFooter} />
      <div className="flex min-w-0 flex-1 flex-col">
        <Header
          leading={<MobileSidebar sections={sections} brand={brand} footer={sidebarFooter} />}
          left={switcher}
          right={
            <>
              {headerRight}
              <ThemeToggle />
              {user && <UserMenu name={user.name} email={user.email} links={user.links} />}
            </>
          }
        />
        <main
          id="main-content"
          tabIndex={-1}
          className={cn("mx-auto w-full max-w-6xl flex-1 px-4 py-6 outline-none sm:px-6 lg:px-8 lg:py-8", contentClassName)}
        >
          {children}
        </main>
      </div>
    </div>
  );
}
