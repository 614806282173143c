import { redirect } from "next/navigation";
import { loadOrgPage } from "@/lib/console/page-access";

/** /orgs/<id> has no page of its own: open the organization's settings. */
export default async function OrgIndexPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const { access } = await loadOrgPage(orgId);
  redirect(`/orgs/${access.orgId}/settings`);
}
