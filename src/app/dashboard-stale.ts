/**
 * Whether the Dashboard tab lags behind the tabs: a flag in Script Properties, raised by what
 * changes one of its figures (a journalled event, a lead counted, an incident opened or closed,
 * the day's capacity) and lowered when reconcile or the menu rewrites the tab. Raising it costs
 * no Sheets call, and one Properties write only for the first change after a refresh (Settings
 * reads every property once per execution).
 */
import type { Ctx } from './context';

const STALE_KEY = 'DASHBOARD_STALE';

/** Notes that the Dashboard no longer shows the tabs' figures. */
export function markDashboardStale(ctx: Ctx): void {
  if (ctx.settings.state(STALE_KEY) !== '1') ctx.settings.setState(STALE_KEY, '1');
}

/** Whether a change happened since the last refresh. */
export function dashboardStale(ctx: Ctx): boolean {
  return ctx.settings.state(STALE_KEY) === '1';
}

/** After a refresh. */
export function markDashboardFresh(ctx: Ctx): void {
  if (ctx.settings.state(STALE_KEY) !== '') ctx.settings.setState(STALE_KEY, '');
}
