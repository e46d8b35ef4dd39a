/** Time-zone arithmetic with Intl (no library): wall-clock parts of an instant in an IANA zone, and back. */

/** Wall-clock fields of an instant in a time zone. `weekday` is 0 for Sunday; `offset` is minutes east of UTC. */
export interface ZonedParts {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  weekday: number;
  offset: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const FIXED = /^(?:GMT|UTC)([+-])(\d{1,2})(?::?(\d{2}))?$/;

/** True when Intl (or the fixed-offset `GMT+hh:mm` form Java accepts) knows the zone. */
export function isValidTimeZone(tz: string): boolean {
  if (FIXED.test(tz)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(tz, f);
  }
  return f;
}

/** UTC offset (ms) of a time zone at an instant, straight from Intl. */
function intlOffset(ms: number, tz: string): number {
  const p: Record<string, string> = {};
  for (const part of formatter(tz).formatToParts(new Date(ms))) p[part.type] = part.value;
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

// Intl is slow (a 100,000-row write of dates would take seconds), so offsets are cached per
// 15-minute slice of UTC time: time-zone transitions fall on such boundaries.
const offsetCaches = new Map<string, Map<number, number>>();
const SLICE = 15 * 60 * 1000;

/** The offset (ms east of UTC) of `tz` (an IANA id, or `GMT+hh:mm`) at an instant. */
export function offsetMs(ms: number, tz: string): number {
  const fixed = FIXED.exec(tz);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3] ?? 0)) * 60000;
  let cache = offsetCaches.get(tz);
  if (!cache) offsetCaches.set(tz, (cache = new Map()));
  const slice = Math.floor(ms / SLICE);
  let off = cache.get(slice);
  if (off === undefined) {
    if (cache.size > 200000) cache.clear();
    off = intlOffset(slice * SLICE, tz);
    cache.set(slice, off);
  }
  return off;
}

/** The wall-clock parts of `ms` in `tz` (an IANA id, or `GMT+hh:mm`). */
export function zonedParts(ms: number, tz: string): ZonedParts {
  const offset = offsetMs(ms, tz);
  const d = new Date(ms + offset);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
    weekday: d.getUTCDay(),
    offset: Math.round(offset / 60000),
  };
}

/**
 * The instant at which the wall clock of `tz` shows the given local time. Month is 1-based and may
 * overflow (day 32 is the next month). In a spring-forward gap the result is shifted by the gap.
 */
export function zonedToUtc(tz: string, year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const first = wall - zonedParts(wall, tz).offset * 60000;
  const offset2 = zonedParts(first, tz).offset;
  return wall - offset2 * 60000;
}
