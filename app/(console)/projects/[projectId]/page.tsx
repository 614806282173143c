import { redirect } from "next/navigation";

/** /projects/:id opens the project's API keys (the layout has already checked access). */
export default async function ProjectIndexPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  redirect(`/projects/${encodeURIComponent(projectId)}/api-keys`);
}
