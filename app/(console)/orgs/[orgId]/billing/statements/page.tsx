import type { Metadata } from "next";
import Link from "next/link";
import { ArrowLeft, ChevronRight, FileText } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { monthLabel } from "@/components/billing/format";
import { listStatementMonths } from "@/lib/billing/statements";
import { utcMonth } from "@/lib/billing/money";
import { loadOrgPage, pageData } from "@/lib/console/page-access";

export const metadata: Metadata = { title: "Statements" };

export default async function StatementsPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const { actor, access } = await loadOrgPage(orgId);
  const months = await pageData(listStatementMonths(actor, access.orgId));
  const current = utcMonth(new Date()).month;
  const base = `/orgs/${encodeURIComponent(access.orgId)}/billing`;

  return (
    <div className="max-w-3xl">
      <PageHeader
        title="Statements"
        description={`Monthly statements of ${access.orgName}: opening balance, usage per project and model, credits and other entries, and the closing balance. Months are UTC months.`}
        actions={
          <Button asChild variant="outline" size="sm">
            <Link href={base}>
              <ArrowLeft aria-hidden="true" />
              Billing
            </Link>
          </Button>
        }
      />
      {months.length === 0 ? (
        <EmptyState icon={FileText} title="No statements yet" description="A statement is made for every month from the one billing started in." data-testid="statements-empty" />
      ) : (
        <ul className="divide-y overflow-hidden rounded-xl border bg-card" data-testid="statement-months">
          {months.map((m) => (
            <li key={m}>
              <Link
                href={`${base}/statements/${m}`}
                className="flex items-center justify-between gap-3 px-4 py-3 text-sm transition-colors outline-none hover:bg-muted/40 focus-visible:bg-muted/40 focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:ring-inset"
                data-testid="statement-month-link"
                data-month={m}
              >
                <span className="flex items-center gap-2">
                  <FileText className="size-4 text-muted-foreground" aria-hidden="true" />
                  <span className="font-medium">{monthLabel(m)}</span>
                  {m === current && <Badge variant="warning">In progress</Badge>}
                </span>
                <ChevronRight className="size-4 text-muted-foreground" aria-hidden="true" />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
