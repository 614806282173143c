// Date formatting for project pages. Call it on the server and pass the strings to client
// components: a fixed locale and UTC give the same text on server and client (no hydration
// mismatch) whatever the viewer's time zone.

const dateFormat = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", year: "numeric", month: "short", day: "numeric" });
const dateTimeFormat = new Intl.DateTimeFormat("en-US", {
  timeZone: "UTC",
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** A date ready to show: `label` in the cell, `title` on hover, `iso` for `<time dateTime>`. */
export type FormattedDate = { iso: string; label: string; title: string };

export function formatDate(value: Date | string | null | undefined): FormattedDate | null {
  if (!value) return null;
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return null;
  return { iso: d.toISOString(), label: dateFormat.format(d), title: `${dateTimeFormat.format(d)} UTC` };
}
