import { ConsoleFrame } from "../../console-frame";
import { loadProjectPage } from "@/lib/console/page-access";
import { RememberProject } from "@/components/console/remember-project";

export default async function ProjectLayout({ children, params }: { children: React.ReactNode; params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { user, access } = await loadProjectPage(projectId);
  return (
    <ConsoleFrame user={user} orgId={access.orgId} orgRole={access.orgRole} projectId={projectId}>
      <RememberProject projectId={projectId} />
      {children}
    </ConsoleFrame>
  );
}
