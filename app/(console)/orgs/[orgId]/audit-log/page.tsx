import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft, ArrowRight, ScrollText } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { AuditFilters } from "@/components/audit/audit-filters";
import { actionLabel, actionTone, formatDetails, groupActions, targetLabel } from "@/components/audit/audit-format";
import { auditHref, dayRange, parseAuditQuery, type AuditSearchParams } from "@/components/audit/audit-query";
import { AuditTable } from "@/components/audit/audit-table";
import { FormAlert } from "@/components/ui/form-alert";
import { formatDateTimeUtc } from "@/components/orgs/format";
import { AUDIT_ACTIONS, listAuditEvents } from "@/lib/audit/audit";
import { can } from "@/lib/auth/roles";
import { loadOrgPage, pageData } from "@/lib/console/page-access";

export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 50;

export default async function AuditLogPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgId: string }>;
  searchParams: Promise<AuditSearchParams>;
}) {
  const { orgId } = await params;
  const { actor, access } = await loadOrgPage(orgId);
  if (!can.viewAuditLog(access.role)) notFound();

  const basePath = `/orgs/${access.orgId}/audit-log`;
  const groups = groupActions(AUDIT_ACTIONS);
  const actionValues = new Set<string>([...AUDIT_ACTIONS, ...groups.map((g) => g.prefix)]);
  const parsed = parseAuditQuery(await searchParams, actionValues);

  const header = (
    <PageHeader
      title="Audit log"
      description="Who did what in this organization: membership, projects, API keys and service accounts. Times are in UTC."
    />
  );

  if (!parsed.ok) {
    return (
      <>
        {header}
        <div className="space-y-4">
          <AuditFilters basePath={basePath} groups={groups} values={parsed.values} invalid={parsed.invalid} />
          <FormAlert
            data-testid="audit-filter-error"
            message={parsed.errors.join(" ")}
          />
          <p className="text-sm">
            <Link href={basePath} className="font-medium underline underline-offset-4">
              Clear all filters
            </Link>
          </p>
        </div>
      </>
    );
  }

  const q = parsed.query;
  const { events, nextCursor } = await pageData(
    listAuditEvents(actor, access.orgId, { action: q.action, actor: q.actor, ...dayRange(q), cursor: q.cursor, limit: PAGE_SIZE }),
  );
  const filters = { action: q.action ?? "", actor: q.actor ?? "", from: q.from ?? "", to: q.to ?? "" };
  const filtered = Boolean(q.action || q.actor || q.from || q.to);

  return (
    <>
      {header}
      <div className="space-y-4">
        <AuditFilters basePath={basePath} groups={groups} values={parsed.values} />
        {events.length === 0 ? (
          <EmptyState
            icon={ScrollText}
            title="No events match"
            description={
              filtered || q.cursor
                ? "Try a different action, actor or date range."
                : "Changes to members, projects and keys in this organization will appear here."
            }
            action={
              filtered || q.cursor ? (
                <Button asChild variant="outline" size="sm">
                  <Link href={basePath}>Clear filters</Link>
                </Button>
              ) : undefined
            }
            data-testid="audit-empty"
          />
        ) : (
          <AuditTable
            rows={events.map((e) => ({
              id: e.id,
              time: formatDateTimeUtc(e.createdAt),
              iso: e.createdAt.toISOString(),
              actor: e.actorEmail,
              action: e.action,
              actionLabel: actionLabel(e.action),
              tone: actionTone(e.action),
              targetType: targetLabel(e.targetType),
              targetId: e.targetId,
              details: formatDetails(e.details),
            }))}
          />
        )}
        {(q.cursor || nextCursor) && (
          <nav aria-label="Audit log pages" className="flex items-center justify-between gap-2">
            <div>
              {q.cursor && (
                <Button asChild variant="outline" size="sm">
                  <Link href={auditHref(basePath, filters)} data-testid="audit-newest-link">
                    <ArrowLeft aria-hidden="true" />
                    Newest
                  </Link>
                </Button>
              )}
            </div>
            <div>
              {nextCursor && (
                <Button asChild variant="outline" size="sm">
                  <Link href={auditHref(basePath, { ...filters, cursor: nextCursor })} data-testid="audit-older-link">
                    Older
                    <ArrowRight aria-hidden="true" />
                  </Link>
                </Button>
              )}
            </div>
          </nav>
        )}
      </div>
    </>
  );
}
