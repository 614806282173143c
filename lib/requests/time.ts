import { localIso, offsetMs } from "@/lib/usage/time";
import { normalizeLocal } from "./params";

// Times of the request log, in the organization's time zone. Events keep UTC; the log shows
// and filters by the organization's wall clock.

/**
 * The instant at which the zone's wall clock reads `local` ("YYYY-MM-DDTHH:mm[:ss]").
 * A wall time skipped by a daylight-saving jump resolves to the instant just after the jump
 * (e.g. 02:30 on a spring-forward night reads as 03:30); a repeated one to its first occurrence.
 */
export function zonedToUtc(timeZone: string, local: string): number {
  const [date, time] = normalizeLocal(local).split("T");
  const [y, mo, d] = date.split("-").map(Number);
  const [h, mi, s] = time.split(":").map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  // The offset at the guess, then at the corrected guess: two steps settle every real zone.
  const first = wall - offsetMs(timeZone, wall);
  const second = wall - offsetMs(timeZone, first);
  if (second === first) return first;
  // Ambiguous or skipped: prefer the earlier reading that maps back to the same wall time.
  const candidates = [first, second].sort((a, b) => a - b);
  for (const c of candidates) if (c + offsetMs(timeZone, c) === wall) return c;
  return Math.max(first, second);
}

const labels = new Map<string, Intl.DateTimeFormat>();

/** "Nov 15, 10:17:03" in the zone (the year is in the full time shown on hover). */
export function timeLabel(timeZone: string, ms: number): string {
  let f = labels.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    labels.set(timeZone, f);
  }
  return f.format(ms);
}

/** "2026-11-15T15:47:03.120+05:30": the zone's wall time with milliseconds and offset. */
export function localIsoMs(timeZone: string, ms: number): string {
  const iso = localIso(timeZone, ms);
  const frac = String(((ms % 1000) + 1000) % 1000).padStart(3, "0");
  return `${iso.slice(0, 19)}.${frac}${iso.slice(19)}`;
}
