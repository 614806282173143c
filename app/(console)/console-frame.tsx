import { ConsoleShell } from "@/components/console/console-shell";
import { ADMIN_SECTION } from "@/components/admin/admin-nav";
import { Switcher } from "@/components/console/switcher";
import type { SidebarSection } from "@/components/console/sidebar";
import { isInstanceAdmin } from "@/lib/admin/access";
import { can, type OrgRole } from "@/lib/auth/roles";
import { listUserOrgs } from "@/lib/orgs/orgs";
import { listVisibleProjects } from "@/lib/projects/projects";

/** The signed-in console layout for one organization (and optionally one of its projects). */
export async function ConsoleFrame(props: {
  user: { id: string; email: string; name: string | null };
  orgId: string;
  orgRole: OrgRole;
  projectId?: string;
  children: React.ReactNode;
}) {
  const actor = { userId: props.user.id };
  const isAdmin = isInstanceAdmin(props.user.id).catch(() => false); // started early, awaited below
  const [orgs, projects] = await Promise.all([
    listUserOrgs(props.user.id),
    listVisibleProjects(actor, props.orgId, { includeArchived: true }),
  ]);
  const projectId = props.projectId ?? projects.find((p) => p.status === "active")?.id;
  const sections: SidebarSection[] = [];
  if (projectId) {
    sections.push({
      title: "Project",
      items: [
        { href: `/projects/${projectId}/playground`, label: "Playground", icon: "terminal" },
        { href: `/projects/${projectId}/api-keys`, label: "API keys", icon: "key-round" },
        { href: `/projects/${projectId}/files`, label: "Files", icon: "files" },
        { href: `/projects/${projectId}/fine-tuning`, label: "Fine-tuning", icon: "sparkles" },
        { href: `/projects/${projectId}/service-accounts`, label: "Service accounts", icon: "bot" },
        { href: `/projects/${projectId}/members`, label: "Members", icon: "users" },
        { href: `/projects/${projectId}/settings`, label: "Settings", icon: "settings" },
      ],
    });
  }
  sections.push({
    title: "Organization",
    items: [
      { href: `/orgs/${props.orgId}/usage`, label: "Usage", icon: "chart-column" },
      { href: `/orgs/${props.orgId}/requests`, label: "Requests", icon: "activity" },
      { href: `/orgs/${props.orgId}/limits`, label: "Limits", icon: "gauge" },
      { href: `/orgs/${props.orgId}/billing`, label: "Billing", icon: "credit-card" },
      { href: `/orgs/${props.orgId}/settings`, label: "General", icon: "building" },
      { href: `/orgs/${props.orgId}/members`, label: "Members", icon: "users", testId: "org-members" },
      { href: `/orgs/${props.orgId}/projects`, label: "Projects", icon: "folder-kanban" },
      ...(can.viewAuditLog(props.orgRole) ? [{ href: `/orgs/${props.orgId}/audit-log`, label: "Audit log", icon: "scroll-text" }] : []),
    ],
  });
  // Instance administrators only; the admin pages and services check again on the server.
  if (await isAdmin) sections.push(ADMIN_SECTION);
  return (
    <ConsoleShell
      sections={sections}
      user={{ name: props.user.name ?? props.user.email, email: props.user.email }}
      switcher={
        <Switcher
          orgs={orgs.map((o) => ({ id: o.id, name: o.name }))}
          currentOrgId={props.orgId}
          projects={projects.map((p) => ({ id: p.id, name: p.name, status: p.status }))}
          currentProjectId={props.projectId ?? null}
        />
      }
    >
      {props.children}
    </ConsoleShell>
  );
}
