import Link from "next/link";
import { Logo } from "@/components/console/logo";
import { ThemeToggle } from "@/components/ui/theme-toggle";

/** A full-screen page with the logo and a centered column, for pages outside the console. */
export function CenteredPage({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col bg-muted/30">
      <header className="flex items-center justify-between px-6 py-4">
        <Link href="/" aria-label="Gatehouse home" className="rounded-md outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50">
          <Logo />
        </Link>
        <ThemeToggle />
      </header>
      <main className="flex flex-1 items-start justify-center px-4 pt-8 pb-16 sm:pt-16">
        <div className="w-full max-w-sm">{children}</div>
      </main>
    </div>
  );
}
