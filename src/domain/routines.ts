/**
 * The daily routines (SOP "Routine Quotidienne"), the pure part: from the rows of the tabs, read
 * once per routine, to the figures each routine reports or writes (the day's KPI, the call list,
 * the priority leads, the Stripe and opt-out checks, the journal rows past retention, the backups
 * to trash). No Apps Script here: the Paris day of an instant is passed in as `dayOf`.
 * src/app/routines.ts reads and writes; src/ui/reports.ts turns these figures into emails.
 */
import type { Config } from './config';
import { normalizePhone } from './phone';
import type { EVENTS, INCIDENTS, LEADS, MESSAGES, OPT_OUTS, RowOf } from './schema';

type LeadRow = RowOf<typeof LEADS>;
type MessageRow = RowOf<typeof MESSAGES>;
type OptOutRow = RowOf<typeof OPT_OUTS>;
type EventRow = RowOf<typeof EVENTS>;
type IncidentRow = RowOf<typeof INCIDENTS>;

/** A row with at least the columns K (the routines read only the columns they need). */
type Some<R, K extends keyof R> = Pick<R, K> & Partial<R>;

/** The Paris day (yyyy-MM-dd) of an instant. */
export type DayOf = (at: Date) => string;

const HOUR_MS = 3600000;

/** Messages.template of the first SMS to a lead (app/sms.ts LEAD_SMS; repeated here to keep domain free of app). */
export const LEAD_SMS_TEMPLATE = 'sms_nouveau_lead';

/** A lead is "priority" in the morning while it is `new` and younger than this (SOP Matin 2). */
export const PRIORITY_HOURS = 12;
/** A lead is "fresh" on the afternoon call list while younger than this (SOP Après-midi 6). */
export const FRESH_HOURS = 6;
/** Below this share of the day's capacity remaining, the noon routine tells the operator (SOP Midi 5). */
export const LOW_REMAINING_PCT = 20;

/** A lead's display name: first and last name, else its id. */
export function leadName(lead: Pick<LeadRow, 'first_name' | 'last_name' | 'id'>): string {
  return `${lead.first_name} ${lead.last_name}`.trim() || lead.id;
}

/** Age in whole hours, never negative. */
export function ageHours(created: Date | null, now: Date): number {
  return created ? Math.max(0, Math.floor((now.getTime() - created.getTime()) / HOUR_MS)) : 0;
}

// ---- KPI_Daily ---------------------------------------------------------------------------------

/** The computed columns of a KPI_Daily row. */
export interface KpiFigures {
  leads_received: number;
  sms_sent: number;
  leads_contacted: number;
  leads_converted: number;
  /** leads_converted / leads_received, in percent with one decimal (0 without leads). */
  conversion_rate: number;
  mrr_added: number;
  opt_outs: number;
  payments_failed: number;
  incidents_opened: number;
  capacity_used_pct: number;
  /** The day's SMS to leads that Twilio reports delivered. */
  sms_delivered: number;
  /** Median minutes from the form (created_at) to contacted_at, over the leads contacted that day; null without any. */
  median_minutes_to_contact: number | null;
  /** What Meta reports spent that day, and what it cost per lead and per client from the campaigns (null: nothing to divide by). */
  ad_spend: number;
  cost_per_lead: number | null;
  cost_per_conversion: number | null;
}

/** What the day's KPI is computed from: the rows of the tabs, and today's capacity usage. */
export interface KpiInput {
  day: string;
  dayOf: DayOf;
  leads: readonly LeadRow[];
  messages: ReadonlyArray<Some<MessageRow, 'channel' | 'template' | 'status' | 'sent_at'>>;
  optOuts: ReadonlyArray<Some<OptOutRow, 'opted_out_at'>>;
  events: ReadonlyArray<Some<EventRow, 'source' | 'type' | 'status' | 'received_at'>>;
  incidents: ReadonlyArray<Some<IncidentRow, 'created_at'>>;
  capacityUsedPct: number;
}

/** Messages statuses of an SMS Twilio accepted (then its delivery status). */
const ACCEPTED = /^(sent|delivered|undelivered)$/;

const on = (dayOf: DayOf, day: string) => (d: Date | null) => d !== null && dayOf(d) === day;

/**
 * The KPI of one Paris day, all from the tabs:
 * - leads_received: leads created that day, every source (SPEC §1);
 * - sms_sent: the leads' SMS that Twilio accepted that day (Messages rows of the lead SMS template,
 *   status sent, dated that day). Messages rather than Leads.sms_sent_at: a retried SMS keeps one
 *   row whose sent_at is its last attempt, and operator alerts (another template) are left out;
 * - leads_contacted: contacted_at that day; leads_converted and mrr_added: conversion_date that day;
 * - opt_outs: Opt_Outs rows dated that day; payments_failed: Stripe invoice.payment_failed events
 *   journalled that day (one row per event, so a redelivery counts once; ignored ones left out);
 * - incidents_opened: Incidents created that day; capacity_used_pct: the day's Capacity usage.
 */
export function computeKpi(input: KpiInput): KpiFigures {
  const that = on(input.dayOf, input.day);
  const received = input.leads.filter((l) => that(l.created_at)).length;
  const converted = input.leads.filter((l) => that(l.conversion_date));
  const mrr = Math.round(converted.reduce((s, l) => s + (Number.isFinite(l.mrr) ? l.mrr : 0), 0) * 100) / 100;
  return {
    leads_received: received,
    sms_sent: input.messages.filter((m) => m.channel === 'sms' && m.template === LEAD_SMS_TEMPLATE && ACCEPTED.test(m.status) && that(m.sent_at)).length,
    leads_contacted: input.leads.filter((l) => that(l.contacted_at)).length,
    leads_converted: converted.length,
    conversion_rate: received === 0 ? 0 : Math.round((converted.length * 1000) / received) / 10,
    mrr_added: mrr,
    opt_outs: input.optOuts.filter((o) => that(o.opted_out_at)).length,
    payments_failed: input.events.filter((e) => e.source === 'stripe' && e.type === 'invoice.payment_failed' && e.status !== 'ignored' && that(e.received_at)).length,
    incidents_opened: input.incidents.filter((i) => that(i.created_at)).length,
    capacity_used_pct: input.capacityUsedPct,
    sms_delivered: input.messages.filter((m) => m.channel === 'sms' && m.template === LEAD_SMS_TEMPLATE && m.status === 'delivered' && that(m.sent_at)).length,
    median_minutes_to_contact: medianMinutesToContact(input.leads.filter((l) => that(l.contacted_at))),
    ad_spend: 0,
    cost_per_lead: null,
    cost_per_conversion: null,
  };
}

/**
 * Speed to lead: the median of the minutes from the form to the call, over these leads (those
 * contacted on a day), rounded to the minute; null when none has both dates.
 */
export function medianMinutesToContact(leads: ReadonlyArray<Pick<LeadRow, 'created_at' | 'contacted_at'>>): number | null {
  const minutes = leads
    .filter((l) => l.created_at !== null && l.contacted_at !== null)
    .map((l) => Math.max(0, ((l.contacted_at as Date).getTime() - (l.created_at as Date).getTime()) / 60000))
    .sort((a, b) => a - b);
  if (minutes.length === 0) return null;
  const mid = Math.floor(minutes.length / 2);
  const median = minutes.length % 2 ? minutes[mid] : (minutes[mid - 1] + minutes[mid]) / 2;
  return Math.round(median);
}

/** A lead not called yet, for the 9h and 15h emails: its wait since the form, oldest first. */
export interface UncalledLead {
  id: string;
  name: string;
  phone: string;
  minutes: number;
  smsStatus: string;
}

/** The `new` leads never contacted, oldest first, with their age in minutes. */
export function uncalledLeads(leads: ReadonlyArray<Pick<LeadRow, 'id' | 'first_name' | 'last_name' | 'phone' | 'status' | 'created_at' | 'contacted_at' | 'sms_status'>>, now: Date): UncalledLead[] {
  return leads
    .filter((l) => l.status === 'new' && l.contacted_at === null && l.created_at !== null)
    .sort((a, b) => (a.created_at as Date).getTime() - (b.created_at as Date).getTime())
    .map((l) => ({ id: l.id, name: leadName(l), phone: l.phone, minutes: Math.max(0, Math.floor((now.getTime() - (l.created_at as Date).getTime()) / 60000)), smsStatus: l.sms_status }));
}

/** Whether two KPI rows hold the same figures (the evening routine then writes nothing). */
export function sameKpi(a: KpiFigures, b: Partial<KpiFigures>): boolean {
  return (Object.keys(a) as Array<keyof KpiFigures>).every((k) => a[k] === b[k]);
}

/** One objective of Config against the day's result. */
export interface ObjectiveCheck {
  key: 'leads' | 'conversions' | 'mrr';
  actual: number;
  objective: number;
  met: boolean;
}

/** The day's results against Config's daily objectives (an objective of 0 or less is always met). */
export function checkObjectives(kpi: KpiFigures, config: Pick<Config, 'objective_leads_per_day' | 'objective_conversions_per_day' | 'objective_mrr_per_day'>): ObjectiveCheck[] {
  const check = (key: ObjectiveCheck['key'], actual: number, objective: number): ObjectiveCheck => ({ key, actual, objective, met: actual >= objective });
  return [
    check('leads', kpi.leads_received, config.objective_leads_per_day),
    check('conversions', kpi.leads_converted, config.objective_conversions_per_day),
    check('mrr', kpi.mrr_added, config.objective_mrr_per_day),
  ];
}

/** What to adjust tomorrow, as keys the French report words (ordered: the most pressing first). */
export type Adjustment = 'capacity_full' | 'leads_low' | 'contact_backlog' | 'conversions_low' | 'mrr_low' | 'on_track';

/**
 * The adjustments the day calls for: capacity reached (raise the maximum or keep the pause),
 * too few leads (campaigns, budget), leads left uncontacted, too few conversions or MRR.
 */
export function adjustments(kpi: KpiFigures, checks: readonly ObjectiveCheck[], uncontacted: number): Adjustment[] {
  const out: Adjustment[] = [];
  const missed = (k: ObjectiveCheck['key']) => checks.some((c) => c.key === k && !c.met);
  if (kpi.capacity_used_pct >= 100) out.push('capacity_full');
  else if (missed('leads')) out.push('leads_low');
  if (uncontacted > 0) out.push('contact_backlog');
  if (missed('conversions')) out.push('conversions_low');
  if (missed('mrr')) out.push('mrr_low');
  return out.length ? out : ['on_track'];
}

/** The day's conversions, for the SOP's "rapports de succès". */
export interface Conversion {
  id: string;
  name: string;
  mrr: number;
  /** Converted, then suspended (failed payments: `rejected`, MRR 0) since. */
  suspended: boolean;
}

/** The leads converted that day, by name and MRR (now: a client suspended since shows 0 and says so). */
export function conversionsOn(leads: readonly LeadRow[], day: string, dayOf: DayOf): Conversion[] {
  const that = on(dayOf, day);
  return leads.filter((l) => that(l.conversion_date)).map((l) => ({ id: l.id, name: leadName(l), mrr: l.mrr, suspended: l.status === 'rejected' }));
}

// ---- leads to call -----------------------------------------------------------------------------

/** A lead to call. */
export interface CallEntry {
  id: string;
  name: string;
  phone: string;
  ageHours: number;
  /** The wait since the form, in minutes (the emails show it as the uncalled list does: `30 min`, `4 h 30`). */
  ageMinutes: number;
  notes: string;
  /** Younger than FRESH_HOURS (the morning's "priority" uses PRIORITY_HOURS). */
  fresh: boolean;
  smsSent: boolean;
}

function entry(lead: LeadRow, now: Date, freshHours: number): CallEntry {
  const age = ageHours(lead.created_at, now);
  const fresh = lead.created_at !== null && now.getTime() - lead.created_at.getTime() < freshHours * HOUR_MS;
  const minutes = lead.created_at ? Math.max(0, Math.floor((now.getTime() - lead.created_at.getTime()) / 60000)) : 0;
  return { id: lead.id, name: leadName(lead), phone: lead.phone, ageHours: age, ageMinutes: minutes, notes: lead.notes, fresh, smsSent: lead.sms_sent };
}

/**
 * The afternoon call list: `new` leads never contacted, those under FRESH_HOURS first, then the
 * older ones; newest first within each group (a lead is likelier to answer while its request is
 * fresh). Opted-out, rejected and converted leads are never listed.
 */
export function callList(leads: readonly LeadRow[], now: Date): CallEntry[] {
  const open = leads.filter((l) => l.status === 'new' && l.contacted_at === null);
  const newest = (a: LeadRow, b: LeadRow) => (b.created_at?.getTime() ?? 0) - (a.created_at?.getTime() ?? 0);
  return [...open].sort(newest).map((l) => entry(l, now, FRESH_HOURS)).sort((a, b) => Number(b.fresh) - Number(a.fresh));
}

/** The morning's priority leads: `new` and younger than PRIORITY_HOURS, newest first. */
export function priorityLeads(leads: readonly LeadRow[], now: Date): CallEntry[] {
  return leads
    .filter((l) => l.status === 'new' && l.created_at !== null && now.getTime() - l.created_at.getTime() < PRIORITY_HOURS * HOUR_MS)
    .sort((a, b) => (b.created_at?.getTime() ?? 0) - (a.created_at?.getTime() ?? 0))
    .map((l) => entry(l, now, PRIORITY_HOURS));
}

// ---- Stripe ------------------------------------------------------------------------------------

/** Journal rows of one source within a window, counted by status. */
export function countByStatus(events: ReadonlyArray<Some<EventRow, 'source' | 'status' | 'received_at'>>, source: string, since: Date): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) {
    if (e.source !== source || !e.received_at || e.received_at.getTime() < since.getTime()) continue;
    out[e.status || '?'] = (out[e.status || '?'] ?? 0) + 1;
  }
  return out;
}

/** The Stripe invoice.payment_failed events journalled since an instant. */
export function failedPaymentsSince(events: ReadonlyArray<Some<EventRow, 'source' | 'type' | 'status' | 'received_at'>>, since: Date): number {
  return events.filter((e) => e.source === 'stripe' && e.type === 'invoice.payment_failed' && e.status !== 'ignored' && e.received_at !== null && e.received_at.getTime() >= since.getTime()).length;
}

/** What the evening compares: an active Stripe subscription. */
export interface ActiveSubscription {
  id: string;
  customer: string;
}

/**
 * The Stripe sync check (SOP Fin de journée 8): active subscriptions that no converted lead
 * carries, and converted leads still counted as paying (mrr > 0) whose subscription is not among
 * the active ones. The latter are only suspects: a `trialing` or `past_due` subscription is not
 * listed by `status=active`, so the app layer asks Stripe about each before raising anything.
 * A lead whose subscription was cancelled through the webhook has mrr 0: known, not a gap.
 * A client with several subscriptions carries the newest: the others are theirs by customer, or
 * by the conversion note that names them (a second checkout may make a second customer).
 */
export function subscriptionGaps<L extends LeadRow>(active: readonly ActiveSubscription[], leads: readonly L[]): { unlinked: ActiveSubscription[]; suspects: L[] } {
  const activeIds = new Set(active.map((s) => s.id));
  const clients = leads.filter((l) => l.status === 'converted' && l.stripe_subscription_id);
  const subscriptions = new Set(clients.map((l) => l.stripe_subscription_id));
  const customers = new Set(clients.map((l) => l.stripe_customer_id).filter(Boolean));
  const named = (id: string) => clients.some((l) => l.notes.includes(id));
  return {
    unlinked: active.filter((s) => !subscriptions.has(s.id) && !customers.has(s.customer) && !named(s.id)),
    suspects: leads.filter((l) => l.status === 'converted' && l.mrr > 0 && !activeIds.has(l.stripe_subscription_id)),
  };
}

// ---- opt-outs ----------------------------------------------------------------------------------

/** A number of Opt_Outs that got an SMS after its opt-out. */
export interface OptOutBreach {
  phone: string;
  optedOutAt: Date | null;
  sent: number;
  lastSentAt: Date;
}

/**
 * The opt-out control (SOP Fin de journée 8): the leads whose number is in Opt_Outs but whose
 * status is not `opted_out` (to fix), and the numbers that got an SMS (sent, or left `sending`)
 * after their opt-out (to raise: that cannot be undone). Numbers are compared in E.164, so a lead
 * typed `06 12 …` matches `+336 12 …`.
 */
export function optOutCheck<L extends LeadRow>(optOuts: ReadonlyArray<Some<OptOutRow, 'phone' | 'opted_out_at'>>, leads: readonly L[], messages: ReadonlyArray<Some<MessageRow, 'channel' | 'status' | 'sent_at' | 'to'>>): { toFix: L[]; breaches: OptOutBreach[] } {
  const since = new Map<string, Date | null>();
  for (const o of optOuts) {
    const p = normalizePhone(o.phone);
    const key = p.ok ? p.e164 : o.phone.trim();
    if (!key) continue;
    const prev = since.get(key);
    // Several rows for one number: the earliest opt-out is the one that counts.
    if (prev === undefined || (o.opted_out_at && (!prev || o.opted_out_at < prev))) since.set(key, o.opted_out_at);
  }
  const toFix = leads.filter((l) => {
    if (l.status === 'opted_out') return false;
    const p = normalizePhone(l.phone);
    return since.has(p.ok ? p.e164 : l.phone.trim());
  });
  const breaches = new Map<string, OptOutBreach>();
  for (const m of messages) {
    if (m.channel !== 'sms' || !/^(sent|sending|delivered|undelivered)$/.test(m.status) || !m.sent_at) continue;
    const p = normalizePhone(m.to);
    const key = p.ok ? p.e164 : m.to.trim();
    if (!since.has(key)) continue;
    const at = since.get(key) ?? null;
    if (at && m.sent_at.getTime() <= at.getTime()) continue;
    const b = breaches.get(key) ?? { phone: key, optedOutAt: at, sent: 0, lastSentAt: m.sent_at };
    b.sent++;
    if (m.sent_at > b.lastSentAt) b.lastSentAt = m.sent_at;
    breaches.set(key, b);
  }
  return { toFix, breaches: [...breaches.values()] };
}

// ---- journal retention and backups ---------------------------------------------------------------

/** Journal statuses with nothing left to do (a `received` or `failed` event is still retried). */
const EVENT_DONE = new Set(['processed', 'duplicate', 'ignored']);

/**
 * How many rows at the top of Events may be removed: done and received before the cutoff. Rows
 * are journalled in time order, so those are one block at the top, removed by one deleteRows.
 * Counting stops at the first row that is recent, undated (never delete what cannot be dated) or
 * still has work to do.
 */
export function expiredPrefix(rows: ReadonlyArray<{ received_at: Date | null; status: string }>, cutoff: Date): number {
  let n = 0;
  while (n < rows.length) {
    const r = rows[n];
    if (r.received_at === null || r.received_at.getTime() >= cutoff.getTime() || !EVENT_DONE.has(r.status)) break;
    n++;
  }
  return n;
}

/** A backup file as Drive lists it. */
export interface BackupFile {
  id: string;
  name: string;
  created: Date;
  trashed: boolean;
}

/** The backups beyond the newest `keep` (only files named with `prefix`: a person's own files stay). */
export function backupsToTrash(files: readonly BackupFile[], prefix: string, keep: number): BackupFile[] {
  const ours = files.filter((f) => !f.trashed && f.name.startsWith(prefix)).sort((a, b) => b.created.getTime() - a.created.getTime() || (a.name < b.name ? 1 : -1));
  return ours.slice(Math.max(1, Math.floor(keep)));
}
