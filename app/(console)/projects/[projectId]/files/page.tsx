import type { Metadata } from "next";
import { FilesView } from "@/components/files/files-view";
import { FILES_PAGE_SIZE, toFilesPage } from "@/components/files/rows";
import { ArchivedBanner } from "@/components/projects/archived-banner";
import { loadProjectPage, pageData } from "@/lib/console/page-access";
import { getConfig } from "@/lib/config";
import { canManageFiles, listProjectFiles, parsePurpose, uploadRefusal } from "@/lib/files/actions";
import { deleteFileAction, fileDetailAction, listFilesAction } from "./actions";

export const metadata: Metadata = { title: "Files" };

const actions = { list: listFilesAction, detail: fileDetailAction, remove: deleteFileAction };

export default async function FilesPage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { projectId } = await params;
  const { actor, access } = await loadProjectPage(projectId);
  const purpose = parsePurpose((await searchParams).purpose);
  const page = toFilesPage(await pageData(listProjectFiles(actor, projectId, { purpose, limit: FILES_PAGE_SIZE })));
  const canManage = canManageFiles(access.role);

  return (
    <>
      <ArchivedBanner status={access.projectStatus} />
      <FilesView
        // Each filter is its own list: a new one starts from the server's first page.
        key={purpose ?? "all"}
        projectId={projectId}
        projectName={access.projectName}
        purpose={purpose}
        initialPage={page}
        canManage={canManage}
        uploadBlocked={canManage ? uploadRefusal(access) : null}
        maxBytes={getConfig().FILES_MAX_BYTES}
        actions={actions}
      />
    </>
  );
}
