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
import { campaignFigures } from './spend';
import type { CampaignSummary } from '../domain/ads';
import { parseJson } from '../domain/result';
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

/**
 * Whether onOpen received a real opening of this Sheet: its `source` is the Spreadsheet itself,
 * an object google.script.run (which carries only JSON) cannot forge, so a web visitor calling
 * the global `onOpen` never gets past the menu.
 */
export function isOpenEvent(e: unknown, spreadsheetId: string): boolean {
  const source = (e as { source?: { getId?: unknown } } | null | undefined)?.source;
  if (!source || typeof source.getId !== 'function') return false;
  try {
    return (source as { getId(): string }).getId() === spreadsheetId;
  } catch {
    return false;
  }
}

/** From reconcile and the opening of the Sheet: rewrites the Dashboard when something changed since its last refresh; false (no Sheets call) otherwise. */
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
    writeAdsBlock(ctx, sheet, byDay);
    ensureCharts(ctx, sheet, max);
    return done(FR.ui.dashboard.refreshed, { figures, written: false });
  }
  // Day labels are text ('dd/MM'), so a chart reads them as categories.
  sheet.getRange(1, 1, ROWS, COLS).setValues(values);
  writeAdsBlock(ctx, sheet, byDay);
  ensureCharts(ctx, sheet, max);
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

// ---- issues 21 and 22: the campaigns and the speed to lead, below the summary --------------------

/** The block under the summary: campaigns yesterday, campaigns over 7 days, the 30-day median. */
export const ADS_BLOCK_ROW = ROWS + 2;
const CAMPAIGN_ROWS = 10;
const ADS_COLS = 6;
const YESTERDAY_ROW = ADS_BLOCK_ROW;
const WEEK_ROW = YESTERDAY_ROW + CAMPAIGN_ROWS + 3;
/** The median series' header row (its 30 days follow). */
export const MEDIAN_HEADER_ROW = WEEK_ROW + CAMPAIGN_ROWS + 4;
const ADS_BLOCK_ROWS = MEDIAN_HEADER_ROW + DASHBOARD_DAYS - ADS_BLOCK_ROW + 1;

/** The block's values: fixed size, so that a campaign fewer blanks its old line. */
function adsBlock(ctx: Ctx, byDay: Map<string, { median_minutes_to_contact: number | null }>): unknown[][] {
  const A = FR.adsAccount;
  const D = FR.ui.dashboard;
  const now = ctx.now();
  const figures = campaignFigures(ctx, now);
  const blank = (): unknown[] => Array(ADS_COLS).fill('');
  const pad = (r: unknown[]) => [...r, ...Array(ADS_COLS - r.length).fill('')];
  const table = (title: string, list: CampaignSummary[]): unknown[][] => {
    const rows: unknown[][] = list.slice(0, CAMPAIGN_ROWS).map((c) => [c.name || c.id, c.spend, c.leads, c.conversions, c.costPerLead ?? '', c.costPerConversion ?? '']);
    while (rows.length < CAMPAIGN_ROWS) rows.push(blank());
    return [pad([title]), [...A.spendHead], ...rows];
  };
  const median: unknown[][] = [];
  for (let i = DASHBOARD_DAYS - 1; i >= 0; i--) {
    const at = new Date(now.getTime() - i * DAY_MS);
    median.push(pad([formatParis(at, 'dd/MM'), byDay.get(parisDay(at))?.median_minutes_to_contact ?? '']));
  }
  return [
    ...table(`${A.spendTitle} – ${A.spendYesterday(formatParis(new Date(now.getTime() - DAY_MS), 'dd/MM'))}`, figures.yesterday),
    blank(),
    ...table(`${A.spendTitle} – ${A.spendWeek}`, figures.week),
    blank(),
    pad([D.medianTitle]),
    pad([...D.medianHead]),
    ...median,
  ];
}

/** Writes the block when a figure changed (one read, at most one write). */
function writeAdsBlock(ctx: Ctx, sheet: GoogleAppsScript.Spreadsheet.Sheet, byDay: Map<string, { median_minutes_to_contact: number | null }>): void {
  const values = adsBlock(ctx, byDay);
  const range = sheet.getRange(ADS_BLOCK_ROW, 1, ADS_BLOCK_ROWS, ADS_COLS);
  const key = (rows: unknown[][]) => JSON.stringify(rows.map((r) => r.map((v) => (v === null || v === undefined ? '' : v))));
  if (key(range.getValues()) === key(values)) return;
  range.setValues(values);
}

/** One chart of the Dashboard (found again by its data ranges, see ensureCharts). */
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
    {
      // Issue 22: the speed to lead, beside its series.
      title: D.chartMedian,
      type: Charts.ChartType.LINE,
      ranges: [`A${MEDIAN_HEADER_ROW}:B${MEDIAN_HEADER_ROW + DASHBOARD_DAYS}`],
      row: MEDIAN_HEADER_ROW,
      col: 4,
      options: { title: D.chartMedian, width: 600, height: 300, legend: 'none' },
    },
  ];
}

/** Script Property: the options last written to each Dashboard chart (by its ranges), as JSON. */
const CHART_OPTIONS_STATE = 'DASHBOARD_CHART_OPTIONS';

/**
 * Inserts the charts that are missing and updates one only when its options changed: a refresh
 * that changes nothing reads the charts and writes nothing. A chart is ours by its data ranges
 * (EmbeddedChart.getRanges, documented; each of ours reads its own cells), not by its title: Google
 * does not document that getOptions() returns an option set by the builder, and a chart not found
 * would be inserted again on every refresh. Its position is the operator's (they may move it).
 * What options it holds is what we last wrote (Script Properties); without that record, the
 * options read back, and one that does not read back counts as changed (one update, then recorded).
 */
function ensureCharts(ctx: Ctx, sheet: GoogleAppsScript.Spreadsheet.Sheet, max: number): void {
  const existing = sheet.getCharts();
  const key = (ranges: readonly string[]) => ranges.join(',');
  const byRanges = new Map(existing.map((c) => [key(c.getRanges().map((r) => r.getA1Notation())), c]));
  const state = parseJson(ctx.settings.state(CHART_OPTIONS_STATE));
  const recorded = state.ok ? (state.value as Record<string, string>) : {};
  const written: Record<string, string> = {};
  for (const spec of dashboardCharts(max)) {
    const id = key(spec.ranges);
    const wanted = JSON.stringify(spec.options);
    written[id] = wanted;
    const chart = byRanges.get(id);
    if (!chart) {
      let builder = sheet.newChart().setChartType(spec.type).setNumHeaders(1).setPosition(spec.row, spec.col, 0, 0);
      for (const a1 of spec.ranges) builder = builder.addRange(sheet.getRange(a1));
      for (const [k, v] of Object.entries(spec.options)) builder = builder.setOption(k, v);
      sheet.insertChart(builder.build());
      continue;
    }
    const stale = id in recorded ? recorded[id] !== wanted : readsOtherwise(chart.getOptions(), spec.options);
    if (!stale) continue;
    let builder = chart.modify();
    for (const [k, v] of Object.entries(spec.options)) builder = builder.setOption(k, v);
    sheet.updateChart(builder.build());
  }
  if (JSON.stringify(written) !== JSON.stringify(recorded)) ctx.settings.setState(CHART_OPTIONS_STATE, JSON.stringify(written));
}

/** True when a chart's options, as read back, differ from these (an option that reads back null differs). */
function readsOtherwise(options: GoogleAppsScript.Charts.ChartOptions, wanted: Record<string, string | number>): boolean {
  return Object.entries(wanted).some(([k, v]) => String(options.get(k)) !== String(v));
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
  // French writes a space before % ("20 %"); a literal one in the pattern, whatever the locale does.
  sheet.getRange(4, 2).setNumberFormat('0" "%');
  sheet.getRange(7, 2).setNumberFormat('#,##0.00');
  sheet.getRange(SERIES_HEADER_ROW + 1, 1, DASHBOARD_DAYS, 1).setNumberFormat('@');
  sheet.getRange(SERIES_HEADER_ROW + 1, 4, DASHBOARD_DAYS, 1).setNumberFormat('#,##0.00');
}
