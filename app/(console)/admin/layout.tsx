import { cookies } from "next/headers";
import { ConsoleFrame } from "../console-frame";
import { ConsoleShell } from "@/components/console/console-shell";
import { ADMIN_SECTION } from "@/components/admin/admin-nav";
import { loadAdminPage } from "@/lib/admin/page-access";
import { getProjectAccess } from "@/lib/auth/access";
import { listUserOrgs } from "@/lib/orgs/orgs";
import { findLandingProject } from "@/lib/projects/projects";

// Admin pages sit in the console frame of the organization the admin last worked in, so the
// rest of the console stays one click away. Everyone else gets the 404 page.
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const { user, actor } = await loadAdminPage();
  const projectId = await findLandingProject(user.id, (await cookies()).get("gh_project")?.value);
  const fromProject = projectId ? await getProjectAccess(actor, projectId).catch(() => null) : null;
  const org = fromProject ? { id: fromProject.orgId, role: fromProject.orgRole } : (await listUserOrgs(user.id))[0];
  if (org) {
    return (
      <ConsoleFrame user={user} orgId={org.id} orgRole={org.role}>
        {children}
      </ConsoleFrame>
    );
  }
  // An admin who belongs to no organization still gets the admin pages.
  return (
    <ConsoleShell sections={[ADMIN_SECTION]} user={{ name: user.name ?? user.email, email: user.email }}>
      {children}
    </ConsoleShell>
  );
}
