/**
 * What the ads cost and bring (issue 21): each campaign's spend for a day, read from Meta's
 * insights (`GET /act_{id}/insights`, level campaign, one row per day), beside our own leads,
 * conversions and MRR for that campaign and day, into Ads_Daily (one row per campaign and day,
 * rewritten in place, never duplicated); the day's totals into KPI_Daily; and the per-campaign
 * summaries the 9h email and the Dashboard show. Called by the 18h routine (today) and the 9h
 * routine (yesterday, since Meta's figures settle late). The caller holds the script lock.
 *
 * Cost: two Graph calls (the ad account's time zone, the insights) and a few Sheets calls a run,
 * whatever the size of Leads (the day's leads are read from the bottom, the day's conversions found
 * by a TextFinder on conversion_date).
 */
import { ADS_DAILY, KPI_DAILY, LEADS, type RowOf } from '../domain/schema';
import { adsDailyRows, costPer, summarizeCampaigns, type CampaignSummary } from '../domain/ads';
import { formatParis, parisDay } from '../adapters/gas-services';
import type { Ctx } from './context';
import { adAccount } from './ads';

const HOUR_MS = 3600000;
const DAY_MS = 24 * HOUR_MS;

/** A Paris day: its key (yyyy-MM-dd) and its midnight (the date written in the tabs). */
export interface ParisDayRef {
  day: string;
  midnight: Date;
}

/** What a spend run did. */
export interface SpendReport {
  configured: boolean;
  /** Ads_Daily rows written (appended or rewritten). */
  written: number;
  /** The day totals: spend, leads and conversions from campaigns, and the costs (null: nothing to divide by). */
  totals: Record<string, { ad_spend: number; cost_per_lead: number | null; cost_per_conversion: number | null }>;
  /** The ad account's time zone when it is not Paris (its days are Meta's days). */
  otherTimezone?: string;
  error?: string;
}

/** A regular expression for the cells that show a Paris day (the date columns' format, or ISO). */
function dayCells(ref: ParisDayRef): string {
  return `^(${formatParis(ref.midnight, 'dd/MM/yyyy')}|${ref.day})`;
}

/**
 * Reads Meta's spend for these Paris days and rewrites their Ads_Daily rows with our leads and
 * conversions. Without FB_AD_ACCOUNT_ID only our own figures are known: nothing is written.
 */
export function recordSpend(ctx: Ctx, days: readonly ParisDayRef[]): SpendReport {
  const report: SpendReport = { configured: false, written: 0, totals: {} };
  const account = adAccount(ctx);
  if (!account || days.length === 0) return report;
  report.configured = true;
  const keys = days.map((d) => d.day).sort();
  const graph = ctx.graph();
  const tz = graph.adAccountTimezone(account);
  if (tz.ok && tz.value !== 'Europe/Paris') report.otherTimezone = tz.value;
  const spend = graph.dailySpend(account, keys[0], keys[keys.length - 1]);
  if (!spend.ok) {
    report.error = ctx.redact(spend.error).slice(0, 300);
    return report;
  }
  const earliest = new Date(Math.min(...days.map((d) => d.midnight.getTime())) - HOUR_MS);
  const leadsTable = ctx.table(LEADS);
  const cols = ['source', 'campaign_id', 'campaign_name', 'created_at', 'conversion_date', 'mrr', 'status'] as const;
  const recent = leadsTable.readRecent('created_at', earliest, { columns: cols });
  const seen = new Set(recent.map((l) => l._row));
  const converted = leadsTable.readRowsAt(
    leadsTable.matchRows(['conversion_date'], days.map(dayCells).join('|')).filter((r) => !seen.has(r)),
    { columns: cols },
  );
  const rows = adsDailyRows(keys, spend.value, [...recent, ...converted], parisDay);

  const table = ctx.table(ADS_DAILY);
  const existing = new Map(table.readRecent('date', earliest).filter((r) => r.date !== null).map((r) => [`${parisDay(r.date as Date)}|${r.campaign_id}`, r]));
  const midnightOf = new Map(days.map((d) => [d.day, d.midnight]));
  const appends: Array<RowOf<typeof ADS_DAILY>> = [];
  for (const { day, ...figures } of rows) {
    const old = existing.get(`${day}|${figures.campaign_id}`);
    if (!old) {
      appends.push({ date: midnightOf.get(day) as Date, ...figures });
      continue;
    }
    const same = (Object.keys(figures) as Array<keyof typeof figures>).every((k) => old[k] === figures[k]);
    if (same) continue;
    table.update(old._row, figures);
    report.written++;
  }
  if (appends.length) table.append(appends);
  report.written += appends.length;
  for (const key of keys) {
    const of = rows.filter((r) => r.day === key);
    const total = Math.round(of.reduce((s, r) => s + r.spend, 0) * 100) / 100;
    const leads = of.reduce((s, r) => s + r.leads, 0);
    const conversions = of.reduce((s, r) => s + r.conversions, 0);
    report.totals[key] = { ad_spend: total, cost_per_lead: costPer(total, leads), cost_per_conversion: costPer(total, conversions) };
  }
  return report;
}

/**
 * Writes a day's ad figures into its existing KPI_Daily row (the 9h routine's correction of
 * yesterday, once Meta's figures settled); nothing when the row is missing or already right.
 */
export function updateKpiSpend(ctx: Ctx, ref: ParisDayRef, totals: SpendReport['totals'][string]): boolean {
  const table = ctx.table(KPI_DAILY);
  const row = table.readRecent('date', new Date(ref.midnight.getTime() - HOUR_MS)).find((r) => r.date !== null && parisDay(r.date) === ref.day);
  if (!row) return false;
  if (row.ad_spend === totals.ad_spend && row.cost_per_lead === totals.cost_per_lead && row.cost_per_conversion === totals.cost_per_conversion) return false;
  table.update(row._row, totals);
  return true;
}

/** Per-campaign figures of yesterday and of the last 7 days (yesterday included), from Ads_Daily. */
export interface CampaignFigures {
  yesterday: CampaignSummary[];
  week: CampaignSummary[];
}

/** Reads the last 8 days of Ads_Daily (a few rows per day) and sums them per campaign. */
export function campaignFigures(ctx: Ctx, now: Date): CampaignFigures {
  const rows = ctx
    .table(ADS_DAILY)
    .readRecent('date', new Date(now.getTime() - 9 * DAY_MS))
    .filter((r) => r.date !== null)
    .map(({ date, _row, ...r }) => ({ ...r, day: parisDay(date as Date) }));
  const today = parisDay(now);
  const yesterday = parisDay(new Date(now.getTime() - DAY_MS));
  const weekStart = parisDay(new Date(now.getTime() - 7 * DAY_MS));
  return {
    yesterday: summarizeCampaigns(rows, (d) => d === yesterday),
    week: summarizeCampaigns(rows, (d) => d >= weekStart && d < today),
  };
}
