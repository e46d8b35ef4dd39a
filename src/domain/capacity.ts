/**
 * KO #2, capacity, the pure part: a day's figures (remaining, usage, status) from its lead count
 * and maximum, and which of the three steps (alert, pause, overflow) a new count calls for.
 * src/app/capacity.ts reads and writes the Capacity row and carries the steps out.
 */

/** Capacity.status (SPEC §1). */
export type CapacityStatus = 'open' | 'warning' | 'full';

/** The computed columns of a Capacity row. */
export interface CapacityFigures {
  max_leads: number;
  current_leads: number;
  remaining_capacity: number;
  /** Percent of the maximum used, one decimal (110 when 11 leads came for 10). */
  usage_pct: number;
  status: CapacityStatus;
}

/** The Config thresholds, in percent of the day's maximum. */
export interface CapacityThresholds {
  alertPct: number;
  pausePct: number;
}

/** The steps already taken today (the markers of the Capacity row). */
export interface StepsTaken {
  alerted: boolean;
  paused: boolean;
  overflowed: boolean;
}

/** The steps a count calls for and that were not taken yet today. */
export interface CapacitySteps {
  alert: boolean;
  pause: boolean;
  overflow: boolean;
}

/** Largest maximum an operator may set for a day (well above any real team's capacity). */
export const MAX_LEADS_LIMIT = 10000;

/**
 * A usable maximum: a blank cell reads as 0 and an operator's typo may be negative or
 * fractional, so anything below 1 falls back (to Config's value), and fractions round down.
 */
export function effectiveMax(value: number, fallback: number): number {
  const n = Math.floor(Number.isFinite(value) ? value : 0);
  if (n >= 1) return n;
  const f = Math.floor(Number.isFinite(fallback) ? fallback : 0);
  return f >= 1 ? f : 1;
}

/** Percent of `max` that `current` uses, with one decimal. */
export function usagePct(current: number, max: number): number {
  return Math.round((current * 1000) / max) / 10;
}

/**
 * The figures of a day. `full` is strictly beyond the maximum (SPEC §3: "above
 * max_leads_per_day"); exactly at it is still `warning` (100 % is at or above the alert).
 */
export function capacityFigures(current: number, max: number, alertPct: number): CapacityFigures {
  const usage = usagePct(current, max);
  const status: CapacityStatus = current > max ? 'full' : usage >= alertPct ? 'warning' : 'open';
  return { max_leads: max, current_leads: current, remaining_capacity: Math.max(0, max - current), usage_pct: usage, status };
}

/** Which steps the figures call for, leaving out those already taken today: each runs once a day. */
export function capacitySteps(figures: CapacityFigures, thresholds: CapacityThresholds, taken: StepsTaken): CapacitySteps {
  return {
    alert: !taken.alerted && figures.usage_pct >= thresholds.alertPct,
    pause: !taken.paused && figures.usage_pct >= thresholds.pausePct,
    overflow: !taken.overflowed && figures.current_leads > figures.max_leads,
  };
}

/**
 * The markers still true after the maximum changed: a step whose condition no longer holds is
 * forgotten, so that it runs again if the day reaches it again with the new maximum.
 */
export function stepsStillTaken(figures: CapacityFigures, thresholds: CapacityThresholds, taken: StepsTaken): StepsTaken {
  return {
    alerted: taken.alerted && figures.usage_pct >= thresholds.alertPct,
    paused: taken.paused && figures.usage_pct >= thresholds.pausePct,
    overflowed: taken.overflowed && figures.current_leads > figures.max_leads,
  };
}

/** An operator's new maximum: a whole number from 1 to MAX_LEADS_LIMIT, as a number or digits; null otherwise. */
export function parseMaxLeads(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d{1,6}\s*$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= MAX_LEADS_LIMIT ? n : null;
}

/**
 * Which of the day's leads (in arrival order) are the excess to reject: the newest ones, as many
 * as the count exceeds the maximum, among those still `new` (a lead already contacted or
 * converted is never rejected) and not typed in by the operator (`sources[i]` `manual`: a person
 * who called is not excess). Returns indexes into `statuses`, newest first.
 */
export function excessLeads(statuses: readonly string[], current: number, max: number, sources: readonly string[] = []): number[] {
  let excess = Math.max(0, current - max);
  const out: number[] = [];
  for (let i = statuses.length - 1; i >= 0 && excess > 0; i--) {
    if (statuses[i] !== 'new' || sources[i] === 'manual') continue;
    out.push(i);
    excess--;
  }
  return out;
}
