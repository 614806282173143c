import type { Metadata } from "next";
import Link from "next/link";
import { ArrowLeft, CalendarX } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { monthLabel } from "@/components/billing/format";
import { PrintButton } from "@/components/billing/print-button";
import { StatementPrintStyles } from "@/components/billing/print-styles";
import { StatementView } from "@/components/billing/statement-view";
import { parseMonth } from "@/lib/billing/money";
import { getStatement } from "@/lib/billing/statements";
import { loadOrgPage, pageData } from "@/lib/console/page-access";
import { ServiceError } from "@/lib/errors";

type Params = { orgId: string; month: string };

function safeDecode(s: string) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { month } = await params;
  const m = parseMonth(month);
  return { title: m ? `Statement ${monthLabel(m.month)}` : "Statement" };
}

export default async function StatementPage({ params }: { params: Promise<Params> }) {
  const { orgId, month } = await params;
  const { actor, access } = await loadOrgPage(orgId);
  const list = `/orgs/${encodeURIComponent(access.orgId)}/billing/statements`;
  const back = (
    <Button asChild variant="outline" size="sm" className="print:hidden">
      <Link href={list}>
        <ArrowLeft aria-hidden="true" />
        Statements
      </Link>
    </Button>
  );

  // A month that is malformed or has not started yet is a mistake in the address, not an error.
  let problem: string | null = parseMonth(month) ? null : `"${safeDecode(month).slice(0, 40)}" is not a month. Statements are by month, written like 2026-03.`;
  let statement = null;
  if (!problem) {
    try {
      statement = await pageData(getStatement(actor, access.orgId, month));
    } catch (err) {
      if (!(err instanceof ServiceError) || err.code !== "invalid") throw err;
      problem = err.message;
    }
  }

  if (!statement) {
    return (
      <div className="max-w-3xl">
        <PageHeader title="Statement" actions={back} />
        <EmptyState
          icon={CalendarX}
          title="No statement for that month"
          description={problem}
          action={
            <Button asChild variant="outline" size="sm">
              <Link href={list}>Choose a month</Link>
            </Button>
          }
          data-testid="statement-bad-month"
        />
      </div>
    );
  }

  return (
    <>
      <StatementPrintStyles />
      <PageHeader
        className="print:hidden"
        title={`Statement: ${monthLabel(statement.month)}`}
        description={`${access.orgName}. Print it, or save it as a PDF from the print dialog.`}
        actions={
          <>
            {back}
            <PrintButton />
          </>
        }
      />
      <StatementView statement={statement} orgName={access.orgName} orgId={access.orgId} generatedAt={new Date()} />
    </>
  );
}
