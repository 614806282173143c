import type { Metadata } from "next";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import type { CodeRow } from "@/components/billing/admin-types";
import { BillingSettingsForm } from "@/components/billing/billing-settings-form";
import { utcDate } from "@/components/billing/format";
import { PostCreditForm } from "@/components/billing/post-credit-form";
import { CodesTable, CreateCodesDialog } from "@/components/billing/redemption-codes";
import { BillingSection } from "@/components/billing/section";
import { listOrgTiers } from "@/lib/admin/limits";
import { loadAdminPage } from "@/lib/admin/page-access";
import { amountInputValue, formatUsd } from "@/lib/billing/money";
import { listRedemptionCodes } from "@/lib/billing/redemption";
import { getBillingSettings } from "@/lib/billing/settings";
import { pageData } from "@/lib/console/page-access";
import { createCodesAction, postCreditAction, revokeCodeAction, searchOrgsAction, updateBillingSettingsAction } from "./actions";

export const metadata: Metadata = { title: "Billing" };

export default async function AdminBillingPage() {
  const { actor } = await loadAdminPage();
  const [settings, orgs, codes] = await Promise.all([
    getBillingSettings(),
    pageData(listOrgTiers(actor, {})),
    pageData(listRedemptionCodes(actor)),
  ]);
  const codeRows: CodeRow[] = codes.map((c) => ({
    id: c.id,
    hint: c.codeHint,
    amount: formatUsd(c.amountMicros),
    uses: c.redemptionCount,
    maxUses: c.maxRedemptions,
    status: c.status,
    expires: c.expiresAt ? utcDate(c.expiresAt) : null,
    creditDays: c.creditDays,
    note: c.note,
    created: utcDate(c.createdAt),
  }));

  return (
    <>
      <PageHeader
        title="Billing"
        description="Prepaid credit across the instance: what new organizations start with, whether running out stops their requests, credit and payments for one organization, and redemption codes."
      />
      <div className="grid grid-cols-1 gap-10">
        <BillingSection id="billing-settings-heading" title="Settings" description="Apply to every organization on this instance.">
          <Card>
            <CardContent>
              <BillingSettingsForm
                action={updateBillingSettingsAction}
                values={{
                  signupCredit: amountInputValue(settings.signupCreditMicros),
                  signupCreditDays: settings.signupCreditDays === null ? "" : String(settings.signupCreditDays),
                  enforceCredit: settings.enforceCredit,
                }}
              />
            </CardContent>
          </Card>
        </BillingSection>

        <BillingSection
          id="post-credit-heading"
          title="Credit for an organization"
          description="Grant credit, record a payment received outside Gatehouse, or correct a balance. Entries are permanent and recorded in the organization's audit log."
        >
          <Card>
            <CardContent>
              <PostCreditForm
                initialOrgs={orgs.orgs.map((o) => ({ id: o.id, name: o.name, owner: o.owner }))}
                initialTotal={orgs.total}
                search={searchOrgsAction}
                action={postCreditAction}
              />
            </CardContent>
          </Card>
        </BillingSection>

        <BillingSection
          id="codes-heading"
          title="Redemption codes"
          description="Codes organization owners redeem for credit. Only each code's last four characters are stored in a readable form."
          actions={<CreateCodesDialog action={createCodesAction} />}
        >
          <CodesTable rows={codeRows} revokeAction={revokeCodeAction} />
        </BillingSection>
      </div>
    </>
  );
}
