import { notFound } from "next/navigation";
import { can } from "@/lib/auth/roles";
import { loadOrgPage } from "@/lib/console/page-access";

// The owner check runs here, above this segment's loading.tsx, so readers get a real 404
// status: a notFound() inside the streamed page would arrive after a 200 was sent.
export default async function AuditLogLayout({ children, params }: { children: React.ReactNode; params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const { access } = await loadOrgPage(orgId);
  if (!can.viewAuditLog(access.role)) notFound();
  return children;
}
