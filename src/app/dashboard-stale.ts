/**
 * Whether the Dashboard tab lags behind the tabs: a flag in Script Properties, raised by what
 * changes one of its figures (a journalled event, a lead counted, an incident opened or closed,
 * the day's capacity) and lowered when reconcile, the menu or the opening of the Sheet rewrites
 * the tab. A new Paris day makes it stale too ("today" starts again at 0). Raising it costs no
 * Sheets call, and one Properties write only for the first change after a refresh (Settings reads
 * every property once per execution).
 */
import { parisDay } from '../adapters/gas-services';
import type { Ctx } from './context';

/** '1' when stale; after a refresh, the Paris day it was made ('' from a version that kept no day: fresh). */
const STALE_KEY = 'DASHBOARD_STALE';
const STALE = '1';

/** Notes that the Dashboard no longer shows the tabs' figures. */
export function markDashboardStale(ctx: Ctx): void {
  if (ctx.settings.state(STALE_KEY) !== STALE) ctx.settings.setState(STALE_KEY, STALE);
}

/** Whether a change happened, or the day changed, since the last refresh. */
export function dashboardStale(ctx: Ctx): boolean {
  const state = ctx.settings.state(STALE_KEY);
  return state === STALE || (state !== '' && state !== parisDay(ctx.now()));
}

/** After a refresh. */
export function markDashboardFresh(ctx: Ctx): void {
  const today = parisDay(ctx.now());
  if (ctx.settings.state(STALE_KEY) !== today) ctx.settings.setState(STALE_KEY, today);
}
