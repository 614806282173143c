import type { LedgerRow } from "@/lib/billing/ledger";
import { amountTone, kindLabel, KIND_TONES, signedUsd, utcDate, utcDateTime, utcHourRange, type BadgeTone } from "./format";

// Ledger entries as the client table shows them: every figure already text, so the page and
// the "Load more" action produce the same rows and nothing is formatted in the browser's zone.

export type LedgerDisplayRow = {
  id: string;
  kind: string;
  kindLabel: string;
  tone: BadgeTone;
  /** When the entry took effect: the hour a usage charge covers, the posting time otherwise. */
  date: string;
  iso: string;
  description: string;
  project: string | null;
  model: string | null;
  amount: string;
  amountTone: "positive" | "negative" | "zero";
  expires: { label: string; past: boolean } | null;
};

export function toLedgerDisplayRow(r: LedgerRow, now = new Date()): LedgerDisplayRow {
  const hour = r.kind === "usage" ? r.periodHour : null;
  const at = hour ?? r.createdAt;
  return {
    id: r.id,
    kind: r.kind,
    kindLabel: kindLabel(r.kind),
    tone: KIND_TONES[r.kind] ?? "outline",
    date: hour ? utcHourRange(hour) : utcDateTime(at),
    iso: at.toISOString(),
    description: r.description,
    project: r.projectId ? (r.projectName ?? "(deleted project)") : null,
    model: r.model,
    amount: signedUsd(r.amountMicros),
    amountTone: amountTone(r.amountMicros),
    expires: r.expiresAt ? { label: utcDate(r.expiresAt), past: r.expiresAt <= now } : null,
  };
}
