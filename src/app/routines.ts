/**
 * The daily routines of the SOPs ("Routine Quotidienne"), run by the time-driven triggers that
 * setup() installs: 9h (morning report), 12h (capacity recount), 15h (call list), 18h (KPI,
 * Stripe sync check, opt-out control, backup, journal retention, evening report).
 *
 * Cost: the routines never read a whole tab of the growing ones (Leads, Events, Messages,
 * Incidents). What a routine needs of the last hours is found by its date cells, wherever an
 * operator sorted them (Table.readRecent: one TextFinder, then the rows found); what else may sit anywhere in the tab is found by
 * a TextFinder on one column (today's dates in contacted_at/conversion_date, a status, a
 * subscription id, an opted-out number) and only those rows are read (Table.readRowsAt, a bounded
 * number of calls); a count is one TextFinder call. So the Sheets calls are bounded whatever the
 * rows, and the cells read follow the day's activity, not the size of the tabs. What a routine
 * writes is either one batch (the KPI row, the expired journal block) or one write per thing to
 * fix (an opted-out lead, an incident), which grows with problems found, never with the tabs.
 *
 * Idempotent: the same routine run twice the same day writes nothing the second time. Its email
 * is sent once a day (the Paris day of the last one is kept in Script Properties), the KPI row is
 * replaced in place and only when a figure changed, incidents are opened once per problem, the
 * backup is made once a day, and the journal has nothing left to remove.
 */
import { CAPACITY, EVENTS, INCIDENTS, KPI_DAILY, LEADS, MESSAGES, OPT_OUTS, type RowOf } from '../domain/schema';
import {
  LEAD_SMS_TEMPLATE,
  adjustments,
  callList,
  checkObjectives,
  computeKpi,
  conversionsOn,
  countByStatus,
  expiredPrefix,
  failedPaymentsSince,
  LOW_REMAINING_PCT,
  leadName,
  optOutCheck,
  priorityLeads,
  uncalledLeads,
  sameKpi,
  subscriptionGaps,
  type KpiFigures,
} from '../domain/routines';
import { isLiveSubscription } from '../domain/stripe';
import { normalizePhone, phoneKey, phonesPattern } from '../domain/phone';
import { LockBusy, withScriptLock } from '../adapters/lock';
import { displayedDayPattern, formatParis, parisDay, parisTime } from '../adapters/gas-services';
import { inSmsWindow } from '../domain/sms';
import { TRIGGER_PLAN } from '../domain/triggers';
import type { Stored, Table } from '../adapters/sheets';
import { Ctx } from './context';
import { refusal } from './guard';
import { openIncident, type NewIncident } from './incidents';
import { repairOptOuts } from './optout';
import { addNote } from './leads';
import { ensureLeadSms, retryPendingSms } from './sms';
import { campaignRows, discoverCampaigns, syncAllCampaigns } from './ads';
import { campaignFigures, recordSpend, updateKpiSpend } from './spend';
import { monthSmsCost } from './delivery';
import { isPausedStatus } from '../domain/campaigns';
import { countLead, todayCapacity } from './capacity';
import { capacityFigures, effectiveMax } from '../domain/capacity';
import { parseJson } from '../domain/result';
import { dailyBackup, type BackupReport } from './backup';
import { refreshDashboard } from './dashboard';
import { afternoonEmail, eveningEmail, morningEmail, noonEmail, type Email, type MorningData } from '../ui/reports';
import { FR } from '../ui/strings.fr';

type Lead = Stored<typeof LEADS>;

const DAY_MS = 86400000;
const HOUR_MS = 3600000;

/** A routine's email is sent once per Paris day: the day of the last one, in Script Properties. */
const SENT_KEY = (routine: string) => `ROUTINE_SENT_${routine}`;

/** How long a routine waits for the lock (a webhook or reconcile finishes in seconds). */
const ROUTINE_LOCK_MS = 60000;

/** The morning sends the first SMS of Meta leads that never got one, at most this many, this recent. */
const SMS_CATCH_UP_MAX = 20;
const SMS_CATCH_UP_HOURS = 48;

/** Days the evening leaves to the 3h archive before it removes expired journal rows itself. */
export const ARCHIVE_GRACE_DAYS = 2;

/** Suspect converted leads whose subscription the evening asks Stripe about, at most. */
const SUBSCRIPTION_LOOKUPS_MAX = 20;

/** The afternoon lists in full the `new` leads of these last hours; older ones are counted. */
const CALL_LIST_HOURS = 72;

/**
 * The evening re-checks the leads of the numbers opted out since the last evening (at most so many
 * numbers, the newest): their status and phone first (a few cells a lead, a call for a few leads),
 * and the whole row of those to fix.
 */
const OPT_OUT_RECHECK_HOURS = 24;
const OPT_OUT_RECHECK_MAX = 200;
const OPT_OUT_RECHECK_CALLS = 40;

/** The evening's journal retention looks at most this many rows at the top of Events. */
const RETENTION_SCAN_ROWS = 5000;

/** What every routine answers (JSON-safe: logged, and returned to the script editor and tests). */
export interface RoutineReport {
  routine: string;
  ok: boolean;
  /** The email went out in this run (false: nothing to say, already sent today, or no ALERT_EMAIL). */
  emailed: boolean;
  /** The email sent, exactly (for "Lancer maintenant"). */
  mail?: { to: string; subject: string };
  /** Why no email went out: already sent for that day, no ALERT_EMAIL, or nothing to report. */
  notSent?: 'already_sent' | 'no_alert_email' | 'nothing_to_report';
  /** The Paris day the run stands for (a trigger caught up late stands for its own day). */
  day?: string;
  /** A run by hand: whether the day's scheduled email had already gone out (the sidebar says which). */
  scheduledSent?: boolean;
  error?: string;
  [detail: string]: unknown;
}

/**
 * How a routine runs. `byHand` ("Lancer maintenant"): it always sends its email and never counts
 * as the day's scheduled run, which still goes out at its hour. `event`: the trigger's event, when
 * a time-driven trigger started it.
 */
export interface RoutineRun {
  byHand?: boolean;
  event?: unknown;
}

/** Hours of the routines' daily triggers (src/domain/triggers.ts). */
const ROUTINE_HOURS: Record<string, number> = Object.fromEntries(TRIGGER_PLAN.filter((t) => t.kind === 'daily').map((t) => [t.handler, (t as { hour: number }).hour]));

/** A trigger run this long after its hour stands in for a missed run (Apps Script fires within the hour). */
const LATE_MS = 2 * HOUR_MS;

/**
 * The instant a trigger run stands for: its scheduled time when it comes late (a trigger missed
 * while the script could not run, fired at the next chance: Sunday's 18h run at Monday 9h is
 * Sunday's evening, dated Sunday, and Monday's own evening still runs), else now. A run by hand
 * or from the editor (no trigger event) is always now.
 */
export function scheduledInstant(name: string, now: Date, run: RoutineRun): Date {
  const hour = ROUTINE_HOURS[name];
  const e = run.event as { triggerUid?: unknown } | null | undefined;
  if (run.byHand || hour === undefined || !e || typeof e !== 'object' || !e.triggerUid) return now;
  for (const back of [0, 1, 2]) {
    const at = new Date(parisMidnight(new Date(now.getTime() - back * DAY_MS)).getTime() + hour * HOUR_MS);
    if (at.getTime() > now.getTime()) continue;
    return now.getTime() - at.getTime() >= LATE_MS ? at : now;
  }
  return now;
}

/**
 * The frame of a routine: the script lock, the context, and no exception out of a trigger. A
 * failure is logged and opens one `routine_failure` incident per routine and day (a trigger's
 * own failure email is easy to miss); a busy lock is only logged: the routine runs again tomorrow,
 * or by hand. A late trigger run gets a clock set back to its scheduled time (see scheduledInstant).
 */
export function runRoutine(name: string, fn: (ctx: Ctx, run: RoutineRun) => RoutineReport, run: RoutineRun = {}): RoutineReport {
  // Its own time-driven trigger (the event names it) or a person who can edit the Sheet; nobody else.
  const refused = refusal(name, run.event);
  if (refused) return { routine: name, ok: false, emailed: false, error: refused.error };
  const made: { ctx?: Ctx } = {};
  try {
    return withScriptLock(() => {
      const base = Ctx.gas();
      const started = base.now();
      const at = scheduledInstant(name, started, run);
      const shift = started.getTime() - at.getTime();
      made.ctx = shift === 0 ? base : new Ctx(base.settings, { now: () => new Date(base.now().getTime() - shift) });
      return fn(made.ctx, run);
    }, ROUTINE_LOCK_MS);
  } catch (e) {
    const ctx = made.ctx;
    const raw = e instanceof LockBusy ? 'lock busy' : e instanceof Error ? e.message : String(e);
    const error = ctx ? ctx.redact(raw) : raw;
    console.error(`${name}: ${error}`);
    if (ctx && !(e instanceof LockBusy)) {
      try {
        withScriptLock(() => openIncident(ctx, { type: 'routine_failure', severity: 'medium', title: FR.routines.incidents.routineFailed(name, error.slice(0, 300)), ref: `${name}:${parisDay(ctx.now())}` }), 10000);
      } catch (inner) {
        console.error(`${name}: incident not recorded: ${inner instanceof Error ? inner.message : String(inner)}`);
      }
    }
    return { routine: name, ok: false, emailed: false, error };
  }
}

/** What sending a routine's email did: the report's fields emailed, mail and notSent. */
type Sent = Pick<RoutineReport, 'emailed' | 'mail' | 'notSent' | 'day' | 'scheduledSent'>;

/**
 * Sends a routine's email to ALERT_EMAIL unless the scheduled one went out already that day. A
 * run by hand always sends and does not mark the day: the scheduled run still sends at its hour.
 */
function sendOncePerDay(ctx: Ctx, routine: string, email: Email, run: RoutineRun = {}): Sent {
  const day = parisDay(ctx.now());
  if (!run.byHand && ctx.settings.state(SENT_KEY(routine)) === day) return { emailed: false, notSent: 'already_sent', day };
  const to = ctx.settings.get('ALERT_EMAIL');
  if (!to) {
    console.warn(`${routine}: ALERT_EMAIL is not set, report not sent`);
    return { emailed: false, notSent: 'no_alert_email', day };
  }
  const error = ctx.mail({ to, subject: email.subject, body: email.text, htmlBody: email.html });
  if (error) {
    // Kept to be resent by reconcile once MailApp accepts again (its daily quota comes back).
    ctx.settings.setState(PENDING_KEY(routine), pendingReport(day, email));
    throw new Error(FR.routines.incidents.reportRefused(error));
  }
  if (!run.byHand) ctx.settings.setState(SENT_KEY(routine), day);
  return { emailed: true, mail: { to, subject: email.subject }, day, ...(run.byHand ? { scheduledSent: ctx.settings.state(SENT_KEY(routine)) === day } : {}) };
}

/** A report MailApp refused, waiting in Script Properties to be resent (resendRefusedReports). */
const PENDING_KEY = (routine: string) => `ROUTINE_PENDING_${routine}`;
const ROUTINES = ['routineMorning', 'routineNoon', 'routineAfternoon', 'routineEvening'];

/** The report as kept: with its HTML when it fits a property (9 KB), else its text part, cut. */
function pendingReport(day: string, email: Email): string {
  const full = JSON.stringify({ day, subject: email.subject, text: email.text, html: email.html });
  return full.length <= 8500 ? full : JSON.stringify({ day, subject: email.subject, text: email.text.slice(0, 7000) });
}

/**
 * From reconcile: resends the routine reports MailApp refused (its daily quota spent), once it
 * accepts again, and notes it on the routine's incident. Idle: no Sheets call, no MailApp call.
 */
export function resendRefusedReports(ctx: Ctx): number {
  let sent = 0;
  for (const routine of ROUTINES) {
    const raw = ctx.settings.state(PENDING_KEY(routine));
    if (!raw) continue;
    const to = ctx.settings.get('ALERT_EMAIL');
    const parsed = parseJson(raw);
    if (!parsed.ok) {
      ctx.settings.setState(PENDING_KEY(routine), '');
      continue;
    }
    const report = parsed.value as { day: string; subject: string; text: string; html?: string };
    if (!to || ctx.mail({ to, subject: report.subject, body: report.text, htmlBody: report.html })) continue;
    ctx.settings.setState(PENDING_KEY(routine), '');
    if (ctx.settings.state(SENT_KEY(routine)) < report.day) ctx.settings.setState(SENT_KEY(routine), report.day);
    noteOnIncident(ctx, `${routine}:${report.day}`, FR.routines.incidents.reportResent(routine));
    sent++;
  }
  return sent;
}

/** Appends a line to the resolution of the open routine_failure incident of a ref, if any. */
function noteOnIncident(ctx: Ctx, ref: string, line: string): void {
  const incidents = ctx.table(INCIDENTS);
  for (const row of incidents.findRows('ref', ref)) {
    const incident = incidents.readRow(row);
    if (incident.type === 'routine_failure' && incident.status !== 'resolved') incidents.update(row, { resolution: incident.resolution ? `${incident.resolution}\n${line}` : line });
  }
}

/** Whether the scheduled run's email already went out today (then a second one has nothing to do; a run by hand always runs). */
function sentToday(ctx: Ctx, routine: string, run: RoutineRun = {}): boolean {
  return !run.byHand && ctx.settings.state(SENT_KEY(routine)) === parisDay(ctx.now());
}

const dateFr = (d: Date) => formatParis(d, 'dd/MM/yyyy');

/** The Sheet's address, for the link under each decision of an email ('' if it cannot be had). */
function sheetUrl(ctx: Ctx): string {
  try {
    return ctx.spreadsheet.getUrl();
  } catch {
    return '';
  }
}

/** The evening names at most this many of the leads never contacted (the newest). */
const UNCONTACTED_NAMED = 10;

/** Up to this many `new` leads in the tab, the evening reads them all to name the newest; beyond, it names the day's. */
const UNCONTACTED_READ_MAX = 200;

/**
 * The newest `new` leads by created_at (ties: the lower down first, as appended), at most UNCONTACTED_NAMED of
 * `count`. `recent` holds every lead created since `since`: when enough of those are `new`, no
 * older one can be newer and nothing is read. Otherwise every `new` row of the tab is read, unless
 * there are more than UNCONTACTED_READ_MAX (leads left `new` for months): the day's are named and
 * the email counts the rest, so the cost follows the day's leads, not a backlog.
 */
function newestUncontacted(leads: Table<typeof LEADS>, recent: readonly Lead[], since: Date, count: number): Array<Pick<Lead, 'id' | 'first_name' | 'last_name' | 'phone'>> {
  const newest = <L extends Pick<Lead, 'status' | 'created_at' | '_row'>>(rows: readonly L[]) =>
    rows
      .filter((l) => l.status === 'new')
      .sort((a, b) => (b.created_at?.getTime() ?? -Infinity) - (a.created_at?.getTime() ?? -Infinity) || b._row - a._row)
      .slice(0, UNCONTACTED_NAMED);
  const today = newest(recent.filter((l) => l.created_at !== null && l.created_at.getTime() >= since.getTime()));
  if (today.length >= Math.min(UNCONTACTED_NAMED, count) || count > UNCONTACTED_READ_MAX) return today;
  return newest(leads.readRowsAt(leads.matchRows(['status'], '^new$'), { columns: ['id', 'created_at', 'status', 'first_name', 'last_name', 'phone'], maxCalls: 5 }));
}
const dateTimeFr = (d: Date | null) => (d ? formatParis(d, 'dd/MM/yyyy HH:mm') : '');

/**
 * Midnight in Paris of the day of `at` (the KPI_Daily date). Subtracting the wall-clock time is
 * exact except on a daylight-saving day, where the hour is corrected by checking the result.
 */
export function parisMidnight(at: Date): Date {
  const [h, m, s] = formatParis(at, 'H m s').split(' ').map(Number);
  const base = at.getTime() - (at.getTime() % 1000) - ((h * 60 + m) * 60 + s) * 1000;
  const day = parisDay(at);
  for (const shift of [0, -HOUR_MS, HOUR_MS]) {
    const candidate = new Date(base + shift);
    if (formatParis(candidate, 'HH:mm:ss') === '00:00:00' && parisDay(candidate) === day) return candidate;
  }
  return new Date(base);
}

// ---- 9h: SOP Matin 1–4 ---------------------------------------------------------------------------

/** The morning report: yesterday's KPI, campaigns (synced), capacity, leads and SMS, incidents, Stripe. */
export function runMorning(ctx: Ctx, run: RoutineRun = {}): RoutineReport {
  const routine = 'routineMorning';
  if (sentToday(ctx, routine, run)) return { routine, ok: true, emailed: false, skipped: true, notSent: 'already_sent' };
  const now = ctx.now();
  const config = ctx.config();

  // The leads of the SMS catch-up window (the priority ones are younger still), from the bottom.
  const leadsTable = ctx.table(LEADS);
  const leads = leadsTable.readRecent('created_at', new Date(now.getTime() - SMS_CATCH_UP_HOURS * HOUR_MS));
  const sms = catchUpSms(ctx, leads);

  // Campaigns: with FB_AD_ACCOUNT_ID the account's list is read into Ads_Control (new campaigns
  // appear by themselves); the others are read one by one. Then the tab (a few rows) is read back
  // for the report, with what the sync wrote.
  const found = discoverCampaigns(ctx);
  const listed = new Set(found.listed);
  const rows = campaignRows(ctx).filter((r) => !listed.has(r.campaign_id.trim()));
  if (rows.length) syncAllCampaigns(ctx, rows);
  const synced = campaignRows(ctx);
  // Yesterday's spend, now that Meta's figures settled: Ads_Daily and yesterday's KPI row.
  const yesterdayRef = { day: parisDay(new Date(now.getTime() - DAY_MS)), midnight: parisMidnight(new Date(now.getTime() - DAY_MS)) };
  const spend = recordSpend(ctx, [yesterdayRef]);
  if (spend.totals[yesterdayRef.day]) updateKpiSpend(ctx, yesterdayRef, spend.totals[yesterdayRef.day]);
  const ads = { configured: found.configured, canPause: found.configured || synced.length > 0, figures: campaignFigures(ctx, now), error: found.error ?? spend.error ?? '', otherTimezone: spend.otherTimezone ?? '' };

  const capacity = todayCapacity(ctx);
  const max = capacity?.max_leads || config.max_leads_per_day;
  const current = capacity?.current_leads ?? 0;

  const yesterday = parisDay(new Date(now.getTime() - DAY_MS));
  const kpiRow = ctx
    .table(KPI_DAILY)
    .readRecent('date', new Date(parisMidnight(new Date(now.getTime() - DAY_MS)).getTime() - HOUR_MS))
    .find((r) => r.date !== null && parisDay(r.date) === yesterday);
  const kpi = kpiRow ? { figures: kpiOf(kpiRow), checks: checkObjectives(kpiOf(kpiRow), config) } : null;

  const incidentsTable = ctx.table(INCIDENTS);
  const incidents = incidentsTable
    .readRowsAt(incidentsTable.matchRows(['status'], '^(open|investigating)$'), { columns: ['created_at', 'severity', 'status', 'title'] })
    .filter((i) => i.status === 'open' || i.status === 'investigating');
  const since = new Date(now.getTime() - DAY_MS);
  const events = ctx.table(EVENTS).readRecent('received_at', since, { columns: ['source', 'type', 'status'] });
  const active = ctx.stripe().activeSubscriptions();

  // Counted and found over the whole tab by TextFinder: the `new` leads, the clients whose payment failed.
  const newCount = leadsTable.countMatches('status', '^new$');
  // A client suspended after the last failure (rejected) is the one to call first: listed too.
  const failing = leadsTable.readRowsAt(leadsTable.matchRows(['payment_failures'], '^[1-9]')).filter((l) => l.payment_failures > 0 && (l.status === 'converted' || l.status === 'rejected'));
  const data: MorningData = {
    date: dateFr(now),
    yesterday: dateFr(new Date(now.getTime() - DAY_MS)),
    kpi,
    // No KPI row at all yet: the first day, and yesterday's missing figures are no alarm.
    firstDay: kpi === null && ctx.table(KPI_DAILY).lastRow() < 2,
    sheetUrl: sheetUrl(ctx),
    campaigns: synced.map((c) => ({ id: c.campaign_id, name: c.campaign_name, status: c.effective_status, paused: c.ads_paused, lastSync: dateTimeFr(c.last_sync), error: c.last_error })),
    capacity: { current, max, remaining: capacity?.remaining_capacity ?? max, usagePct: capacity?.usage_pct ?? 0, status: capacity?.status || 'open' },
    leads: {
      newCount,
      withoutSms: sms.withoutSms,
      smsRetried: sms.smsRetried,
      smsWaiting: sms.smsWaiting,
      smsBlocked: sms.smsBlocked,
      priority: priorityLeads(leads, now).map((l) => (sms.sentIds.has(l.id) ? { ...l, smsSent: true } : l)),
      blockedNames: sms.blockedNames,
    },
    incidents: incidents.map((i) => ({ title: i.title, severity: i.severity, status: i.status, created: dateTimeFr(i.created_at) })),
    ads,
    uncalled: uncalledLeads(leads, now),
    stripe: {
      events: countByStatus(events, 'stripe', since),
      activeSubscriptions: active.ok ? active.value.length : null,
      failedPayments: failedPaymentsSince(events, since),
      failing: failing.map((l) => ({ name: leadName(l), failures: l.payment_failures, suspended: l.status === 'rejected' })),
      error: active.ok ? '' : ctx.redact(active.error).slice(0, 200),
    },
  };
  const sent = sendOncePerDay(ctx, routine, morningEmail(data), run);
  return { routine, ok: true, ...sent, newLeads: data.leads.newCount, withoutSms: sms.withoutSms, smsRetried: sms.smsRetried, priority: data.leads.priority.length, incidents: incidents.length, kpiFound: kpi !== null };
}

/**
 * SOP Matin 2, "Vérifier que les SMS ont été envoyés": the Meta leads still `new` without their
 * SMS. Queued and failed ones are retried now (reconcile does it too; the window may just have
 * opened); recent ones that have no Messages row at all (their execution died before it) get
 * their SMS now, through the same once-only path as on arrival. Manual leads are never texted
 * (OK #1), so they are not counted. `leads` are those of the last SMS_CATCH_UP_HOURS (an older
 * lead is never texted by the catch-up; its queued or failed SMS is retried by reconcile).
 * Messages are read only when a lead lacks its SMS, those written since the oldest such lead
 * (`queued_at`, when the row was written, or `sent_at` for a row from before that column: a
 * retry only moves sent_at later).
 */
function catchUpSms(ctx: Ctx, leads: Lead[]): { withoutSms: number; smsRetried: number; smsWaiting: number; smsBlocked: number; sentIds: Set<string>; blockedNames: string[] } {
  const now = ctx.now();
  const without = leads.filter((l) => l.status === 'new' && !l.sms_sent && l.source === 'facebook');
  const byLead = new Map<string, string>();
  if (without.length) {
    const oldest = Math.min(...without.map((l) => l.created_at?.getTime() ?? now.getTime()));
    const messages = ctx.table(MESSAGES).readRecent(['queued_at', 'sent_at'], new Date(oldest - HOUR_MS), { columns: ['lead_id', 'template', 'status'] });
    for (const m of messages) if (m.template === LEAD_SMS_TEMPLATE && m.lead_id) byLead.set(m.lead_id, m.status);
  }
  let retried = 0;
  let waiting = 0;
  let blocked = 0;
  const blockedNames: string[] = [];
  const sentIds = new Set<string>();
  const pending = without.filter((l) => /^(queued|failed|sending)$/.test(byLead.get(l.id) ?? ''));
  if (pending.length) {
    // retryPendingSms does not say which rows went out: with the window open and no failure,
    // every pending one did (a failed one waits for its backoff: counted as waiting).
    const r = retryPendingSms(ctx);
    if (r.failed === 0 && inSmsWindow(parisTime(now), ctx.config())) {
      retried += pending.length;
      pending.forEach((l) => sentIds.add(l.id));
    } else {
      waiting += pending.length;
    }
  }
  let budget = SMS_CATCH_UP_MAX;
  for (const lead of without) {
    const status = byLead.get(lead.id);
    if (status !== undefined) {
      if (/^(abandoned|skipped)$/.test(status)) {
        blocked++;
        blockedNames.push(leadName(lead));
      }
      continue;
    }
    if (!normalizePhone(lead.phone).ok) {
      blocked++;
      blockedNames.push(leadName(lead));
      continue;
    }
    const recent = lead.created_at !== null && now.getTime() - lead.created_at.getTime() < SMS_CATCH_UP_HOURS * HOUR_MS;
    if (!recent || budget <= 0) continue;
    budget--;
    const result = ensureLeadSms(ctx, lead, true);
    if (result === 'sent') {
      retried++;
      sentIds.add(lead.id);
    }
    else if (result === 'queued' || result === 'failed') waiting++;
    else if (result === 'opted_out' || result === 'no_phone' || result === 'abandoned') {
      blocked++;
      blockedNames.push(leadName(lead));
    }
  }
  return { withoutSms: without.length, smsRetried: retried, smsWaiting: waiting, smsBlocked: blocked, sentIds, blockedNames };
}

function kpiOf(row: RowOf<typeof KPI_DAILY>): KpiFigures {
  const { date: _date, ...figures } = row;
  return figures;
}

// ---- 12h: SOP Midi 5 ------------------------------------------------------------------------------

/**
 * The leads that count against today's capacity, recounted from Leads: created today (Paris),
 * from Meta or by hand (a client created by a Stripe checkout is not a lead to handle), and not
 * rejected (rejecting the excess takes a lead out of the day's load, as rejectExcessLeads does).
 */
export function countToday(leads: ReadonlyArray<Pick<Lead, 'created_at' | 'source' | 'status'>>, today: string): number {
  return leads.filter((l) => l.created_at !== null && parisDay(l.created_at) === today && l.source !== 'stripe' && l.status !== 'rejected').length;
}

/**
 * Recounts today's current_leads from Leads (the running count drifts when a row is added,
 * deleted or edited by hand), rewrites remaining_capacity, usage_pct and status, and applies the
 * capacity rules if the recount crosses a threshold: the last lead is counted through
 * capacity.ts countLead, the same path as a lead arriving, so the alert, the pause and the
 * overflow incident happen exactly as they would have live, once a day. Below 20 % remaining the
 * operator gets the list of campaigns still active; otherwise the routine is silent.
 */
export function runNoon(ctx: Ctx, run: RoutineRun = {}): RoutineReport {
  const routine = 'routineNoon';
  const now = ctx.now();
  const today = parisDay(now);
  const config = ctx.config();
  // Today's leads are at the bottom of Leads: read back to midnight (an hour more, for DST).
  const counted = countToday(ctx.table(LEADS).readRecent('created_at', new Date(parisMidnight(now).getTime() - HOUR_MS), { columns: ['source', 'status'] }), today);
  let day = todayCapacity(ctx);
  const before = day?.current_leads ?? 0;
  let rewritten = false;
  if (!day && counted > 0) {
    countLead(ctx); // creates today's row (with Config's maximum) as the first lead of the day would
    day = todayCapacity(ctx);
  }
  if (day && day.current_leads !== counted) {
    const max = effectiveMax(day.max_leads, config.max_leads_per_day);
    // Going up, the row is set one short and the last lead counted by countLead, which takes the
    // steps the new figure calls for (each once a day); going down there is no step to take.
    const target = counted > day.current_leads ? counted - 1 : counted;
    if (target !== day.current_leads) ctx.table(CAPACITY).update(day._row, { ...capacityFigures(target, max, config.capacity_alert_pct), updated_at: now });
    if (counted > day.current_leads) countLead(ctx);
    rewritten = true;
    day = todayCapacity(ctx);
  }
  const max = day ? effectiveMax(day.max_leads, config.max_leads_per_day) : config.max_leads_per_day;
  const figures = capacityFigures(counted, max, config.capacity_alert_pct);
  const remainingPct = (figures.remaining_capacity * 100) / max;
  let sent: Sent = { emailed: false, notSent: remainingPct < LOW_REMAINING_PCT ? 'already_sent' : 'nothing_to_report', day: today };
  if (remainingPct < LOW_REMAINING_PCT && !sentToday(ctx, routine, run)) {
    const known = campaignRows(ctx);
    // Running: not paused by us, and not paused, archived or stopped at Meta (the status last synced).
    const active = known
      .filter((c) => !c.ads_paused && !isPausedStatus(c.effective_status) && !/^(ARCHIVED|DELETED)$/.test(c.effective_status))
      .map((c) => ({ id: c.campaign_id, name: c.campaign_name, status: c.effective_status }));
    sent = sendOncePerDay(ctx, routine, noonEmail({ date: dateFr(now), before, current: counted, max, remaining: figures.remaining_capacity, usagePct: figures.usage_pct, active, known: known.length, sheetUrl: sheetUrl(ctx) }), run);
  }
  return { routine, ok: true, ...sent, before, counted, rewritten, status: day?.status ?? figures.status, remainingPct: Math.round(remainingPct * 10) / 10 };
}

// ---- 15h: SOP Après-midi 6 -----------------------------------------------------------------------

/**
 * The call list by email: new leads under 6 h first, then older leads never contacted. The leads
 * of the last CALL_LIST_HOURS are read and listed; the older `new` ones are only counted (one
 * TextFinder on status), the email shows at most MAX_LIST a group anyway.
 */
export function runAfternoon(ctx: Ctx, run: RoutineRun = {}): RoutineReport {
  const routine = 'routineAfternoon';
  if (sentToday(ctx, routine, run)) return { routine, ok: true, emailed: false, skipped: true, notSent: 'already_sent' };
  const now = ctx.now();
  const leads = ctx.table(LEADS);
  const recent = leads.readRecent('created_at', new Date(now.getTime() - CALL_LIST_HOURS * HOUR_MS));
  const list = callList(recent, now);
  const olderBeyond = Math.max(0, leads.countMatches('status', '^new$') - recent.filter((l) => l.status === 'new').length);
  const sent = sendOncePerDay(ctx, routine, afternoonEmail(dateFr(now), list, olderBeyond, sheetUrl(ctx), uncalledLeads(recent, now)), run);
  return { routine, ok: true, ...sent, toCall: list.length + olderBeyond, fresh: list.filter((l) => l.fresh).length };
}

// ---- 18h: SOP Fin de journée 7–8 ------------------------------------------------------------------

/**
 * Opens an incident unless one of that type and ref exists in any status (a resolved one was the
 * operator's decision): a TextFinder on ref, and the type of the rows found.
 */
function raiseOnce(ctx: Ctx, incident: NewIncident): boolean {
  const table = ctx.table(INCIDENTS);
  const rows = table.findRows('ref', incident.ref);
  if (rows.length && table.readRowsAt(rows, { columns: ['type'] }).some((i) => i.type === incident.type)) return false;
  return openIncident(ctx, incident).created;
}

/** The evening: opt-out control, Stripe sync check, KPI_Daily, backup, journal retention, report. */
export function runEvening(ctx: Ctx, run: RoutineRun = {}): RoutineReport {
  const routine = 'routineEvening';
  const now = ctx.now();
  const today = parisDay(now);
  const config = ctx.config();
  const I = FR.routines.incidents;

  const midnight = new Date(parisMidnight(now).getTime() - HOUR_MS); // an hour early: DST days
  const leadsTable = ctx.table(LEADS);
  // The leads the day touched, by row: created today (from the bottom), and contacted or converted
  // today wherever they are (a TextFinder on those dates as displayed, in whatever zone the sheet
  // shows them: a day either side is searched too, and each row's real date is checked when counted).
  const byRow = new Map<number, Lead>();
  const add = (rows: Lead[]) => rows.forEach((l) => byRow.set(l._row, l));
  add(leadsTable.readRecent('created_at', midnight));
  add(leadsTable.readRowsAt(leadsTable.matchRows(['contacted_at', 'conversion_date'], displayedDayPattern(now)).filter((r) => !byRow.has(r))));
  // Opt_Outs is small (one row per number): read whole. The leads of the numbers opted out lately
  // are re-checked wherever they are (the STOP path sets them; this catches an execution that died
  // halfway or a number typed another way). Today's leads are checked against every number.
  const optOuts = ctx.table(OPT_OUTS).readAll();
  const lately = optOuts.filter((o) => o.opted_out_at !== null && o.opted_out_at.getTime() >= now.getTime() - OPT_OUT_RECHECK_HOURS * HOUR_MS);
  const numbers = phonesPattern(lately.slice(-OPT_OUT_RECHECK_MAX).map((o) => phoneKey(o.phone)));
  if (numbers) {
    const optedNumbers = new Set(optOuts.map((o) => phoneKey(o.phone)));
    const found = leadsTable.readRowsAt(leadsTable.matchRows(['phone'], numbers).filter((r) => !byRow.has(r)), { columns: ['status', 'phone'], maxCalls: OPT_OUT_RECHECK_CALLS });
    add(leadsTable.readRowsAt(found.filter((l) => l.status !== 'opted_out' && optedNumbers.has(phoneKey(l.phone))).map((l) => l._row)));
  }
  const leads = [...byRow.values()].sort((a, b) => a._row - b._row);
  // SMS of the last 24 h (today's for the KPI; since yesterday's evening for the opt-out breaches).
  const messages = ctx.table(MESSAGES).readRecent('sent_at', new Date(Math.min(midnight.getTime(), now.getTime() - DAY_MS)), { columns: ['channel', 'to', 'template', 'status'] });
  const events = ctx.table(EVENTS).readRecent('received_at', midnight, { columns: ['source', 'type', 'status'] });
  const incidents = ctx.table(INCIDENTS).readRecent('created_at', midnight, { columns: ['created_at'] });
  const kpiTable = ctx.table(KPI_DAILY);
  const kpiRows = kpiTable.readRecent('date', midnight);
  const capacity = todayCapacity(ctx);
  let opened = 0;

  // Opt-outs: a lead set opted_out by hand that Opt_Outs lacks is recorded there (onEdit may have
  // missed it), a number typed in another spelling is written in E.164; then a lead whose number is
  // in Opt_Outs is set opted_out, and an SMS after an opt-out is raised.
  const repair = repairOptOuts(ctx, optOuts);
  const optCheck = optOutCheck(optOuts, leads, messages);
  for (const lead of optCheck.toFix) {
    addNote(ctx, lead, FR.routines.notes.optOutFixed(dateFr(now)), { status: 'opted_out' });
    lead.status = 'opted_out';
  }
  for (const b of optCheck.breaches) {
    const ref = `${b.phone}@${b.lastSentAt.toISOString()}`;
    if (raiseOnce(ctx, { type: 'optout_breach', severity: 'high', title: I.optOutBreach(b.phone, b.sent), ref })) opened++;
  }

  // Stripe: every active subscription against the converted leads.
  const stripe = { active: 0, unlinked: [] as Array<{ id: string; customer: string }>, gone: [] as Array<{ id: string; name: string; sub: string; status: string }>, error: '' };
  const active = ctx.stripe().activeSubscriptions();
  if (!active.ok) {
    stripe.error = ctx.redact(active.error).slice(0, 200);
  } else {
    stripe.active = active.value.length;
    // Every lead that carries a subscription id (a TextFinder on that column), with the day's leads.
    const subRows = leadsTable.matchRows(['stripe_subscription_id'], '\\S').filter((r) => !byRow.has(r));
    const clients = [...leads, ...leadsTable.readRowsAt(subRows)].sort((a, b) => a._row - b._row);
    const gaps = subscriptionGaps(active.value, clients);
    for (const s of gaps.unlinked) {
      stripe.unlinked.push({ id: s.id, customer: s.customer });
      // medium: the evening email lists them; a high incident would add one email each.
      if (raiseOnce(ctx, { type: 'stripe_sync', severity: 'medium', title: I.unlinked(s.id, s.customer), ref: s.id })) opened++;
    }
    for (const lead of gaps.suspects.slice(0, SUBSCRIPTION_LOOKUPS_MAX)) {
      let status = FR.routines.unknown;
      if (lead.stripe_subscription_id) {
        const sub = ctx.stripe().subscription(lead.stripe_subscription_id);
        if (sub.ok && isLiveSubscription(sub.value.status)) continue; // trialing or past_due: still a client
        if (!sub.ok && !/^stripe 404/.test(sub.error)) continue; // Stripe unsure: ask again tomorrow
        status = sub.ok ? sub.value.status : 'introuvable';
      }
      stripe.gone.push({ id: lead.id, name: leadName(lead), sub: lead.stripe_subscription_id, status });
      if (raiseOnce(ctx, { type: 'stripe_sync', severity: 'medium', title: I.gone(leadName(lead), lead.stripe_subscription_id), ref: lead.id })) opened++;
    }
  }

  // Backup before the journal shrinks, so the copy holds the rows removed below.
  const backup: BackupReport = dailyBackup(ctx);
  if (backup.error && raiseOnce(ctx, { type: 'backup_failed', severity: 'medium', title: I.backupFailed(backup.error), ref: today })) opened++;

  // KPI_Daily: one row per day, replaced in place, written only when a figure changed.
  const kpi = computeKpi({ day: today, dayOf: parisDay, leads, messages, optOuts, events, incidents, capacityUsedPct: capacity?.usage_pct ?? 0 });
  kpi.incidents_opened += opened;
  // The day's spend (Meta's figure so far; the 9h routine rewrites it tomorrow once settled).
  const todayRef = { day: today, midnight: parisMidnight(now) };
  const spend = recordSpend(ctx, [todayRef]);
  const existing = kpiRows.find((r) => r.date !== null && parisDay(r.date) === today);
  // Graph down: the figures an earlier run wrote stay (never replaced by nothing).
  const known = spend.error && existing ? { ad_spend: existing.ad_spend, cost_per_lead: existing.cost_per_lead, cost_per_conversion: existing.cost_per_conversion } : undefined;
  Object.assign(kpi, spend.totals[today] ?? known ?? {});
  let kpiWritten = false;
  if (!existing) {
    kpiTable.append([{ date: parisMidnight(now), ...kpi }]);
    kpiWritten = true;
  } else if (!sameKpi(kpi, existing)) {
    kpiTable.updateRange(existing._row, [kpi], Object.keys(kpi) as Array<keyof KpiFigures>);
    kpiWritten = true;
  }

  // The Dashboard tab (issue 7) from the KPI just written; it writes only when a figure changed.
  try {
    refreshDashboard(ctx);
  } catch (e) {
    console.error(`dashboard: ${ctx.redact(e instanceof Error ? e.message : String(e))}`);
  }

  // Journal retention, last: deleting rows renumbers the Events tab. The 3h `archive` moves done
  // rows past events_retention_days to the yearly archive spreadsheet; removing them here first
  // would lose them. So the evening only removes what the archive should have taken days ago
  // (the archive trigger missing or failing), so that the journal never grows without bound.
  // Only the top of the tab is looked at: its first row, then a block if that one is expired.
  const days = Math.max(1, config.events_retention_days);
  const cutoff = new Date(now.getTime() - (days + ARCHIVE_GRACE_DAYS) * DAY_MS);
  const eventsTable = ctx.table(EVENTS);
  const top = (n: number) => eventsTable.readRowsAt(Array.from({ length: n }, (_, i) => i + 2), { columns: ['received_at', 'status'] });
  let expired = expiredPrefix(top(1), cutoff);
  if (expired > 0) expired = expiredPrefix(top(Math.min(RETENTION_SCAN_ROWS, eventsTable.lastRow() - 1)), cutoff);
  if (expired > 0) eventsTable.sheet.deleteRows(2, expired);

  const checks = checkObjectives(kpi, config);
  // `new` leads in the whole tab: a `new` lead has not been contacted. Counted by one TextFinder
  // without asking each match its row (a Sheet may hold thousands). The newest, by created_at (the
  // operator sorts the tab), are named in the decision: today's leads, already read, when they hold
  // enough; otherwise every `new` row is read.
  const uncontacted = leadsTable.countMatches('status', '^new$');
  const uncontactedLeads = newestUncontacted(leadsTable, leads, midnight, uncontacted).map((l) => ({ name: leadName(l), phone: l.phone }));
  // High incidents still open from before this run (an ads pause that did not happen, an overflow):
  // the evening never says "Rien à décider" above them. Those this run opened are counted apart.
  const incidentsTable = ctx.table(INCIDENTS);
  const openHigh = incidentsTable
    .readRowsAt(incidentsTable.matchRows(['status'], '^(open|investigating)$'), { columns: ['created_at', 'severity', 'status', 'title'] })
    .filter((i) => (i.status === 'open' || i.status === 'investigating') && i.severity === 'high' && (i.created_at === null || i.created_at.getTime() < now.getTime()))
    .map((i) => i.title);
  const sent = sendOncePerDay(
    ctx,
    routine,
    eveningEmail({
      date: dateFr(now),
      kpi,
      checks,
      adjustments: adjustments(kpi, checks, uncontacted),
      uncontacted,
      conversions: conversionsOn(leads, today, parisDay),
      stripe,
      optOuts: { numbers: new Set(optOuts.map((o) => phoneKey(o.phone))).size + repair.recorded.length, fixed: optCheck.toFix.length, recorded: repair.recorded, normalised: repair.normalised, duplicates: repair.duplicates, breaches: optCheck.breaches.map((b) => ({ ...b, last: dateTimeFr(b.lastSentAt) })) },
      backup,
      journal: { removed: expired, days: days + ARCHIVE_GRACE_DAYS },
      incidentsOpened: opened,
      smsCost: monthSmsCost(ctx, now),
      uncontactedLeads,
      openHigh,
      capacity: capacity ? { current: capacity.current_leads, max: capacity.max_leads, usagePct: capacity.usage_pct, status: capacity.status } : undefined,
      sheetUrl: sheetUrl(ctx),
    }),
    run,
  );
  return {
    routine,
    ok: true,
    ...sent,
    kpi,
    kpiWritten,
    incidentsOpened: opened,
    optOutsFixed: optCheck.toFix.length,
    optOutsRecorded: repair.recorded.length,
    optOutsNormalised: repair.normalised,
    optOutsDuplicates: repair.duplicates,
    optOutBreaches: optCheck.breaches.length,
    unlinked: stripe.unlinked.map((s) => s.id),
    gone: stripe.gone.map((g) => g.id),
    stripeError: stripe.error,
    backup: { name: backup.name, made: backup.made, trashed: backup.trashed, error: backup.error },
    journalRemoved: expired,
  };
}
