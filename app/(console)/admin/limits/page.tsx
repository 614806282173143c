import type { Metadata } from "next";
import Link from "next/link";
import { Building, Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { OrgTiersTable } from "@/components/admin/org-tiers-table";
import { TierLimitsTable } from "@/components/admin/tier-limits-table";
import { TierRequirementsTable } from "@/components/admin/tier-requirements-table";
import { formatDate } from "@/components/projects/format";
import { DEFAULT_MODEL, listOrgTiers, listTierLimits, TIERS } from "@/lib/admin/limits";
import { listEnabledModelIds } from "@/lib/admin/models";
import { loadAdminPage } from "@/lib/admin/page-access";
import { amountInputValue } from "@/lib/billing/money";
import { listTierRequirements } from "@/lib/billing/settings";
import { pageData } from "@/lib/console/page-access";
import { cn } from "@/lib/utils";
import { removeTierLimitAction, setOrgTierAction, setTierLimitAction, setTierRequirementAction } from "./actions";

export const metadata: Metadata = { title: "Limits" };

type SearchParams = { tier?: string | string[]; q?: string | string[] };

function first(v: string | string[] | undefined) {
  return Array.isArray(v) ? v[0] : v;
}

export default async function AdminLimitsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { actor } = await loadAdminPage();
  const sp = await searchParams;
  const tierParam = Number(first(sp.tier));
  const tier = (TIERS as readonly number[]).includes(tierParam) ? tierParam : 1;
  const query = (first(sp.q) ?? "").trim().slice(0, 100);

  const [allLimits, orgs, enabled, requirements] = await Promise.all([
    pageData(listTierLimits(actor)),
    pageData(listOrgTiers(actor, { query })),
    listEnabledModelIds(),
    listTierRequirements(),
  ]);
  const requirementRows = TIERS.filter((t) => t > 1).map((t) => {
    const r = requirements.find((q) => q.tier === t);
    return { tier: t, paid: r ? amountInputValue(r.paidMicros) : "", days: r ? String(r.daysSinceFirstPayment) : "" };
  });
  const rows = allLimits.filter((r) => r.tier === tier).map((r) => ({ model: r.model, rpm: r.rpm, tpm: r.tpm, rpd: r.rpd }));
  const listed = new Set(rows.map((r) => r.model));
  const addable = enabled.filter((m) => !listed.has(m));
  const tierHref = (t: number) => `/admin/limits?${new URLSearchParams({ tier: String(t), ...(query ? { q: query } : {}) })}`;

  return (
    <>
      <PageHeader
        title="Limits"
        description="Requests per minute (RPM), tokens per minute (TPM) and requests per day (RPD) for each usage tier, and the tier each organization is on. Blank means unlimited. Projects may set tighter limits of their own, never looser."
      />
      <div className="grid gap-10">
        <section className="grid gap-4" aria-labelledby="tier-limits-heading">
          <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
            <div className="space-y-1">
              <h2 id="tier-limits-heading" className="text-base font-semibold">
                Tier limits
              </h2>
              <p className="text-sm text-muted-foreground">Changes apply to every organization on the tier at once.</p>
            </div>
            <nav aria-label="Tiers" className="inline-flex w-fit rounded-lg border bg-muted/40 p-0.5" data-testid="tier-tabs">
              {TIERS.map((t) => (
                <Link
                  key={t}
                  href={tierHref(t)}
                  scroll={false}
                  aria-current={t === tier ? "page" : undefined}
                  data-testid={`tier-tab-${t}`}
                  className={cn(
                    "rounded-md px-3 py-1 text-sm font-medium text-muted-foreground transition-colors outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50",
                    t === tier && "bg-background text-foreground shadow-xs",
                  )}
                >
                  Tier {t}
                </Link>
              ))}
            </nav>
          </div>
          {rows.length === 0 && (
            <p className="rounded-lg border border-dashed px-3 py-2.5 text-sm text-muted-foreground" data-testid="tier-limits-empty">
              Tier {tier} has no limits yet: its requests are unlimited. Save a default below, then give models their own rows.
            </p>
          )}
          <TierLimitsTable
            tier={tier}
            rows={rows.length ? rows : [{ model: DEFAULT_MODEL, rpm: null, tpm: null, rpd: null }]}
            addableModels={rows.length ? addable : []}
            setAction={setTierLimitAction}
            removeAction={removeTierLimitAction}
          />
        </section>

        <section className="grid gap-4" aria-labelledby="tier-requirements-heading">
          <div className="space-y-1">
            <h2 id="tier-requirements-heading" className="text-base font-semibold">
              Tier requirements
            </h2>
            <p className="max-w-3xl text-sm text-muted-foreground">
              An organization moves up to the highest tier whose requirements it meets: the total it has paid (payments on the
              billing ledger) and the days since its first payment. Higher tiers cannot require less than lower ones. Tiers never
              move down by themselves; move an organization below by hand.
            </p>
          </div>
          <TierRequirementsTable rows={requirementRows} action={setTierRequirementAction} />
        </section>

        <section className="grid gap-4" aria-labelledby="org-tiers-heading">
          <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
            <div className="space-y-1">
              <h2 id="org-tiers-heading" className="text-base font-semibold">
                Organizations
              </h2>
              <p className="text-sm text-muted-foreground">
                {orgs.total === orgs.shown
                  ? `${orgs.total} ${orgs.total === 1 ? "organization" : "organizations"}${query ? " found" : ""}.`
                  : `Showing ${orgs.shown} of ${orgs.total}; search to narrow the list.`}{" "}
                A tier change is recorded in the organization&apos;s audit log.
              </p>
            </div>
            <form method="get" action="/admin/limits" role="search" className="flex gap-2" data-testid="org-search">
              <input type="hidden" name="tier" value={tier} />
              <Input name="q" defaultValue={query} placeholder="Name, ID or owner email" aria-label="Search organizations" className="h-8 w-56" />
              <Button type="submit" variant="outline" size="sm">
                <Search aria-hidden="true" />
                Search
              </Button>
            </form>
          </div>
          <OrgTiersTable
            orgs={orgs.orgs.map((o) => ({ id: o.id, name: o.name, owner: o.owner, tier: o.tier, members: o.members, projects: o.projects, created: formatDate(o.createdAt) }))}
            action={setOrgTierAction}
            empty={
              <EmptyState
                icon={Building}
                title={query ? "No organization matches" : "No organizations yet"}
                description={query ? `No organization's name, ID or owner matches "${query}".` : "Organizations appear here as people sign up."}
                action={
                  query ? (
                    <Button asChild variant="outline" size="sm">
                      <Link href={`/admin/limits?tier=${tier}`}>Clear search</Link>
                    </Button>
                  ) : undefined
                }
                data-testid="org-tiers-empty"
              />
            }
          />
        </section>
      </div>
    </>
  );
}
