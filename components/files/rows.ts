import { formatDate } from "@/components/projects/format";
import type { ProjectFileDetail, ProjectFilesPage } from "@/lib/files/actions";
import type { FileDetail, FileRow, FilesPage } from "./types";

// The service's files as the page's client components get them (run on the server: dates are
// formatted there, in UTC, so server and browser render the same text).

export const FILES_PAGE_SIZE = 20;

export function toFileRow(f: ProjectFilesPage["rows"][number]): FileRow {
  return {
    id: f.id,
    filename: f.filename,
    purpose: f.purpose,
    bytes: f.bytes,
    status: f.status,
    statusDetails: f.statusDetails,
    createdAt: f.createdAt.toISOString(),
    created: formatDate(f.createdAt),
  };
}

export function toFilesPage(page: ProjectFilesPage): FilesPage {
  const rows = page.rows.map(toFileRow);
  return { rows, nextCursor: page.hasMore && rows.length ? rows[rows.length - 1].id : null };
}

export function toFileDetail(d: ProjectFileDetail): FileDetail {
  return { ...toFileRow(d), sha256: d.sha256, uploadedVia: d.uploadedVia, preview: d.preview };
}
