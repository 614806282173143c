// Server-side formatting for console pages. Always UTC, so the server and every viewer agree.

const dateFormat = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", year: "numeric", month: "short", day: "numeric" });

const dateTimeParts = new Intl.DateTimeFormat("en-US", {
  timeZone: "UTC",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** "Jan 5, 2025" (UTC). */
export function formatDate(d: Date): string {
  return dateFormat.format(d);
}

/** "2025-01-05 13:04:05" (UTC), for logs. */
export function formatDateTimeUtc(d: Date): string {
  const p = Object.fromEntries(dateTimeParts.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

export const ORG_ROLE_LABELS = { owner: "Owner", reader: "Reader" } as const;
export const PROJECT_ROLE_LABELS = { owner: "Owner", member: "Member" } as const;

/** One-line explanations shown next to role pickers. */
export const ORG_ROLE_HINTS = {
  owner: "Full control: manages members, projects, API keys and organization settings.",
  reader: "Read-only in the organization; uses only the projects they are added to.",
} as const;
