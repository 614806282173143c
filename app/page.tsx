import { redirect } from "next/navigation";
import { cookies } from "next/headers";
import { getCurrentUser } from "@/lib/auth/session";
import { findLandingProject } from "@/lib/projects/projects";
import { listUserOrgs } from "@/lib/orgs/orgs";

export const dynamic = "force-dynamic";

/** Signed in: the last project used (or the first one available). Otherwise: sign in. */
export default async function Home() {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  const last = (await cookies()).get("gh_project")?.value;
  const projectId = await findLandingProject(user.id, last);
  if (projectId) redirect(`/projects/${projectId}/api-keys`);
  const orgs = await listUserOrgs(user.id);
  if (orgs[0]) redirect(`/orgs/${orgs[0].id}/projects`);
  redirect("/no-organization");
}
