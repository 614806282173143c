import type { FormattedDate } from "@/components/projects/format";

// What the console's Files page passes from the server to its client components (dates
// already formatted on the server, see components/projects/format.ts).

export const FILE_PURPOSE_OPTIONS = ["fine-tune", "assistants", "batch", "vision", "user_data"] as const;
export type FilePurposeOption = (typeof FILE_PURPOSE_OPTIONS)[number];

/** The list's purpose filter: upload purposes, and the files fine-tuning jobs write. */
export const FILTER_PURPOSES = [...FILE_PURPOSE_OPTIONS, "fine-tune-results"] as const;
export type FilterPurpose = (typeof FILTER_PURPOSES)[number];

export type FileRow = {
  id: string;
  filename: string;
  purpose: string;
  bytes: number;
  status: string;
  statusDetails: string | null;
  /** ISO time with milliseconds: the list's order (with the id). */
  createdAt: string;
  created: FormattedDate | null;
};

export type FilesPage = { rows: FileRow[]; nextCursor: string | null };

export type FileDetail = Omit<FileRow, "created"> & {
  created: FormattedDate | null;
  sha256: string;
  uploadedVia: { kind: "api_key"; name: string } | { kind: "console"; user: string | null } | { kind: "unknown" };
  preview: { kind: "text"; text: string; truncated: boolean } | { kind: "binary" } | { kind: "unavailable"; reason: string };
};

export type FilesPageResult = { ok: true; page: FilesPage } | { ok: false; error: string };
export type FileDetailResult = { ok: true; detail: FileDetail | null } | { ok: false; error: string };

export type FilesActions = {
  list: (projectId: string, purpose: string | null, after: string | null) => Promise<FilesPageResult>;
  detail: (projectId: string, fileId: string) => Promise<FileDetailResult>;
};
