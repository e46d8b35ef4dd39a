/**
 * The Events journal: one row per provider event, so that each is applied at most once although
 * providers deliver at least once (Apps Script's 302 makes them retry) and reconcile finds the
 * same events again. The caller holds the script lock.
 */
import { markDashboardStale } from './dashboard-stale';
import { EVENTS, type RowOf } from '../domain/schema';
import type { Stored } from '../adapters/sheets';
import type { Ctx } from './context';
import { noticeFailure } from './failures';

/** Longest payload kept (a cell holds 50,000 characters). */
const PAYLOAD_MAX = 20000;

export type EventSource = 'stripe' | 'facebook' | 'sms';
export type EventStatus = 'received' | 'processed' | 'duplicate' | 'failed' | 'ignored';
/** What applying an event gave: a final status, with a reason for ignored/failed ones. */
export interface Outcome {
  status: Exclude<EventStatus, 'received'>;
  /** Why (failed: the error; ignored: the reason). Never a secret: it is redacted anyway. */
  reason?: string;
  /** A better type than the hint known before applying (e.g. the fetched Stripe event's type). */
  type?: string;
}

/** How the event reached us. 'relay': a webhook forwarded by the edge relay (relay/), signature checked there. */
export type Via = 'webhook' | 'relay' | 'reconcile' | 'replay' | 'retry';

/** The journal's answer for one event. */
export interface Journalled {
  status: EventStatus;
  /** True when this call applied the event (false: it was already done). */
  applied: boolean;
  reason?: string;
  row: number;
  /** True when the journal had no row for this event before this call. */
  firstSeen: boolean;
}

const DONE: ReadonlySet<string> = new Set(['processed', 'duplicate', 'ignored']);

/**
 * How `last_error` starts on an event given up after its retry window (reconcile): `ignored`, so
 * that retries stop, but not done: any later sighting (reconcile's poll, a replay, a redelivery)
 * applies it again.
 */
export const GIVEN_UP = 'abandonné';

/** Whether a journal row was given up after its retry window (see GIVEN_UP). */
export function isGivenUp(row: { status: string; last_error: string }): boolean {
  return row.status === 'ignored' && row.last_error.startsWith(GIVEN_UP);
}

/** Whether a journal row is finished: processed, a duplicate, or ignored for good. */
export function isDone(row: { status: string; last_error: string }): boolean {
  return DONE.has(row.status) && !isGivenUp(row);
}

/** The journal row of an event, if any (one TextFinder call on event_id, whatever the size). */
export function findEvent(ctx: Ctx, source: EventSource, eventId: string): Stored<typeof EVENTS> | null {
  if (!eventId) return null;
  const events = ctx.table(EVENTS);
  for (const row of events.findRows('event_id', eventId)) {
    const read = events.readRow(row);
    if (read.source === source) return read;
  }
  return null;
}

/**
 * Applies an event at most once. A new event is journalled `received` before anything else, so
 * an execution that dies halfway leaves a trace that reconcile completes; a done event is not
 * applied again (a redelivery only counts in `attempts`). `apply` must be idempotent per effect.
 */
export function applyOnce(
  ctx: Ctx,
  event: { source: EventSource; eventId: string; type: string; payload: string },
  via: Via,
  apply: () => Outcome,
): Journalled {
  const events = ctx.table(EVENTS);
  const existing = findEvent(ctx, event.source, event.eventId);
  if (existing && isDone(existing)) {
    // A provider's redelivery counts, whichever path it took; reconcile finding it again does not.
    if (via === 'webhook' || via === 'relay') events.update(existing._row, { attempts: existing.attempts + 1 });
    return { status: existing.status as EventStatus, applied: false, row: existing._row, firstSeen: false };
  }
  const now = ctx.now();
  let row: number;
  let attempts: number;
  if (existing) {
    row = existing._row;
    attempts = existing.attempts + 1;
  } else {
    attempts = 1;
    row = events.append([
      { received_at: now, source: event.source, event_id: event.eventId, type: event.type, status: 'received', attempts, payload: storedPayload(ctx, event.payload, via) },
    ]);
  }
  let outcome: Outcome;
  try {
    outcome = apply();
  } catch (e) {
    outcome = { status: 'failed', reason: e instanceof Error ? e.message : String(e) };
  }
  // Retrying our own unfinished attempt: effects found done were done by that attempt, not by
  // another event, so the event is processed, not a duplicate.
  if (existing && outcome.status === 'duplicate') outcome = { ...outcome, status: 'processed', reason: undefined };
  const changes: Partial<RowOf<typeof EVENTS>> = {
    status: outcome.status,
    attempts,
    last_error: outcome.reason ? ctx.redact(outcome.reason).slice(0, 500) : '',
    processed_at: outcome.status === 'failed' ? null : ctx.now(),
  };
  if (outcome.type && outcome.type !== event.type) changes.type = outcome.type;
  events.update(row, changes);
  // A cause that keeps events waiting (a token, an outage, the Sheet) is the operator's to know.
  if (outcome.status === 'failed') noticeFailure(ctx, event.source, outcome.reason ?? '', existing?.received_at ?? now);
  if (outcome.status === 'processed') markDashboardStale(ctx);
  return { status: outcome.status, applied: outcome.status !== 'failed', reason: outcome.reason, row, firstSeen: !existing };
}

/**
 * Journals input that cannot be applied (bad JSON, missing id): one `ignored` row, so that
 * nothing sent to us is lost without a trace. Its id is made up, as the body had none.
 */
export function journalRejected(ctx: Ctx, source: EventSource, reason: string, payload: string, via: Via = 'webhook'): void {
  const now = ctx.now();
  ctx.table(EVENTS).append([
    {
      received_at: now,
      source,
      event_id: `rejected_${now.getTime()}`,
      type: 'invalid',
      status: 'ignored',
      attempts: 1,
      last_error: reason,
      processed_at: now,
      payload: storedPayload(ctx, payload, via),
    },
  ]);
}

/** The payload as stored: without secrets or control characters, tagged with its path, cut to fit. */
function storedPayload(ctx: Ctx, payload: string, via: Via): string {
  const text = ctx.redact(stripControls(payload));
  const tagged = via === 'webhook' ? text : `[${via}] ${text}`;
  return tagged.length > PAYLOAD_MAX ? `${tagged.slice(0, PAYLOAD_MAX)}…` : tagged;
}

/** Control characters other than tab and newline are dropped (they garble a cell). */
function stripControls(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}
