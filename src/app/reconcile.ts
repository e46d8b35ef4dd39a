/**
 * reconcile (every 5 minutes): makes the Sheet correct without relying on any webhook. It lists
 * the Stripe events and the Meta form leads since its cursors and applies what the journal does
 * not have, retries failed events with backoff, and sends the SMS that wait. Idle, it costs a few
 * Sheets calls: it runs 288 times a day for years. The caller holds the script lock.
 */
import { EVENTS } from '../domain/schema';
import { GraphLeadPage } from '../domain/meta';
import * as v from 'valibot';
import { RELEVANT_STRIPE_TYPES, type StripeEvent } from '../domain/stripe';
import { fail, ok, parseJson, type Result } from '../domain/result';
import { parisDay } from '../adapters/gas-services';
import type { Ctx } from './context';
import { applyOnce, findEvent, GIVEN_UP, type EventSource, type Outcome } from './journal';
import { noticePollFailure } from './failures';
import { applyStripeEvent, processInbound, processLeadgen, processStripeEventId } from './intake';
import { openIncident } from './incidents';
import { retryPendingSms } from './sms';
import { resumeAfterCapacityDay } from './capacity';
import { pollDeliveries, processStatusCallback } from './delivery';
import { retryLeadStages } from './lead-stages';
import { resendRefusedReports } from './routines';
import { refreshIfStale } from './dashboard';
import { FR, stripeEventFr } from '../ui/strings.fr';
import { pollableForms } from './forms';
import { addNewColumns } from './setup';

const HOUR = 3600;
/** First run: Stripe retries for 3 days, Meta for 36 h (SPEC §3). */
const STRIPE_LOOKBACK_S = 3 * 24 * HOUR;
const META_LOOKBACK_S = 36 * HOUR;
/** Twilio does not retry an inbound webhook: on its first run reconcile looks one day back. */
const REPLIES_LOOKBACK_S = 24 * HOUR;
/**
 * How long a Stripe event's webhook has to arrive before reconcile applies the event itself and
 * reports the webhook lost. Longer than the trigger's period (5 or 10 minutes, SPEC §5) plus the
 * lateness of a time-driven trigger, so that a late run does not report webhooks still on their way.
 */
const WEBHOOK_GRACE_S = 30 * 60;
/** Pages of Stripe events walked back per run (100 each): beyond, the run reports an error. */
const STRIPE_WALK_PAGES = 100;
/** Stripe events applied per run, and the time they may take (the rest waits for the next run). */
const STRIPE_APPLY_MAX = 200;
const STRIPE_APPLY_BUDGET_MS = 3 * 60000;
/** Pages read per source per run (100 items each): a busy backlog is taken over several runs. */
const MAX_PAGES = 5;
/**
 * Pages a Meta walk may read in one run when Graph ignored its LESS_THAN bound (a lead above it
 * came back: Meta documents only GREATER_THAN for form leads): the walk cannot resume below what
 * it read, so it reads on from the top in one run instead.
 */
const UNBOUNDED_WALK_PAGES = 50;
/**
 * How long a failing event is retried before it is given up: at least the providers' own retry
 * windows (Stripe 3 days, Meta 36 h), so that nothing they would still redeliver is dropped.
 * Given up, it stays re-openable (journal.ts GIVEN_UP).
 */
export const RETRY_WINDOW_MS = 72 * 3600000;
/** Failed events retried per run (each may cost a provider call: keep the run short). */
const RETRIES_PER_RUN = 20;

export interface ReconcileReport {
  /** Columns a deploy brought, added to their tabs (setup.ts addNewColumns); empty almost always. */
  columnsAdded: Record<string, string[]>;
  /** `recovered`: applied events whose webhook never came; `deferred`: left for the next run (budget). */
  stripe: { listed: number; applied: number; recovered?: number; deferred?: number; error?: string };
  facebook: { listed: number; applied: number; error?: string };
  /** Replies on our number whose webhook never came (polled only when TWILIO_FROM is a number). */
  sms: { listed: number; applied: number; error?: string };
  retried: number;
  pendingSms: { sent: number; failed: number };
  /** Campaigns paused for capacity resumed the next day (null: nothing to do, no Sheets call). */
  ads: { resumed: number; failed: number } | null;
  /** SMS of the last 48 h whose delivery status was asked of Twilio (no call when none is due). */
  deliveries: { polled: number; settled: number };
  /** Lead stages to Meta that failed before, sent again (no call when none waits). */
  stages: { sent: number; failed: number };
  /** Routine reports MailApp had refused, resent now that it accepts again. */
  reportsResent: number;
  /** The Dashboard rewritten because a figure changed since its last refresh (false: nothing changed, no Sheets call). */
  dashboard: boolean;
}

/**
 * A run starts no step after this long, so that it ends well inside Apps Script's 6 minutes: a step
 * left out (and the rest of a Stripe backlog) is simply the next run's (5 minutes later).
 */
const RUN_BUDGET_MS = 4 * 60000;
/** When this run must stop starting steps (module state lives one execution, as in Apps Script). */
let runDeadlineMs = Infinity;
const pastDeadline = (ctx: Ctx, budgetMs = RUN_BUDGET_MS) => ctx.now().getTime() > runDeadlineMs - RUN_BUDGET_MS + budgetMs;
/** The Dashboard's refresh (tens of Sheets calls) starts only in a run with time left: its flag waits for the next one. */
const DASHBOARD_START_BY_MS = 2 * 60000;

/** One reconcile run. Each step's failure reaches the operator (failures.ts), and never stops the next step. */
export function runReconcile(ctx: Ctx): ReconcileReport {
  runDeadlineMs = ctx.now().getTime() + RUN_BUDGET_MS;
  // First: a deploy that brought a new column gets it before anything writes to it.
  const columnsAdded = runStep(ctx, 'schema', () => addNewColumns(ctx), {});
  // Leads before payments: a checkout whose lead also missed its webhook then finds the lead.
  const facebook = polled(ctx, 'facebook', () => pollMeta(ctx));
  const stripe = polled(ctx, 'stripe', () => pollStripe(ctx));
  // Before the SMS that wait: a STOP that missed its webhook is applied before anything is sent.
  const sms = polled(ctx, 'sms', () => pollReplies(ctx));
  return {
    columnsAdded,
    stripe,
    facebook,
    sms,
    retried: runStep(ctx, 'retry', () => retryFailedEvents(ctx), 0),
    pendingSms: runStep(ctx, 'sms_pending', () => retryPendingSms(ctx), { sent: 0, failed: 0 }),
    ads: runStep(ctx, 'ads_resume', () => resumeAfterCapacityDay(ctx), null),
    reportsResent: runStep(ctx, 'reports', () => resendRefusedReports(ctx), 0),
    deliveries: runStep(ctx, 'deliveries', () => pollDeliveries(ctx), { polled: 0, settled: 0 }),
    stages: runStep(ctx, 'stages', () => retryLeadStages(ctx), { sent: 0, failed: 0 }),
    // Last: the Dashboard catches up with what changed since its last refresh (nothing to do when idle).
    dashboard: runStep(ctx, 'dashboard', () => refreshIfStale(ctx), false, DASHBOARD_START_BY_MS),
  };
}

type PollReport = { listed: number; applied: number; error?: string };

/** A poll whose error (returned or thrown) is reported to the operator once it lasts (failures.ts). */
function polled(ctx: Ctx, source: EventSource, poll: () => PollReport): PollReport {
  let report: PollReport;
  try {
    report = poll();
  } catch (e) {
    report = { listed: 0, applied: 0, error: ctx.redact(e instanceof Error ? e.message : String(e)) };
  }
  noticePollFailure(ctx, source, report.error);
  return report;
}

/** A step that must not stop the others: its exception is reported like a failing poll. */
function runStep<T>(ctx: Ctx, step: string, fn: () => T, fallback: T, startBy = RUN_BUDGET_MS): T {
  if (pastDeadline(ctx, startBy)) return fallback;
  try {
    const value = fn();
    noticePollFailure(ctx, step, undefined);
    return value;
  } catch (e) {
    noticePollFailure(ctx, step, ctx.redact(e instanceof Error ? e.message : String(e)));
    return fallback;
  }
}

/**
 * A cursor: the newest `created` (epoch s) seen, and the ids seen at that second (listed again
 * next time by `created >= cursor`, and skipped without a journal lookup).
 */
interface Cursor {
  at: number;
  ids: string[];
}

function readCursor(ctx: Ctx, key: string, lookback: number): Cursor {
  const raw = ctx.settings.state(key);
  const [at, ids] = raw.split('|');
  const n = Number(at);
  if (raw && Number.isFinite(n) && n > 0) return { at: n, ids: ids ? ids.split(',') : [] };
  return { at: Math.floor(ctx.now().getTime() / 1000) - lookback, ids: [] };
}

/**
 * Ids kept for the cursor's second: a Script Property holds 9 kB. Events of that second beyond
 * these are listed again and found done in the journal (a lookup each, never applied twice).
 */
const CURSOR_IDS_MAX = 150;

function advance(cursor: Cursor, created: number, id: string): Cursor {
  if (created > cursor.at) return { at: created, ids: [id] };
  if (created === cursor.at && !cursor.ids.includes(id) && cursor.ids.length < CURSOR_IDS_MAX) return { at: cursor.at, ids: [...cursor.ids, id] };
  return cursor;
}

function saveCursor(ctx: Ctx, key: string, before: Cursor, after: Cursor): void {
  if (after.at !== before.at || after.ids.join(',') !== before.ids.join(',')) ctx.settings.setState(key, `${after.at}|${after.ids.join(',')}`);
}

/**
 * The Stripe events since the cursor, applied oldest first. Stripe lists newest first, so the run
 * first walks back page by page (`starting_after`) down to the cursor, asking only for the types
 * we act on (`types[]`); only a walk that reached the cursor is applied, so the cursor never moves
 * over a gap (a page that failed leaves it where it was, and the next run walks again). Applying
 * stops at a budget (events and time, within Apps Script's 6 minutes): the cursor then stands after
 * the last event applied, and the next run resumes there.
 */
function pollStripe(ctx: Ctx): ReconcileReport['stripe'] {
  const report = { listed: 0, applied: 0 } as ReconcileReport['stripe'];
  if (!ctx.settings.get('STRIPE_SECRET_KEY')) return report;
  const key = 'CURSOR_STRIPE_EVENTS';
  const start = readCursor(ctx, key, STRIPE_LOOKBACK_S);
  const walked = walkBackStripe(ctx, start.at);
  if (!walked.ok) {
    report.error = ctx.redact(walked.error);
    return report;
  }
  // Oldest first: the reverse of Stripe's order (which also orders events of the same second).
  const pending = walked.value.reverse().filter((e) => !(e.created === start.at && start.ids.includes(e.id)));
  report.listed = pending.length;
  const startedMs = ctx.now().getTime();
  const nowS = Math.floor(startedMs / 1000);
  const recovered: StripeEvent[] = [];
  let cursor = start;
  let handled = 0;
  for (const event of pending) {
    if (handled >= STRIPE_APPLY_MAX || ctx.now().getTime() - startedMs > STRIPE_APPLY_BUDGET_MS || pastDeadline(ctx)) {
      report.deferred = pending.length - pending.indexOf(event);
      break;
    }
    const known = findEvent(ctx, 'stripe', event.id);
    // Its webhook may still come (Stripe retries, a trigger runs late): the next run looks again.
    if (!known && nowS - event.created < WEBHOOK_GRACE_S) break;
    if (!known || !['processed', 'duplicate', 'ignored'].includes(known.status)) {
      handled++;
      const result = applyOnce(ctx, { source: 'stripe', eventId: event.id, type: event.type, payload: JSON.stringify(event) }, 'reconcile', () =>
        applyStripeEvent(ctx, event),
      );
      if (result.applied) report.applied++;
      // Only an event the journal never saw missed its webhook (one that came and failed did not).
      if (result.applied && result.firstSeen) recovered.push(event);
    }
    // A failed event moves the cursor too: its journal row is retried with backoff.
    cursor = advance(cursor, event.created, event.id);
  }
  saveCursor(ctx, key, start, cursor);
  report.recovered = recovered.length;
  if (recovered.length > 0) {
    // One digest per day while it is open (not one alert per event): the operator reads the
    // events in Events (payload "[reconcile] …").
    const listed = recovered.map((e) => `${stripeEventFr(e.type)} (${e.id})`); // in words; the Events tab keeps the code
    openIncident(ctx, { type: 'webhook_failure', severity: 'high', title: FR.incidents.webhooksRecovered(listed), ref: `stripe-webhooks-${parisDay(ctx.now())}` });
  }
  return report;
}

/** Every Stripe event of the types we use created since `since`, newest first, or the error that cut the walk short. */
function walkBackStripe(ctx: Ctx, since: number): Result<StripeEvent[]> {
  const events: StripeEvent[] = [];
  let after: string | undefined;
  for (let page = 0; page < STRIPE_WALK_PAGES; page++) {
    const listed = ctx.stripe().events(since, RELEVANT_STRIPE_TYPES, after);
    if (!listed.ok) return listed;
    events.push(...listed.value.events);
    if (!listed.value.hasMore || listed.value.events.length === 0) return ok(events);
    after = listed.value.events[listed.value.events.length - 1].id;
  }
  return fail(`stripe: more than ${STRIPE_WALK_PAGES * 100} events to catch up`);
}

const ListedLead = v.looseObject({ id: v.pipe(v.string(), v.regex(/^\d{1,25}$/)), created_time: v.string() });

/**
 * A walk down a form's leads not finished yet (Graph lists newest first): the leads created before
 * `until` (epoch s) are still to read, and `newest` is the newest lead of the walk, where the
 * cursor goes once the walk reaches the cursor (then the run of leads is gap-free).
 */
interface Walk {
  until: number;
  newest: Cursor;
}

function readWalk(ctx: Ctx, key: string): Walk | null {
  const parsed = parseJson(ctx.settings.state(key));
  const walk = parsed.ok ? (parsed.value as Walk | null) : null;
  return walk && Number.isFinite(walk.until) && walk.newest && Number.isFinite(walk.newest.at) ? walk : null;
}

/**
 * The form leads since the cursor, for every form of FB_FORM_IDS (or, when it is empty, every
 * form of the page: forms.ts). The cursor moves only over a gap-free run: Graph lists newest
 * first, so a run that stops early (a page that fails, the page limit) keeps a walk that the
 * next run resumes below the oldest lead read, and the cursor moves to the newest lead only
 * once the walk reached it. Every lead read is applied at once, oldest first (the journal makes
 * a lead read twice cost nothing).
 */
function pollMeta(ctx: Ctx): ReconcileReport['facebook'] {
  const report = { listed: 0, applied: 0 } as ReconcileReport['facebook'];
  if (!ctx.settings.get('FB_ACCESS_TOKEN')) return report;
  const forms = pollableForms(ctx);
  if (!forms.ok) {
    report.error = forms.error;
    return report;
  }
  for (const form of forms.value) {
    const key = `CURSOR_FB_FORM_${form}`;
    const walkKey = `WALK_FB_FORM_${form}`;
    const start = readCursor(ctx, key, META_LOOKBACK_S);
    const walk = readWalk(ctx, walkKey);
    const leads: Array<{ id: string; created: number; json: unknown }> = [];
    let after: string | undefined;
    let complete = false;
    let pages = MAX_PAGES;
    for (let page = 0; page < pages; page++) {
      // GREATER_THAN is strict: ask from the second before the cursor and skip the ids seen at it.
      const listed = ctx.graph().formLeads(form, start.at - 1, after, walk ? walk.until + 1 : undefined);
      const parsed = listed.ok ? v.safeParse(GraphLeadPage, listed.value) : null;
      if (!listed.ok || !parsed?.success) {
        report.error = listed.ok ? 'invalid_form_leads' : ctx.redact(listed.error);
        break;
      }
      for (const item of parsed.output.data) {
        const lead = v.safeParse(ListedLead, item);
        const created = lead.success ? Date.parse(lead.output.created_time.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')) : NaN;
        if (lead.success && Number.isFinite(created)) leads.push({ id: lead.output.id, created: Math.floor(created / 1000), json: item });
      }
      if (walk && pages === MAX_PAGES && leads.some((l) => l.created > walk.until + 1)) {
        console.warn(`reconcile: Graph ignored the LESS_THAN bound of form ${form}: reading the backlog from the top`);
        pages = UNBOUNDED_WALK_PAGES;
      }
      after = parsed.output.paging?.next ? parsed.output.paging.cursors?.after : undefined;
      if (!after) {
        complete = true;
        break;
      }
    }
    report.listed += leads.length;
    let newest = walk?.newest ?? start;
    for (const lead of leads.sort((a, b) => a.created - b.created)) {
      if (lead.created === start.at && start.ids.includes(lead.id)) continue;
      const result = applyOnce(ctx, { source: 'facebook', eventId: lead.id, type: 'leadgen', payload: JSON.stringify(lead.json) }, 'reconcile', () =>
        processLeadgen(ctx, lead.id, lead.json),
      );
      if (result.applied) report.applied++;
      newest = advance(newest, lead.created, lead.id);
    }
    if (complete) {
      saveCursor(ctx, key, start, newest);
      if (walk) ctx.settings.setState(walkKey, '');
    } else if (leads.length > 0) {
      // Resume below the oldest lead read (its second again: the journal skips those already applied).
      ctx.settings.setState(walkKey, JSON.stringify({ until: leads[0].created, newest } satisfies Walk));
    }
  }
  return report;
}

/**
 * Replies on our number (a STOP above all) whose webhook was lost: Twilio does not deliver an
 * inbound webhook twice, so they are listed since a cursor and applied through the journal like
 * the others. Only when TWILIO_FROM is a phone number: an alphanumeric sender receives nothing.
 * Idle, it costs one Twilio call and no Sheets call.
 */
function pollReplies(ctx: Ctx): ReconcileReport['sms'] {
  const report = { listed: 0, applied: 0 } as ReconcileReport['sms'];
  const ourNumber = ctx.settings.get('TWILIO_FROM');
  if (!/^\+\d{8,15}$/.test(ourNumber) || !ctx.settings.get('TWILIO_AUTH_TOKEN')) return report;
  const key = 'CURSOR_TWILIO_REPLIES';
  const start = readCursor(ctx, key, REPLIES_LOOKBACK_S);
  const listed = ctx.twilio().receivedOn(ourNumber, new Date(start.at * 1000));
  if (!listed.ok) {
    report.error = ctx.redact(listed.error);
    return report;
  }
  const replies = listed.value
    .map((m) => ({ sid: m.sid, created: Math.floor(Date.parse(m.date_created) / 1000) }))
    .filter((m) => Number.isFinite(m.created) && m.created >= start.at && !(m.created === start.at && start.ids.includes(m.sid)));
  report.listed = replies.length;
  let cursor = start;
  for (const reply of replies.sort((a, b) => a.created - b.created)) {
    const payload = JSON.stringify({ MessageSid: reply.sid });
    const result = applyOnce(ctx, { source: 'sms', eventId: reply.sid, type: 'inbound_sms', payload }, 'reconcile', () => processInbound(ctx, reply.sid));
    if (result.applied && result.firstSeen) report.applied++;
    cursor = advance(cursor, reply.created, reply.sid);
  }
  saveCursor(ctx, key, start, cursor);
  return report;
}

/**
 * Journal rows left `failed` or `received` (an execution died): retried with capped backoff for
 * RETRY_WINDOW_MS, then given up with one incident per source (re-openable by a poll, a replay or
 * a redelivery). Only rows whose backoff elapsed count against the per-run limit, so a pile of
 * waiting rows never hides one that is due.
 */
function retryFailedEvents(ctx: Ctx): number {
  const events = ctx.table(EVENTS);
  const rows = events.findRowsMatching('status', '^(failed|received)$');
  if (rows.length === 0) return 0;
  const now = ctx.now().getTime();
  let retried = 0;
  for (const event of events.readRowsAt(rows)) {
    if (retried >= RETRIES_PER_RUN) break;
    if (event.status !== 'failed' && event.status !== 'received') continue;
    const since = event.received_at?.getTime() ?? 0;
    if (now < since + retryDelayMs(event.attempts)) continue;
    const source = event.source as EventSource;
    if (now - since > RETRY_WINDOW_MS) {
      // Re-found by id: the row may have moved since it was read (an operator sorting the journal).
      const row = rowOf(ctx, source, event.event_id, event._row);
      if (row === null) continue;
      events.update(row, { status: 'ignored', last_error: `${GIVEN_UP} après ${event.attempts} essais : ${event.last_error}`.slice(0, 500) });
      openIncident(ctx, { type: 'event_given_up', severity: 'high', title: FR.incidents.givenUp(source, Math.round(RETRY_WINDOW_MS / 3600000)), ref: source });
      continue;
    }
    const retry = (): Outcome =>
      source === 'stripe'
        ? processStripeEventId(ctx, event.event_id)
        : source === 'facebook'
          ? processLeadgen(ctx, event.event_id)
          : source === 'sms' && event.type === 'sms_status'
            ? processStatusCallback(ctx, event.event_id.split(':')[0])
            : source === 'sms'
            ? processInbound(ctx, event.event_id)
            : { status: 'ignored', reason: 'unknown_source' };
    applyOnce(ctx, { source, eventId: event.event_id, type: event.type, payload: '' }, 'retry', retry);
    retried++;
  }
  return retried;
}

/** The journal row of an event: `row` if it still holds that event, else found again by id. */
function rowOf(ctx: Ctx, source: EventSource, eventId: string, row: number): number | null {
  const events = ctx.table(EVENTS);
  const at = events.readRowsAt([row], { columns: ['source', 'event_id'] })[0];
  if (at && at.event_id === eventId && at.source === source) return row;
  for (const r of events.findRows('event_id', eventId)) if (events.readRow(r).source === source) return r;
  return null;
}

/**
 * When the next attempt is due, counted from the first receipt: a `received` row once its
 * execution is surely dead (5 minutes), a `failed` one 5, 10, 20, 40 minutes later, then every
 * hour (the schedule is cumulative, so a row waits between its own attempts, not only since
 * its receipt).
 */
export function retryDelayMs(attempts: number): number {
  const MIN = 60000;
  let total = 0;
  for (let k = 1; k <= Math.max(1, attempts); k++) total += Math.min(5 * MIN * 2 ** (k - 1), 60 * MIN);
  return total;
}
