import type { Metadata } from "next";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { LeaveOrgCard } from "@/components/orgs/leave-org-card";
import { RenameOrgForm } from "@/components/orgs/rename-org-form";
import { RoleBadge } from "@/components/orgs/role-badge";
import { SettingRow } from "@/components/orgs/setting-row";
import { ORG_ROLE_HINTS } from "@/components/orgs/format";
import { can } from "@/lib/auth/roles";
import { loadOrgPage } from "@/lib/console/page-access";
import { leaveOrgAction, renameOrgAction } from "./actions";

export const metadata: Metadata = { title: "General" };

export default async function OrgSettingsPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const { access } = await loadOrgPage(orgId);
  const isOwner = can.manageOrg(access.role);

  return (
    <div className="max-w-3xl">
      <PageHeader title="General" description="Basic information about your organization." />
      <div className="space-y-6">
        <Card>
          <CardHeader className="border-b">
            <CardTitle>Organization</CardTitle>
            <CardDescription>
              {isOwner ? "Owners can rename the organization." : "Only organization owners can change these settings."}
            </CardDescription>
          </CardHeader>
          <CardContent className="divide-y">
            <SettingRow label="Organization name" htmlFor="org-name" className="pt-0">
              <RenameOrgForm orgId={access.orgId} orgName={access.orgName} canEdit={isOwner} action={renameOrgAction} />
            </SettingRow>
            <SettingRow
              label="Organization ID"
              htmlFor="org-id"
              hint="Identifies this organization in API requests and support conversations."
            >
              <div className="flex items-center gap-2">
                <Input
                  id="org-id"
                  readOnly
                  value={access.orgId}
                  className="font-mono text-[13px]"
                  data-testid="org-id"
                  aria-describedby="org-id-hint"
                />
                <CopyButton value={access.orgId} label="Copy organization ID" toastMessage="Organization ID copied" />
              </div>
            </SettingRow>
            <SettingRow label="Your role" hint={ORG_ROLE_HINTS[access.role]} className="pb-0">
              <RoleBadge role={access.role} data-testid="org-role" />
            </SettingRow>
          </CardContent>
        </Card>

        <LeaveOrgCard orgId={access.orgId} orgName={access.orgName} action={leaveOrgAction} />
      </div>
    </div>
  );
}
