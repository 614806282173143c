import { cookies } from "next/headers";
import { ConsoleFrame } from "../console-frame";
import { ConsoleShell } from "@/components/console/console-shell";
import { ADMIN_SECTION } from "@/components/admin/admin-nav";
import { isInstanceAdmin } from "@/lib/admin/access";
import { getProjectAccess } from "@/lib/auth/access";
import { requireUser } from "@/lib/auth/session";
import { listUserOrgs } from "@/lib/orgs/orgs";
import { findLandingProject } from "@/lib/projects/projects";

// Prices concern every signed-in user, whatever organization they are in: the page sits in the
// console frame of the organization they last worked in, like the admin pages.
export default async function PricingLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const actor = { userId: user.id };
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
  const admin = await isInstanceAdmin(user.id);
  return (
    <ConsoleShell sections={admin ? [ADMIN_SECTION] : []} user={{ name: user.name ?? user.email, email: user.email }}>
      {children}
    </ConsoleShell>
  );
}
