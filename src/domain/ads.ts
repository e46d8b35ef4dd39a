/**
 * What the ads cost and bring, the pure part: Meta's daily campaign insights (`GET /act_{id}/insights`,
 * level=campaign, time_increment=1: every number a string), our own leads and conversions per
 * campaign and day, the costs that divide them (empty when there is nothing to divide by), and the
 * lead stages sent to Meta's Conversions API for Conversion Leads.
 */
import * as v from 'valibot';
import { ok, type Result } from './result';
import { parseGraphPage } from './campaigns';
import type { ADS_DAILY, LEADS, RowOf } from './schema';

/** One campaign's figures for one day, as Meta reports them. */
export interface DailySpend {
  day: string;
  campaignId: string;
  campaignName: string;
  spend: number;
  impressions: number;
}

const InsightRow = v.looseObject({
  campaign_id: v.pipe(v.string(), v.regex(/^\d{1,25}$/)),
  campaign_name: v.optional(v.string()),
  spend: v.optional(v.string()),
  impressions: v.optional(v.string()),
  date_start: v.pipe(v.string(), v.regex(/^\d{4}-\d\d-\d\d$/)),
});

/** A decimal string of Graph (`"18.4"`), in cents then back, so that sums do not drift; 0 when absent or bad. */
export function decimal(s: string | undefined): number {
  const n = Number(s ?? '');
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 100) / 100 : 0;
}

/** A page of insights, and the cursor of the next one (only when Graph gives `next`). */
export function parseInsightsPage(json: unknown): Result<{ rows: DailySpend[]; after: string | null }> {
  const page = parseGraphPage(json);
  if (!page.ok) return page;
  const rows: DailySpend[] = [];
  for (const item of page.value.data) {
    const r = v.safeParse(InsightRow, item);
    if (!r.success) continue;
    rows.push({ day: r.output.date_start, campaignId: r.output.campaign_id, campaignName: (r.output.campaign_name ?? '').slice(0, 500), spend: decimal(r.output.spend), impressions: Math.round(decimal(r.output.impressions)) });
  }
  return ok({ rows, after: page.value.after });
}

/** `spend / count` rounded to the cent, or null when there is nothing to divide by. */
export function costPer(spend: number, count: number): number | null {
  return count > 0 ? Math.round((spend * 100) / count) / 100 : null;
}

type AdsDailyRow = RowOf<typeof ADS_DAILY>;
type LeadRow = Pick<RowOf<typeof LEADS>, 'source' | 'campaign_id' | 'campaign_name' | 'created_at' | 'conversion_date' | 'mrr' | 'status'>;

/**
 * The Ads_Daily rows of some days: one per campaign and day that Meta reports spend for or that
 * brought us a lead or a conversion. A lead counts on the Paris day it was created, a conversion on
 * its conversion_date, for the campaign the lead came from. `date` is left to the caller (a Date).
 */
export function adsDailyRows(days: readonly string[], spend: readonly DailySpend[], leads: readonly LeadRow[], dayOf: (d: Date) => string): Array<Omit<AdsDailyRow, 'date'> & { day: string }> {
  const wanted = new Set(days);
  const rows = new Map<string, Omit<AdsDailyRow, 'date'> & { day: string }>();
  const row = (day: string, id: string, name: string) => {
    const key = `${day}|${id}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { day, campaign_id: id, campaign_name: name, spend: 0, impressions: 0, leads: 0, conversions: 0, mrr_added: 0, cost_per_lead: null, cost_per_conversion: null }));
    if (!r.campaign_name && name) r.campaign_name = name;
    return r;
  };
  for (const s of spend) {
    if (!wanted.has(s.day)) continue;
    const r = row(s.day, s.campaignId, s.campaignName);
    r.spend = Math.round((r.spend + s.spend) * 100) / 100;
    r.impressions += s.impressions;
  }
  for (const l of leads) {
    if (!l.campaign_id) continue;
    if (l.created_at && wanted.has(dayOf(l.created_at))) row(dayOf(l.created_at), l.campaign_id, l.campaign_name).leads++;
    if (l.conversion_date && wanted.has(dayOf(l.conversion_date))) {
      const r = row(dayOf(l.conversion_date), l.campaign_id, l.campaign_name);
      r.conversions++;
      r.mrr_added = Math.round((r.mrr_added + (Number.isFinite(l.mrr) ? l.mrr : 0)) * 100) / 100;
    }
  }
  for (const r of rows.values()) {
    r.cost_per_lead = costPer(r.spend, r.leads);
    r.cost_per_conversion = costPer(r.spend, r.conversions);
  }
  return [...rows.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.campaign_id < b.campaign_id ? -1 : 1));
}

/** One campaign over a span of days, for the reports. */
export interface CampaignSummary {
  id: string;
  name: string;
  spend: number;
  leads: number;
  conversions: number;
  costPerLead: number | null;
  costPerConversion: number | null;
}

/** Sums Ads_Daily rows per campaign, over the days accepted by `within`; most spent first. */
export function summarizeCampaigns(rows: ReadonlyArray<Omit<AdsDailyRow, 'date'> & { day: string }>, within: (day: string) => boolean): CampaignSummary[] {
  const by = new Map<string, CampaignSummary>();
  for (const r of rows) {
    if (!within(r.day)) continue;
    const s = by.get(r.campaign_id) ?? { id: r.campaign_id, name: r.campaign_name, spend: 0, leads: 0, conversions: 0, costPerLead: null, costPerConversion: null };
    s.spend = Math.round((s.spend + r.spend) * 100) / 100;
    s.leads += r.leads;
    s.conversions += r.conversions;
    if (!s.name) s.name = r.campaign_name;
    by.set(r.campaign_id, s);
  }
  return [...by.values()]
    .map((s) => ({ ...s, costPerLead: costPer(s.spend, s.leads), costPerConversion: costPer(s.spend, s.conversions) }))
    .sort((a, b) => b.spend - a.spend || (a.id < b.id ? -1 : 1));
}

// ---- lead stages to Meta (Conversions API for Conversion Leads) -----------------------------------

/** The CRM stages sent to Meta, in their order (SPEC §3). */
export const LEAD_STAGES = ['received', 'contacted', 'converted', 'rejected'] as const;
export type LeadStage = (typeof LEAD_STAGES)[number];

/** Meta's window: a Conversion Leads event older than this is refused. */
export const STAGE_WINDOW_MS = 7 * 24 * 3600 * 1000;

/** Our name for the CRM, as `custom_data.lead_event_source`. */
export const LEAD_EVENT_SOURCE = 'Sirrius Ops';

/**
 * The stages a lead has reached, in order, each with when it happened: received (the form),
 * contacted (contacted_at, or implied by a conversion), converted (conversion_date), rejected
 * (the lead's status; dated `now`, the lead keeps no rejection date). Only Meta leads (a leadgen id).
 */
export function stagesReached(lead: Pick<RowOf<typeof LEADS>, 'source' | 'fb_lead_id' | 'status' | 'created_at' | 'contacted_at' | 'conversion_date' | 'updated_at'>, now: Date): Array<{ stage: LeadStage; at: Date }> {
  if (!/^\d{1,25}$/.test(lead.fb_lead_id) || !lead.created_at) return [];
  const out: Array<{ stage: LeadStage; at: Date }> = [{ stage: 'received', at: lead.created_at }];
  const converted = lead.status === 'converted' || lead.conversion_date !== null;
  const contactedAt = lead.contacted_at ?? (converted ? (lead.conversion_date ?? now) : lead.status === 'contacted' ? (lead.updated_at ?? now) : null);
  if (contactedAt) out.push({ stage: 'contacted', at: contactedAt });
  if (converted) out.push({ stage: 'converted', at: lead.conversion_date ?? now });
  if (lead.status === 'rejected') out.push({ stage: 'rejected', at: lead.updated_at ?? now });
  // Meta wants each stage after the lead's creation, and in order: never before the previous one.
  let floor = lead.created_at.getTime();
  return out.map((s) => {
    const t = Math.max(floor, s.at.getTime());
    floor = t;
    return { stage: s.stage, at: new Date(t) };
  });
}

/** The event id of a lead's stage (`custom` dedup key: one per lead and stage). */
export function stageEventId(leadgenId: string, stage: LeadStage): string {
  return `${leadgenId}_${stage}`;
}

/**
 * One Conversion Leads event (Meta's payload specification): `event_name` our stage,
 * `event_time` in seconds, `action_source` system_generated, `user_data.lead_id` the leadgen id
 * (not hashed), `custom_data.event_source` crm and `lead_event_source` our name, `event_id`.
 */
export function stageEvent(leadgenId: string, stage: LeadStage, at: Date): Record<string, unknown> {
  return {
    event_name: stage,
    event_time: Math.floor(at.getTime() / 1000),
    action_source: 'system_generated',
    event_id: stageEventId(leadgenId, stage),
    user_data: { lead_id: leadgenId },
    custom_data: { event_source: 'crm', lead_event_source: LEAD_EVENT_SOURCE },
  };
}

/** Whether Meta's answer to `POST /{dataset_id}/events` took our event (`events_received` ≥ 1). */
export function eventsReceived(json: unknown): boolean {
  const n = (json as { events_received?: unknown } | null)?.events_received;
  return typeof n === 'number' && n >= 1;
}
