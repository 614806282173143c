import { formatUsd } from "@/lib/billing/money";

// Shared wording and number formatting of the Limits page. Pure: server and client use it.

export type LimitKey = "rpm" | "tpm" | "rpd";
export type Limits = Record<LimitKey, number | null>;

export const LIMIT_FIELDS: readonly { key: LimitKey; label: string; title: string }[] = [
  { key: "rpm", label: "RPM", title: "Requests per minute" },
  { key: "tpm", label: "TPM", title: "Tokens per minute" },
  { key: "rpd", label: "RPD", title: "Requests per day" },
];

/** "10,000", or "Unlimited" for no limit. */
export function limitText(n: number | null): string {
  return n === null ? "Unlimited" : n.toLocaleString("en-US");
}

/** "*" is the tier's or the project's default: it applies to each model separately. */
export const ALL_MODELS = "*";
export const modelLabel = (model: string) => (model === ALL_MODELS ? "All models" : model);

export function plural(n: number, one: string, many = `${one}s`) {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** What is still missing for the next tier: "Pay $45.00 more and wait 3 more days."; null when nothing is. */
export function missingText(missingMicros: bigint, missingDays: number): string | null {
  const parts: string[] = [];
  if (missingMicros > 0n) parts.push(`pay ${formatUsd(missingMicros)} more`);
  if (missingDays > 0) parts.push(`wait ${missingDays === 1 ? "1 more day" : `${missingDays.toLocaleString("en-US")} more days`}`);
  if (parts.length === 0) return null;
  const s = parts.join(" and ");
  return `${s[0].toUpperCase()}${s.slice(1)}.`;
}
