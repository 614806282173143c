// Pure helpers of the Files page: sizes, purposes, the checks made before an upload starts,
// and the API's error bodies. Used in the browser and by unit tests.

import type { FilePurposeOption, FilterPurpose } from "./types";

const UNITS = ["KB", "MB", "GB", "TB"];

/** 1024-based, like the limit the server states: "512 B", "1.5 KB", "12.3 MB", "512 MB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(bytes || 0))} B`;
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const rounded = value >= 100 || Number.isInteger(Math.round(value * 10) / 10) ? Math.round(value) : Math.round(value * 10) / 10;
  // 1023.96 KB rounds to "1024 KB": say "1 MB" instead.
  if (rounded >= 1024 && unit < UNITS.length - 1) return `1 ${UNITS[unit + 1]}`;
  return `${rounded} ${UNITS[unit]}`;
}

/** "12,345 bytes". */
export const formatExactBytes = (bytes: number) => `${bytes.toLocaleString("en-US")} byte${bytes === 1 ? "" : "s"}`;

export const PURPOSE_LABELS: Record<FilterPurpose, string> = {
  "fine-tune": "Fine-tune",
  assistants: "Assistants",
  batch: "Batch",
  vision: "Vision",
  user_data: "User data",
  "fine-tune-results": "Fine-tune results",
};

export const PURPOSE_HINTS: Record<FilePurposeOption, string> = {
  "fine-tune": "Training or validation data for a fine-tuning job (.jsonl)",
  assistants: "Documents for assistants and file search",
  batch: "Requests for the Batch API (.jsonl)",
  vision: "Images for vision fine-tuning",
  user_data: "Any other file used as model input",
};

export const purposeLabel = (purpose: string) => PURPOSE_LABELS[purpose as FilterPurpose] ?? purpose;

export const isJsonlName = (filename: string) => /\.jsonl$/i.test(filename);

/** Whether the preview reads the file as JSON Lines. */
export const previewsAsJsonl = (filename: string, purpose: string) => isJsonlName(filename) || purpose === "fine-tune" || purpose === "batch";

/** Why a file cannot be uploaded with this purpose (null: it can), before any byte is sent. */
export function uploadProblem(file: { name: string; size: number }, purpose: string, maxBytes: number): string | null {
  if (file.size > maxBytes) {
    // Just over the limit, both round to the same text: then give exact sizes.
    const exact = formatBytes(file.size) === formatBytes(maxBytes);
    const size = exact ? formatExactBytes(file.size) : formatBytes(file.size);
    const max = exact ? formatExactBytes(maxBytes) : formatBytes(maxBytes);
    return `“${file.name}” is ${size}. This server accepts files of at most ${max}.`;
  }
  if (file.size === 0) return `“${file.name}” is empty. Choose a file with content.`;
  if (purpose === "fine-tune" && !isJsonlName(file.name)) {
    return `Fine-tuning files must be JSON Lines: choose a .jsonl file (one JSON example per line), or another purpose.`;
  }
  return null;
}

/** The message of an OpenAI-style error body, or a description of the status when there is none. */
export function uploadErrorMessage(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } };
    const message = parsed?.error?.message;
    if (typeof message === "string" && message.trim()) return message;
  } catch {
    // Not JSON (a proxy's error page): describe the status.
  }
  if (status === 413) return "The file is too large for the server.";
  if (status === 0) return "Could not reach the server. Check your connection and try again.";
  return `The upload failed (HTTP ${status}). Try again.`;
}
