/**
 * KO #2, capacity (SPEC §3): one Capacity row per Paris day, counted as leads arrive. At
 * capacity_alert_pct the operator gets one email and one SMS; at capacity_pause_pct every active
 * campaign of Ads_Control is paused through Graph; beyond max_leads the day is `full` with one
 * high capacity_overflow incident. Each step runs once a day (markers on the Capacity row); leads
 * keep being recorded. Campaigns paused for capacity resume the next day from reconcile. Also the
 * operator's functions: set today's maximum, reject the excess, pause/resume/sync the campaigns.
 * Everything here runs under the script lock.
 */
import { CAPACITY, LEADS, MESSAGES, type RowOf } from '../domain/schema';
import {
  capacityFigures,
  capacitySteps,
  effectiveMax,
  excessLeads,
  parseMaxLeads,
  stepsStillTaken,
  type CapacityFigures,
  type CapacityThresholds,
  type StepsTaken,
} from '../domain/capacity';
import { checkText, isLeadId } from '../domain/input';
import { leadName } from '../domain/routines';
import { normalizePhone } from '../domain/phone';
import { columnLetter, type Stored } from '../adapters/sheets';
import { displayedDayPattern, formatParis, parisDay } from '../adapters/gas-services';
import { done, refused, type ActionResult } from '../shared/types';
import type { Ctx } from './context';
import { openIncident } from './incidents';
import { markDashboardStale } from './dashboard-stale';
import { addNote, type Lead } from './leads';
import { pauseAllCampaigns, resumeAllCampaigns, syncAllCampaigns, campaignRows, discoverCampaigns, type CampaignsReport } from './ads';
import { FR, phoneFr } from '../ui/strings.fr';
import { leadStageChanged } from './lead-stages';

type CapacityRow = RowOf<typeof CAPACITY>;

/**
 * The Paris day (yyyy-MM-dd) of the last capacity pause, in Script Properties: reconcile reads
 * it (no Sheets call) to know whether there is anything to resume.
 */
const CAPACITY_PAUSED_DAY = 'CAPACITY_PAUSED_DAY';

/**
 * `yyyy-MM-dd|row` of today's Capacity row, in Script Properties: a lead then reads that row
 * straight away (no getLastRow). Only a hint: the row read must carry today's date, or the
 * search below runs (an operator may have inserted, deleted or sorted rows).
 */
const CAPACITY_ROW = 'CAPACITY_TODAY_ROW';

/**
 * The Paris day on which the pause step found Ads_Control empty (an incident says the ads run on):
 * the next leads of that day skip the step instead of reading Ads_Control again.
 */
const NO_CAMPAIGN_DAY = 'CAPACITY_NO_CAMPAIGN_DAY';

/** Messages.template of the operator's capacity alert. */
export const CAPACITY_ALERT = 'alerte_capacite';

/** Today's Capacity row: its sheet row, or null when it is not written yet. */
interface Day {
  row: number | null;
  values: CapacityRow;
  /** yyyy-MM-dd in Paris. */
  key: string;
}

/** What counting a lead did (for logs and tests). */
export interface CapacityReport {
  current: number;
  max: number;
  status: string;
  steps: string[];
  error?: string;
}

// ---- counting ---------------------------------------------------------------------------------

/** Script Property holding the ids of the leads counted lately, and how many it keeps. */
const COUNTED_KEY = 'CAPACITY_COUNTED_LEADS';
const COUNTED_KEEP = 100;

/**
 * Counts a new lead in the Capacity row of the Paris day it was created (SPEC §1: a lead
 * recovered after midnight counts for its own day) and, for today, takes the steps the new count
 * calls for; a past day's row is only corrected (no alert, pause or incident about a day that is
 * over). Called right after a lead is recorded (Meta or manual). Never throws: capacity must not
 * stop a lead from being recorded and texted; an error is logged (console) and returned.
 * Steady state cost: 3 Sheets calls (header, today's row read, then written), whatever the rows.
 */
export function countLead(ctx: Ctx, leadId?: string, createdAt?: Date | null): CapacityReport {
  try {
    // Each lead counts once, even when an execution that died after recording it is completed by
    // a retry: the ids counted lately are kept in Script Properties, written before the count
    // (a crash between the two loses one count, which the noon recount restores; never a double).
    if (leadId) {
      const counted = ctx.settings.state(COUNTED_KEY).split(',').filter(Boolean);
      if (counted.includes(leadId)) return { current: 0, max: 0, status: '', steps: [] };
      ctx.settings.setState(COUNTED_KEY, [...counted, leadId].slice(-COUNTED_KEEP).join(','));
    }
    const config = ctx.config();
    const at = createdAt && !isNaN(createdAt.getTime()) && createdAt.getTime() < ctx.now().getTime() ? createdAt : ctx.now();
    const day = loadDay(ctx, at);
    const max = effectiveMax(day.values.max_leads, config.max_leads_per_day);
    const figures = capacityFigures(Math.max(0, Math.floor(day.values.current_leads)) + 1, max, config.capacity_alert_pct);
    const today = day.key === parisDay(ctx.now());
    const { markers, steps } = today ? takeSteps(ctx, day, figures, takenOf(day.values), true) : { markers: {}, steps: [] as string[] };
    saveDay(ctx, day, { ...figures, ...markers, updated_at: ctx.now() });
    return { current: figures.current_leads, max, status: figures.status, steps };
  } catch (e) {
    const error = ctx.redact(e instanceof Error ? e.message : String(e));
    console.error(`capacity: ${error}`);
    return { current: 0, max: 0, status: '', steps: [], error };
  }
}

function thresholds(ctx: Ctx): CapacityThresholds {
  const config = ctx.config();
  return { alertPct: config.capacity_alert_pct, pausePct: config.capacity_pause_pct };
}

function takenOf(values: CapacityRow): StepsTaken {
  return { alerted: values.alerted_at !== null, paused: values.ads_paused_at !== null, overflowed: values.overflow_incident !== '' };
}

/**
 * Runs the steps due and not yet taken today; returns the markers to write. A step whose action
 * failed is not marked, so that the next lead tries it again. `notify`: false when the operator
 * changed the maximum themselves (no alert to the person who just acted; it is marked all the same).
 */
function takeSteps(ctx: Ctx, day: Day, figures: CapacityFigures, taken: StepsTaken, notify: boolean): { markers: Partial<CapacityRow>; steps: string[] } {
  const due = capacitySteps(figures, thresholds(ctx), taken);
  const markers: Partial<CapacityRow> = {};
  const steps: string[] = [];
  const now = ctx.now();
  const date = formatParis(now, 'dd/MM/yyyy');
  if (due.alert && (!notify || sendCapacityAlert(ctx, figures, date))) {
    markers.alerted_at = now;
    steps.push('alert');
  }
  if (due.pause && ctx.settings.state(NO_CAMPAIGN_DAY) !== day.key) {
    const rows = campaignRows(ctx);
    if (rows.length === 0) {
      // Nothing to pause: the ads keep running, so ads_paused_at stays empty and the operator is
      // told so (one incident a day; the marker below spares the next leads a read of Ads_Control).
      openIncident(ctx, { type: 'ads_not_paused', severity: 'high', title: FR.capacity.noCampaignTitle(date, figures.usage_pct), ref: day.key, decision: FR.capacity.noCampaignDecision });
      ctx.settings.setState(NO_CAMPAIGN_DAY, day.key);
      steps.push('no_campaign');
    } else {
      const report = pauseAllCampaigns(ctx, FR.capacity.pauseReason(figures.usage_pct, date), 'capacity', rows);
      // Set whatever happened: the campaigns paused for capacity before today stay paused today.
      ctx.settings.setState(CAPACITY_PAUSED_DAY, day.key);
      for (const failure of report.failed) {
        openIncident(ctx, { type: 'ads_pause_failed', severity: 'high', title: FR.capacity.pauseFailed(failure.id, failure.error), ref: failure.id, decision: FR.capacity.pauseFailedDecision });
      }
      if (report.failed.length === 0) markers.ads_paused_at = now;
      steps.push(report.failed.length === 0 ? 'pause' : 'pause_failed');
    }
  }
  if (due.overflow) {
    const incident = openIncident(ctx, {
      type: 'capacity_overflow',
      severity: 'high',
      title: FR.capacity.overflowTitle(date, figures.current_leads, figures.max_leads),
      ref: day.key,
      decision: FR.capacity.overflowDecision(figures.max_leads),
    });
    markers.overflow_incident = incident.id;
    steps.push('overflow');
  }
  return { markers, steps };
}

/**
 * The alert to ALERT_EMAIL and ALERT_PHONE (an SMS through Twilio: the operator, not a lead, so
 * neither an opt-out mention nor an Opt_Outs check). Both are logged in Messages; a failed one is
 * `abandoned` at once (reconcile retries only the leads' SMS). True when it reached the operator
 * by at least one channel, or when neither is configured (nothing to retry).
 */
function sendCapacityAlert(ctx: Ctx, figures: CapacityFigures, date: string): boolean {
  const email = ctx.settings.get('ALERT_EMAIL');
  const phone = normalizePhone(ctx.settings.get('ALERT_PHONE'));
  if (!email && !phone.ok) return true;
  const now = ctx.now();
  const log: Array<Partial<RowOf<typeof MESSAGES>>> = [];
  let reached = false;
  const base = { queued_at: now, sent_at: now, lead_id: '', template: CAPACITY_ALERT, attempts: 1 };
  if (email) {
    const error = ctx.mail({ to: email, subject: FR.capacity.alertSubject(figures.usage_pct), body: FR.capacity.alertBody(date, figures.current_leads, figures.max_leads, thresholds(ctx).pausePct, campaignRows(ctx).length) });
    log.push({ ...base, channel: 'email', to: email, status: error ? 'abandoned' : 'sent', error: error ?? '' });
    reached ||= !error;
  }
  if (phone.ok) {
    const sent = ctx.twilio().send(phone.e164, ctx.settings.get('TWILIO_FROM'), FR.capacity.alertSms(figures.usage_pct, figures.current_leads, figures.max_leads));
    log.push({ ...base, channel: 'sms', to: phone.e164, status: sent.ok ? 'sent' : 'abandoned', provider_id: sent.ok ? sent.value.sid : '', error: sent.ok ? '' : ctx.redact(sent.error).slice(0, 500) });
    reached ||= sent.ok;
  }
  ctx.table(MESSAGES).append(log);
  return reached;
}

// ---- today's row ------------------------------------------------------------------------------

/**
 * Today's row. Its row number is remembered in Script Properties: one read, checked. Else it is
 * normally the last row (days are appended in order): one getLastRow and one read. Otherwise
 * (first lead of the day, or an operator added a row below) a TextFinder looks for today's date
 * in the date column. A day not found is prepared (not written yet) with Config's maximum.
 */
function loadDay(ctx: Ctx, at: Date = ctx.now()): Day {
  const now = at;
  const key = parisDay(now);
  const table = ctx.table(CAPACITY);
  const [cachedDay, cachedRow] = ctx.settings.state(CAPACITY_ROW).split('|');
  const hinted = cachedDay === key ? Number(cachedRow) : 0;
  if (hinted >= 2) {
    const row = readRowIfAny(ctx, hinted);
    if (row && isDay(row.date, key)) return { row: hinted, values: row, key };
  }
  const last = table.lastRow();
  if (last >= 2 && last !== hinted) {
    const row = table.readRow(last);
    if (isDay(row.date, key)) return remember(ctx, { row: last, values: row, key });
  }
  for (const r of dayRows(ctx, now)) {
    if (r === last || r === hinted) continue;
    const row = table.readRow(r);
    if (isDay(row.date, key)) return remember(ctx, { row: r, values: row, key });
  }
  const max = effectiveMax(ctx.config().max_leads_per_day, 1);
  const figures = capacityFigures(0, max, ctx.config().capacity_alert_pct);
  return {
    row: null,
    key,
    values: { date: parisMidnight(ctx, now), ...figures, updated_at: ctx.now(), alerted_at: null, ads_paused_at: null, overflow_incident: '' },
  };
}

/** A row, or null when the hint points below the grid (rows deleted since). */
function readRowIfAny(ctx: Ctx, row: number): Stored<typeof CAPACITY> | null {
  try {
    return ctx.table(CAPACITY).readRow(row);
  } catch {
    return null;
  }
}

/** Keeps today's row number for the next lead (a past day's row is not worth a hint). */
function remember(ctx: Ctx, day: Day): Day {
  if (day.row !== null && day.key === parisDay(ctx.now())) ctx.settings.setState(CAPACITY_ROW, `${day.key}|${day.row}`);
  return day;
}

function isDay(date: Date | null, key: string): boolean {
  return date !== null && parisDay(date) === key;
}

/**
 * Rows whose date cell may show today. TextFinder searches what the cell displays (in the sheet's
 * own time zone), so the search takes the day either side too (displayedDayPattern); the caller
 * checks the actual date of each row found.
 */
function dayRows(ctx: Ctx, now: Date): number[] {
  const table = ctx.table(CAPACITY);
  const letter = columnLetter(table.col('date'));
  const pattern = displayedDayPattern(now);
  return table.sheet
    .getRange(`${letter}2:${letter}`)
    .createTextFinder(pattern)
    .useRegularExpression(true)
    .findAll()
    .map((r) => r.getRow());
}

/** Writes the day: appended the first time (one write), else updated (one write: the columns are adjacent). */
function saveDay(ctx: Ctx, day: Day, changes: Partial<CapacityRow>): void {
  const table = ctx.table(CAPACITY);
  markDashboardStale(ctx);
  if (day.row === null) {
    day.values = { ...day.values, ...changes };
    day.row = table.append([day.values]);
    remember(ctx, day);
  } else {
    table.update(day.row, changes);
    day.values = { ...day.values, ...changes };
  }
}

/**
 * Midnight in Paris of the day of `at`, as an instant. Subtracting the wall-clock time is exact
 * except across a daylight-saving change (between 2 and 3 a.m.): then the hour is corrected.
 */
function parisMidnight(ctx: Ctx, at: Date): Date {
  const [h, m, s] = formatParis(at, 'H m s').split(' ').map(Number);
  const base = at.getTime() - (at.getTime() % 1000) - ((h * 60 + m) * 60 + s) * 1000;
  const key = parisDay(at);
  for (const shift of [0, -3600000, 3600000]) {
    const candidate = new Date(base + shift);
    if (formatParis(candidate, 'HH:mm:ss') === '00:00:00' && parisDay(candidate) === key) return candidate;
  }
  return new Date(base);
}

// ---- next day ---------------------------------------------------------------------------------

/**
 * From reconcile: the day after a capacity pause, resumes the campaigns that the capacity step
 * paused (if Config capacity_resume_next_day). Costs no Sheets call unless there is something to
 * resume: the day of the last pause is in Script Properties. A campaign that fails to resume
 * gets an incident; the operator resumes it with resumeCampaigns().
 */
export function resumeAfterCapacityDay(ctx: Ctx): { resumed: number; failed: number } | null {
  const pausedDay = ctx.settings.state(CAPACITY_PAUSED_DAY);
  if (!pausedDay || pausedDay >= parisDay(ctx.now())) return null;
  if (!ctx.config().capacity_resume_next_day) {
    ctx.settings.setState(CAPACITY_PAUSED_DAY, '');
    return null;
  }
  const report = resumeAllCampaigns(ctx, 'capacity');
  for (const failure of report.failed) {
    openIncident(ctx, { type: 'ads_resume_failed', severity: 'medium', title: FR.capacity.resumeFailed(failure.id, failure.error), ref: failure.id });
  }
  ctx.settings.setState(CAPACITY_PAUSED_DAY, '');
  return { resumed: report.changed.length, failed: report.failed.length };
}

// ---- the operator's functions -------------------------------------------------------------------

/** The day's figures as the sidebar shows them (JSON-safe). */
export interface CapacityView {
  date: string;
  max_leads: number;
  current_leads: number;
  remaining_capacity: number;
  usage_pct: number;
  status: string;
}

function view(day: Day): CapacityView {
  const v = day.values;
  return { date: day.key, max_leads: v.max_leads, current_leads: v.current_leads, remaining_capacity: v.remaining_capacity, usage_pct: v.usage_pct, status: v.status };
}

/**
 * Raises or lowers today's maximum and recomputes the day. Markers of steps that no longer apply
 * are cleared (they run again if the day reaches them with the new maximum); steps that now apply
 * run at once (pause, overflow incident), except the alert, marked only: the operator is acting.
 * Campaigns paused for capacity are not resumed by a raise: resumeCampaigns() does it, by choice.
 */
export function setTodayCapacity(ctx: Ctx, maxLeads: unknown): ActionResult<{ capacity: CapacityView }> {
  const max = parseMaxLeads(maxLeads);
  if (max === null) return refused(FR.capacity.badMax, 'maxLeads');
  const day = loadDay(ctx);
  const figures = capacityFigures(Math.max(0, Math.floor(day.values.current_leads)), max, ctx.config().capacity_alert_pct);
  const still = stepsStillTaken(figures, thresholds(ctx), takenOf(day.values));
  const cleared: Partial<CapacityRow> = {
    alerted_at: still.alerted ? day.values.alerted_at : null,
    ads_paused_at: still.paused ? day.values.ads_paused_at : null,
    overflow_incident: still.overflowed ? day.values.overflow_incident : '',
  };
  const { markers } = takeSteps(ctx, day, figures, still, false);
  saveDay(ctx, day, { ...figures, ...cleared, ...markers, updated_at: ctx.now() });
  return done(FR.capacity.maxSet(max, FR.capacity.dayLine(figures.current_leads, max, figures.usage_pct, figures.status)), { capacity: view(day) });
}


/** A lead the excess rejection would take, as the confirmation lists it. */
export interface ExcessLeadView {
  id: string;
  name: string;
  phone: string;
  source: string;
  /** Arrival time, HH:mm in Paris. */
  time: string;
  /** Proposed (ticked) by default: the newest non-manual `new` leads beyond the maximum. */
  proposed: boolean;
}

/**
 * What rejectExcessLeads would do: today's `new` leads, the proposed ones ticked (the newest
 * beyond the maximum, never a manual lead), so that the operator sees who, and may change it.
 */
export function excessLeadsPreview(ctx: Ctx): ActionResult<{ leads: ExcessLeadView[]; excess: number }> {
  const day = loadDay(ctx);
  const max = effectiveMax(day.values.max_leads, ctx.config().max_leads_per_day);
  const current = Math.max(0, Math.floor(day.values.current_leads));
  if (day.row === null || current <= max) return done(FR.capacity.nothingToReject, { leads: [], excess: 0 });
  const leads = todaysLeads(ctx, day.key);
  const proposed = new Set(excessLeads(leads.map((l) => l.status), current, max, leads.map((l) => l.source)).map((i) => leads[i].id));
  const views = leads
    .filter((l) => l.status === 'new')
    .reverse()
    .map((l) => ({ id: l.id, name: leadName(l), phone: phoneFr(l.phone), source: l.source, time: l.created_at ? formatParis(l.created_at, 'HH:mm') : '', proposed: proposed.has(l.id) }));
  return done(FR.capacity.preview(current - max, proposed.size), { leads: views, excess: current - max });
}

/**
 * KO #2, step 5 "reject the excess": today's `new` leads beyond the maximum become `rejected`
 * with a French note, and no longer count in current_leads (the day's accepted load). `leadIds`:
 * the leads the operator ticked in the confirmation (each must be one of today's `new` leads);
 * without it, the newest non-manual ones beyond the maximum. The answer names them.
 */
export function rejectExcessLeads(ctx: Ctx, leadIds?: unknown): ActionResult<{ rejected: string[]; capacity?: CapacityView }> {
  if (leadIds !== undefined && leadIds !== null && (!Array.isArray(leadIds) || leadIds.length > 500 || !leadIds.every((id) => typeof id === 'string' && isLeadId(id)))) {
    return refused(FR.capacity.badSelection, 'leadIds');
  }
  const day = loadDay(ctx);
  if (day.row === null) return done(FR.capacity.nothingToReject, { rejected: [] });
  const config = ctx.config();
  const max = effectiveMax(day.values.max_leads, config.max_leads_per_day);
  const current = Math.max(0, Math.floor(day.values.current_leads));
  const picked = Array.isArray(leadIds) ? new Set(leadIds as string[]) : null;
  if (picked && picked.size === 0) return refused(FR.capacity.noneTicked, 'leadIds');
  if (!picked && current <= max) return done(FR.capacity.nothingToReject, { rejected: [], capacity: view(day) });
  const leads = todaysLeads(ctx, day.key);
  let chosen: Lead[];
  if (picked) {
    chosen = leads.filter((l) => picked.has(l.id) && l.status === 'new');
    if (chosen.length !== picked.size) return refused(FR.capacity.notRejectable, 'leadIds');
  } else {
    chosen = excessLeads(leads.map((l) => l.status), current, max, leads.map((l) => l.source)).map((i) => leads[i]);
  }
  const note = FR.capacity.rejectedNote(formatParis(ctx.now(), 'dd/MM/yyyy HH:mm'), max);
  for (const lead of chosen) {
    addNote(ctx, lead, note, { status: 'rejected' });
    leadStageChanged(ctx, { ...lead, status: 'rejected', updated_at: ctx.now() });
  }
  const figures = capacityFigures(Math.max(0, current - chosen.length), max, config.capacity_alert_pct);
  saveDay(ctx, day, { ...figures, updated_at: ctx.now() });
  const line = FR.capacity.dayLine(figures.current_leads, max, figures.usage_pct, figures.status);
  if (chosen.length === 0) return done(`${FR.capacity.noneRejectable} ${line}`, { rejected: [], capacity: view(day) });
  return done(FR.capacity.rejected(chosen.map(leadName), line), { rejected: chosen.map((l) => l.id), capacity: view(day) });
}

/**
 * Today's leads in arrival order (by created_at, wherever an operator sorted them): found by
 * Table.readRecent, so the cost follows the day's leads, not the tab.
 */
function todaysLeads(ctx: Ctx, key: string): Lead[] {
  const since = new Date(parisMidnight(ctx, ctx.now()).getTime() - 3600000);
  return ctx
    .table(LEADS)
    .readRecent('created_at', since)
    .filter((l) => isDay(l.created_at, key))
    .sort((a, b) => (a.created_at as Date).getTime() - (b.created_at as Date).getTime());
}

/** KO #2 by hand: pauses every campaign of Ads_Control, with the operator's reason. */
export function pauseCampaigns(ctx: Ctx, reason: unknown): ActionResult<{ report: CampaignsReport }> {
  const text = checkText(reason, { required: true, max: 200 });
  if (!text.ok) return refused(FR.input.error(text.problem, FR.labels.reason, 200), 'reason');
  const rows = campaignRows(ctx);
  if (rows.length === 0) return refused(FR.ads.none);
  const report = pauseAllCampaigns(ctx, text.value, 'operator', rows);
  // A campaign Meta refused is still running: never a success message for it.
  if (report.failed.length) return refused(FR.ads.paused(report.changed.length, report.unchanged, report.failed));
  return done(FR.ads.paused(report.changed.length, report.unchanged, report.failed), { report });
}

/** Resumes every paused campaign of Ads_Control. */
export function resumeCampaigns(ctx: Ctx): ActionResult<{ report: CampaignsReport }> {
  const rows = campaignRows(ctx);
  if (rows.length === 0) return refused(FR.ads.none);
  const report = resumeAllCampaigns(ctx, undefined, rows);
  if (report.failed.length) return refused(FR.ads.resumed(report.changed.length, report.unchanged, report.failed));
  return done(FR.ads.resumed(report.changed.length, report.unchanged, report.failed), { report });
}

/**
 * The sidebar's "Synchroniser": with FB_AD_ACCOUNT_ID, lists the account's campaigns into
 * Ads_Control first (new ones added, names and statuses updated); then reads each remaining
 * campaign's name and effective_status from Graph (last_sync).
 */
export function syncCampaigns(ctx: Ctx): ActionResult<{ report: CampaignsReport }> {
  const found = discoverCampaigns(ctx);
  const listed = new Set(found.listed);
  const rows = campaignRows(ctx);
  if (rows.length === 0) return refused(found.error ? FR.adsAccount.listFailed(found.error) : found.configured ? FR.ads.none : `${FR.ads.none} ${FR.adsAccount.orAccount}`);
  // A campaign the account listed is in step already; the others (typed by hand, another account) are read one by one.
  const report = found.configured && !found.error ? syncAllCampaigns(ctx, rows.filter((r) => !listed.has(r.campaign_id.trim()))) : syncAllCampaigns(ctx, rows);
  const prefix = found.configured && !found.error ? `${FR.adsAccount.found(found.added.length, found.updated.length)} ` : found.error ? `${FR.adsAccount.listFailed(found.error)} ` : '';
  // A failure is never shown as a success (green): Meta's refusal leads the answer.
  if (report.failed.length) return refused(`${prefix}${FR.ads.synced(report.changed.length, report.failed)}`);
  return done(`${prefix}${FR.ads.synced(report.changed.length, report.failed)}`, { report });
}

/** For tests and the sidebar: today's Capacity row as stored, if any. */
export function todayCapacity(ctx: Ctx): Stored<typeof CAPACITY> | null {
  const day = loadDay(ctx);
  return day.row === null ? null : { ...day.values, _row: day.row };
}
