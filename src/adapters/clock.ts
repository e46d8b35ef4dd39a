/** The system clock (Apps Script's `Date`; the in-memory Apps Script makes it controllable). */
import type { Clock } from './ports';

export const systemClock: Clock = { now: () => new Date() };
