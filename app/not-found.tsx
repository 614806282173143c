import type { Metadata } from "next";
import Link from "next/link";
import { SearchX } from "lucide-react";
import { Button } from "@/components/ui/button";
import { CenteredPage } from "@/components/orgs/centered-page";

export const metadata: Metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <CenteredPage>
      <div className="flex flex-col items-center text-center" data-testid="not-found">
        <div className="mb-5 flex size-12 items-center justify-center rounded-xl border bg-card text-muted-foreground shadow-xs">
          <SearchX className="size-6" aria-hidden="true" />
        </div>
        <p className="font-mono text-xs font-medium tracking-widest text-muted-foreground uppercase">Error 404</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight text-balance">Not found</h1>
        <p className="mt-2 max-w-sm text-sm text-balance text-muted-foreground">
          This page doesn&apos;t exist or you don&apos;t have access to it.
        </p>
        <div className="mt-6 flex flex-wrap justify-center gap-2">
          <Button asChild>
            <Link href="/" data-testid="not-found-home">
              Go to the console
            </Link>
          </Button>
        </div>
      </div>
    </CenteredPage>
  );
}
