// Calendar arithmetic in an organization's time zone, for the usage dashboard.
//
// Rollups are whole UTC hours, so that is the finest grain the dashboard can honestly show.
// An hour belongs to the local day (or month) in which it starts: in a zone with a
// non-whole-hour offset (Asia/Kolkata, +05:30) the hour 18:00-19:00 UTC starts at 23:30 local
// and counts for that day, although its last half hour is on the next. Range boundaries are
// therefore whole UTC hours too: "from local day D" means "from the first hour starting on D".
// The SQL side buckets the same way (`date_trunc('day', (hour AT TIME ZONE 'UTC') AT TIME ZONE tz)`).

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `tz` is an IANA time zone this runtime knows. */
export function isValidTimeZone(tz: unknown): tz is string {
  if (typeof tz !== "string" || !tz || tz.length > 64) return false;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

type Parts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

export function zonedParts(timeZone: string, ms: number): Parts {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== "literal") p[part.type] = Number(part.value);
  }
  return { year: p.year, month: p.month, day: p.day, hour: p.hour % 24, minute: p.minute, second: p.second };
}

/** The zone's offset from UTC at an instant, in ms (+05:30 → 19_800_000). */
export function offsetMs(timeZone: string, ms: number): number {
  const p = zonedParts(timeZone, ms);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** "YYYY-MM-DD" of the instant in the zone. */
export function localDate(timeZone: string, ms: number): string {
  const p = zonedParts(timeZone, ms);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** Adds days to a "YYYY-MM-DD" date (pure calendar arithmetic). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Adds months to a "YYYY-MM" month. */
export function addMonths(month: string, months: number): string {
  const [y, m] = month.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + months, 1));
  return d.toISOString().slice(0, 7);
}

/** Whole days between two "YYYY-MM-DD" dates (b - a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

export function isRealDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;

/**
 * The first whole UTC hour that starts on local day `date` or later: where a range that
 * begins on `date` begins, given that hours count for the day they start in.
 */
export function dayStartHour(timeZone: string, date: string): number {
  const wall = Date.parse(`${date}T00:00:00Z`);
  // Local midnight is within a day of the UTC midnight of the same date: step from just
  // before it, hour by hour (offsets are whole quarter hours, DST jumps at most 2 hours).
  let h = floorHour(wall - offsetMs(timeZone, wall)) - 3 * HOUR_MS;
  while (localDate(timeZone, h) < date) h += HOUR_MS;
  return h;
}

/** Keys of the buckets covering [from, to): ISO UTC hours, local "YYYY-MM-DD" days or "YYYY-MM" months. */
export function bucketKeys(timeZone: string, bucket: "hour" | "day" | "month", from: number, to: number): string[] {
  const keys: string[] = [];
  if (to <= from) return keys;
  if (bucket === "hour") {
    for (let h = from; h < to; h += HOUR_MS) keys.push(hourKey(h));
    return keys;
  }
  const first = localDate(timeZone, from);
  const last = localDate(timeZone, to - HOUR_MS);
  if (bucket === "day") {
    for (let d = first; d <= last; d = addDays(d, 1)) keys.push(d);
    return keys;
  }
  for (let m = first.slice(0, 7); m <= last.slice(0, 7); m = addMonths(m, 1)) keys.push(m);
  return keys;
}

/** "2026-03-05T10:00:00Z": the key of an hourly bucket (the rollup hour, in UTC). */
export function hourKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 13) + ":00:00Z";
}

/** Where a bucket starts (a whole UTC hour), for slicing exports by bucket. */
export function bucketStart(timeZone: string, bucket: "hour" | "day" | "month", key: string): number {
  if (bucket === "hour") return Date.parse(key);
  return dayStartHour(timeZone, bucket === "day" ? key : `${key}-01`);
}

/** ISO 8601 local time with offset, e.g. "2026-03-05T15:30:00+05:30" (for hourly CSV rows). */
export function localIso(timeZone: string, ms: number): string {
  const p = zonedParts(timeZone, ms);
  const off = Math.round(offsetMs(timeZone, ms) / 60_000);
  const sign = off < 0 ? "-" : "+";
  const abs = Math.abs(off);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
