/**
 * The Dashboard tab (issue 7): a summary range the operator reads at 9h (SOP Matin 1): today's
 * capacity, open incidents, the last 30 days of leads, conversions and MRR from KPI_Daily. It
 * holds values, not formulas, written in one setValues by the 18h routine and by the menu's
 * "Tableau de bord": a formula over Leads would recompute on every webhook write.
 */
import { KPI_DAILY, LEADS } from '../domain/schema';
import { formatParis, parisDay } from '../adapters/gas-services';
import { done, type ActionResult } from '../shared/types';
import type { Ctx } from './context';
import { todayCapacity } from './capacity';
import { listIncidents } from './operator';
import { dashboardStale, markDashboardFresh } from './dashboard-stale';
import { FR } from '../ui/strings.fr';

/** Days of the series. */
export const DASHBOARD_DAYS = 30;
/** First row of the series' header, and the block's size (rows × columns). */
export const SERIES_HEADER_ROW = 10;
const ROWS = SERIES_HEADER_ROW + DASHBOARD_DAYS;
const COLS = 4;
const DAY_MS = 24 * 3600 * 1000;

/** What the Dashboard shows (also the answer to the menu). */
export interface DashboardFigures {
  current: number;
  max: number;
  usagePct: number;
  status: string;
  openIncidents: number;
  highIncidents: number;
  /** The MRR still paid by the clients converted over 30 days (Leads.mrr now: a suspended client is out). */
  mrr30: number;
  conversions30: number;
  leadsToday: number;
  conversionsToday: number;
}

/**
 * Today's leads, conversions and MRR added, read from Leads now: the leads created today from the
 * bottom of the tab, and those converted today wherever they are (a TextFinder on the date).
 */
function todayFromLeads(ctx: Ctx, now: Date): { leads: number; conversions: number; mrr: number } {
  const table = ctx.table(LEADS);
  const today = parisDay(now);
  const created = table.readRecent('created_at', new Date(now.getTime() - DAY_MS), { columns: ['created_at'] });
  const pattern = `^(${formatParis(now, 'dd/MM/yyyy')}|${today})`;
  const converted = table.readRowsAt(table.matchRows(['conversion_date'], pattern), { columns: ['conversion_date', 'mrr'] }).filter((l) => l.conversion_date !== null && parisDay(l.conversion_date) === today);
  const mrr = converted.reduce((sum, l) => sum + (Number.isFinite(l.mrr) ? l.mrr : 0), 0);
  return { leads: created.filter((l) => l.created_at !== null && parisDay(l.created_at) === today).length, conversions: converted.length, mrr: Math.round(mrr * 100) / 100 };
}

/** From reconcile: rewrites the Dashboard when something changed since its last refresh; false (no Sheets call) otherwise. */
export function refreshIfStale(ctx: Ctx): boolean {
  if (!dashboardStale(ctx)) return false;
  try {
    refreshDashboard(ctx);
    return true;
  } catch (e) {
    console.error(`dashboard: ${ctx.redact(e instanceof Error ? e.message : String(e))}`);
    return false;
  }
}

/**
 * Rewrites the Dashboard tab (created on first use, with its formats). One read per source tab,
 * one setValues for the whole block, none when no figure changed. The caller holds the script lock.
 */
export function refreshDashboard(ctx: Ctx): ActionResult<{ figures: DashboardFigures; written: boolean }> {
  const D = FR.ui.dashboard;
  const now = ctx.now();
  const capacity = todayCapacity(ctx);
  const max = capacity ? capacity.max_leads : ctx.config().max_leads_per_day;
  const current = capacity ? capacity.current_leads : 0;
  const usagePct = capacity ? capacity.usage_pct : 0;
  const status = capacity ? FR.capacity.statusLabel(capacity.status) : FR.capacity.statusLabel('open');
  const listed = listIncidents(ctx, { status: 'active', limit: 500 });
  const active = listed.ok ? listed.incidents : [];
  const high = active.filter((i) => i.severity === 'high').length;

  const mrr30 = mrrStillPaid(ctx, now);
  const byDay = new Map(ctx.table(KPI_DAILY).readAll().filter((r) => r.date !== null).map((r) => [parisDay(r.date as Date), r]));
  // Today from the tabs as they are now (KPI_Daily only has it after 18h): 23 leads read 23.
  const live = todayFromLeads(ctx, now);
  const series: unknown[][] = [];
  let conversions30 = 0;
  for (let i = DASHBOARD_DAYS - 1; i >= 0; i--) {
    const at = new Date(now.getTime() - i * DAY_MS);
    const kpi = i === 0 ? { leads_received: live.leads, leads_converted: live.conversions, mrr_added: live.mrr } : byDay.get(parisDay(at));
    const leads = kpi?.leads_received ?? 0;
    const conversions = kpi?.leads_converted ?? 0;
    const mrr = kpi?.mrr_added ?? 0;
    conversions30 += conversions;
    series.push([formatParis(at, 'dd/MM'), leads, conversions, mrr]);
  }
  const values: unknown[][] = [
    [D.title, '', D.updated(formatParis(now, 'dd/MM/yyyy HH:mm')), ''],
    ['', '', '', ''],
    [D.capacity, current, max, status],
    [D.capacityUsed, usagePct / 100, '', ''],
    [D.leadsToday, live.leads, D.conversionsToday, live.conversions],
    [D.openIncidents, active.length, D.highIncidents, high],
    [D.mrr30, mrr30, '', ''],
    [D.conversions30, conversions30, '', ''],
    [D.seriesTitle, '', '', ''],
    [...D.head],
    ...series,
  ];
  const figures = { current, max, usagePct, status, openIncidents: active.length, highIncidents: high, mrr30, conversions30, leadsToday: live.leads, conversionsToday: live.conversions };
  markDashboardFresh(ctx);
  let sheet = ctx.spreadsheet.getSheetByName(D.tab);
  if (!sheet) {
    sheet = ctx.spreadsheet.insertSheet(D.tab, 0); // the first tab: what the operator reads at 9h
    formatNewDashboard(sheet);
  } else if (sameFigures(sheet.getRange(1, 1, ROWS, COLS).getValues(), values)) {
    // Nothing changed since the last refresh: no write (the 18h routine may run twice).
    ensureCharts(sheet, max);
    return done(FR.ui.dashboard.refreshed, { figures, written: false });
  }
  // Day labels are text ('dd/MM'), so a chart reads them as categories.
  sheet.getRange(1, 1, ROWS, COLS).setValues(values);
  ensureCharts(sheet, max);
  return done(FR.ui.dashboard.refreshed, { figures, written: true });
}

/**
 * The MRR still paid by the leads converted over the last 30 days: their Leads.mrr now, so a client
 * suspended or cancelled since (mrr 0) stops counting. The day's series keeps the MRR added as
 * KPI_Daily recorded it. One TextFinder on conversion_date, then only those rows.
 */
function mrrStillPaid(ctx: Ctx, now: Date): number {
  const days: string[] = [];
  for (let i = 0; i < DASHBOARD_DAYS; i++) {
    const at = new Date(now.getTime() - i * DAY_MS);
    days.push(formatParis(at, 'dd/MM/yyyy'), formatParis(at, 'yyyy-MM-dd'));
  }
  const leads = ctx.table(LEADS);
  const converted = leads.readRowsAt(leads.matchRows(['conversion_date'], `^(${days.join('|')})`), { columns: ['status', 'conversion_date', 'mrr'] });
  return Math.round(converted.filter((l) => l.status === 'converted' && l.mrr > 0).reduce((sum, l) => sum + l.mrr, 0) * 100) / 100;
}

/** One chart of the Dashboard, found again by its title. */
export interface DashboardChart {
  title: string;
  type: GoogleAppsScript.Charts.ChartType;
  /** A1 ranges of the Dashboard tab, in the order they are added. */
  ranges: string[];
  /** Anchor cell (right of the A:D block). */
  row: number;
  col: number;
  options: Record<string, string | number>;
}

const SERIES_FIRST = SERIES_HEADER_ROW;
const SERIES_LAST = SERIES_HEADER_ROW + DASHBOARD_DAYS;

/**
 * The Dashboard's charts, over the summary block. The capacity gauge reads row 5 ("Leads reçus
 * aujourd'hui", today's count) with the day's maximum as its scale, red from 90 %: the only
 * option that follows the data, so the only reason to update a chart.
 */
export function dashboardCharts(max: number): DashboardChart[] {
  const D = FR.ui.dashboard;
  const scale = Math.max(1, max);
  return [
    {
      title: D.chartCapacity,
      type: Charts.ChartType.GAUGE,
      ranges: ['A5:B5'],
      row: 1,
      col: 6,
      options: { title: D.chartCapacity, min: 0, max: scale, yellowFrom: Math.round(scale * 0.75), yellowTo: Math.round(scale * 0.9), redFrom: Math.round(scale * 0.9), redTo: scale, width: 320, height: 200 },
    },
    {
      title: D.chartLeads,
      type: Charts.ChartType.LINE,
      ranges: [`A${SERIES_FIRST}:C${SERIES_LAST}`],
      row: 11,
      col: 6,
      options: { title: D.chartLeads, width: 600, height: 300, legend: 'bottom' },
    },
    {
      title: D.chartMrr,
      type: Charts.ChartType.COLUMN,
      ranges: [`A${SERIES_FIRST}:A${SERIES_LAST}`, `D${SERIES_FIRST}:D${SERIES_LAST}`],
      row: 27,
      col: 6,
      options: { title: D.chartMrr, width: 600, height: 300, legend: 'none' },
    },
  ];
}

/**
 * Inserts the charts that are missing (found by their title, so an operator may move or resize
 * them) and updates one only when its ranges or options differ: a refresh that changes nothing
 * reads the charts and writes nothing.
 */
function ensureCharts(sheet: GoogleAppsScript.Spreadsheet.Sheet, max: number): void {
  const existing = sheet.getCharts();
  for (const spec of dashboardCharts(max)) {
    const chart = existing.find((c) => c.getOptions().get('title') === spec.title);
    if (!chart) {
      let builder = sheet.newChart().setChartType(spec.type).setNumHeaders(1).setPosition(spec.row, spec.col, 0, 0);
      for (const a1 of spec.ranges) builder = builder.addRange(sheet.getRange(a1));
      for (const [k, v] of Object.entries(spec.options)) builder = builder.setOption(k, v);
      sheet.insertChart(builder.build());
      continue;
    }
    const options = chart.getOptions();
    const ranges = chart.getRanges().map((r) => r.getA1Notation());
    const stale = ranges.join(',') !== spec.ranges.join(',') || Object.entries(spec.options).some(([k, v]) => String(options.get(k)) !== String(v));
    if (!stale) continue;
    let builder = chart.modify().clearRanges();
    for (const a1 of spec.ranges) builder = builder.addRange(sheet.getRange(a1));
    for (const [k, v] of Object.entries(spec.options)) builder = builder.setOption(k, v);
    sheet.updateChart(builder.build());
  }
}

/** The block as written, but for the "updated on" cell (A1:D1's third cell). */
function sameFigures(current: unknown[][], wanted: unknown[][]): boolean {
  const key = (rows: unknown[][]) => JSON.stringify(rows.map((r, i) => r.slice(0, COLS).map((v, j) => (i === 0 && j === 2 ? '' : v instanceof Date ? v.getTime() : v))));
  return current.length === wanted.length && key(current) === key(wanted);
}

/** Widths, bold labels and number formats, once when the tab is created. */
function formatNewDashboard(sheet: GoogleAppsScript.Spreadsheet.Sheet): void {
  sheet.setColumnWidth(1, 260);
  sheet.setColumnWidths(2, 3, 120);
  sheet.getRange(1, 1).setFontWeight('bold');
  sheet.getRange(SERIES_HEADER_ROW, 1, 1, COLS).setFontWeight('bold');
  sheet.getRange(4, 2).setNumberFormat('0%');
  sheet.getRange(7, 2).setNumberFormat('#,##0.00');
  sheet.getRange(SERIES_HEADER_ROW + 1, 1, DASHBOARD_DAYS, 1).setNumberFormat('@');
  sheet.getRange(SERIES_HEADER_ROW + 1, 4, DASHBOARD_DAYS, 1).setNumberFormat('#,##0.00');
}
