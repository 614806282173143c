import { ConsoleFrame } from "../../console-frame";
import { loadOrgPage } from "@/lib/console/page-access";

export default async function OrgLayout({ children, params }: { children: React.ReactNode; params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const { user, access } = await loadOrgPage(orgId);
  return (
    <ConsoleFrame user={user} orgId={orgId} orgRole={access.role}>
      {children}
    </ConsoleFrame>
  );
}
