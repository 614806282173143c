import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { KeyLimits, type ProjectCeiling } from "@/components/limits/key-limits";
import { ProjectLimits } from "@/components/limits/project-limits";
import { TierLimits } from "@/components/limits/tier-limits";
import { UsageTier } from "@/components/limits/usage-tier";
import { DEFAULT_MODEL } from "@/lib/admin/limits";
import { loadOrgPage, pageData } from "@/lib/console/page-access";
import { getLimitsOverview, type ProjectLimits as ProjectLimitsData } from "@/lib/limits/overview";
import { clearKeyLimitsAction, removeProjectLimitAction, setKeyLimitsAction, setProjectLimitAction } from "./actions";

export const metadata: Metadata = { title: "Limits" };

/** The most a project allows on any model, per limit: a key limit at or above it does nothing. */
function ceilingOf(p: ProjectLimitsData): ProjectCeiling {
  const max = (k: "rpm" | "tpm") => {
    if (p.effective.length === 0) return null;
    let m = 0;
    for (const e of p.effective) {
      const v = e.limits[k];
      if (v === null) return null;
      m = Math.max(m, v);
    }
    return m;
  };
  return { rpm: max("rpm"), tpm: max("tpm") };
}

function Section({ id, title, description, children }: { id: string; title: string; description: React.ReactNode; children: React.ReactNode }) {
  return (
    // Grid items shrink below their tables' width (min-w-0) so wide tables scroll inside
    // themselves on narrow screens instead of widening the page.
    <section className="grid gap-4 *:min-w-0" aria-labelledby={id}>
      <div className="space-y-1">
        <h2 id={id} className="text-base font-semibold">
          {title}
        </h2>
        <p className="max-w-3xl text-sm text-muted-foreground">{description}</p>
      </div>
      {children}
    </section>
  );
}

export default async function OrgLimitsPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const { actor, access } = await loadOrgPage(orgId);
  const o = await pageData(getLimitsOverview(actor, access.orgId));
  const canManageAny = o.projects.some((p) => p.canManage);
  const firstOwned = o.projects.find((p) => p.canManage);

  return (
    <>
      <PageHeader
        title="Limits"
        description={`Your usage tier and the rate limits the API applies to ${o.orgName}: requests per minute (RPM), tokens per minute (TPM) and requests per day (RPD), counted per project and model.`}
      />
      <div className="grid gap-10 *:min-w-0">
        <Section
          id="usage-tier-heading"
          title="Usage tier"
          description="Tiers advance automatically from payments recorded on the billing ledger: the more paid, and the longer since the first payment, the higher the tier and its limits."
        >
          <UsageTier progress={o.progress} />
        </Section>

        <Section
          id="rate-limits-heading"
          title="Rate limits"
          description={
            <>
              Tier {o.tier} limits apply to every project of the organization, for each model separately.{" "}
              {canManageAny
                ? "Project owners can override them for a project, only ever lower: never above the organization's tier."
                : "Project owners can override them for a project, only ever lower."}
            </>
          }
        >
          <div className="grid gap-3 *:min-w-0">
            <h3 className="text-sm font-semibold">Tier {o.tier}</h3>
            <TierLimits tier={o.tier} defaults={o.defaultTierLimit} models={o.models} />
          </div>
          <div className="grid gap-3 pt-2 *:min-w-0">
            <h3 className="flex items-center gap-2 text-sm font-semibold">
              Projects
              <span className="rounded-full bg-muted px-2 py-0.5 text-xs font-medium text-muted-foreground tabular-nums">{o.projects.length}</span>
            </h3>
            <ProjectLimits
              tier={o.tier}
              projects={o.projects}
              choices={[
                { model: DEFAULT_MODEL, tier: o.defaultTierLimit },
                ...o.models.map((m) => ({ model: m.model, tier: m.values })),
              ]}
              setAction={setProjectLimitAction}
              removeAction={removeProjectLimitAction}
            />
          </div>
        </Section>

        <Section
          id="key-limits-heading"
          title="API key limits"
          description="A key's own RPM and TPM, applied to each model on top of its project's limits: whichever is lower wins."
        >
          <KeyLimits
            keys={o.keys}
            total={o.keyCount}
            ceilings={Object.fromEntries(o.projects.map((p) => [p.id, ceilingOf(p)]))}
            createKeyHref={firstOwned ? `/projects/${firstOwned.id}/api-keys` : null}
            setAction={setKeyLimitsAction}
            clearAction={clearKeyLimitsAction}
          />
        </Section>
      </div>
    </>
  );
}
