/**
 * What each provider event does, once the journal has let it through (SPEC §3). Each function
 * is idempotent per effect, so a retry after a crash completes the work without doubling it.
 * The caller holds the script lock.
 */
import { leadFromGraph, type LeadDraft } from '../domain/meta';
import { emailKey } from '../domain/input';
import { isStartWord, isStopWord } from '../domain/sms';
import { phoneKey } from '../domain/phone';
import { RELEVANT_STRIPE_TYPES, type StripeEvent } from '../domain/stripe';
import { LEADS } from '../domain/schema';
import { formatParis } from '../adapters/gas-services';
import type { Ctx } from './context';
import type { Outcome } from './journal';
import { addNote, attachMetaLead, createMetaLead, findLeadMadeByStripe, findLeadsFor, type Lead } from './leads';
import { ensureLeadSms } from './sms';
import { leadStageChanged } from './lead-stages';
import { countLead } from './capacity';
import { STRIPE_HANDLERS } from './stripe';
import { isOptedOut, optOutNumber } from './optout';
import { FR } from '../ui/strings.fr';
import { isPermanent } from '../domain/failures';

/**
 * A failed fetch: `ignored` only when the object does not exist; anything else (a token, a rate
 * limit, an outage) is `failed` and retried (domain/failures.ts).
 */
function failure(error: string): Outcome {
  return isPermanent(error) ? { status: 'ignored', reason: error } : { status: 'failed', reason: error };
}

/** A lead found recorded is counted again (if it was not) only this recent: the retries' 72 h window. */
const RECOUNT_MS = 3 * 86400000;

/**
 * A Meta lead: recorded once per leadgen id, then texted. `prefetched` is the Graph lead when
 * reconcile already listed it (no second fetch). The same person's second form within Config
 * duplicate_window_days (same phone or email) is noted on their lead instead: no second row, no
 * second SMS, no second count.
 */
export function processLeadgen(ctx: Ctx, leadgenId: string, prefetched?: unknown): Outcome {
  let json = prefetched;
  if (json === undefined) {
    const fetched = ctx.graph().lead(leadgenId);
    if (!fetched.ok) return failure(fetched.error);
    json = fetched.value;
  }
  const draft = leadFromGraph(json);
  if (!draft.ok) return { status: 'ignored', reason: draft.error };
  if (draft.value.fbLeadId !== leadgenId) return { status: 'ignored', reason: 'lead_id_mismatch' };
  // One search finds this leadgen id (a retry after a crash) and this person's earlier leads.
  const known = findLeadsFor(ctx, leadgenId, draft.value.phone.ok ? draft.value.phone.e164 : '', draft.value.email);
  const existing = known.find((l) => l.fb_lead_id === leadgenId);
  if (existing) {
    // A retry of an execution that died after recording the lead: count it on its own day if it was not
    // (once: countLead keeps the ids it counted). Only a recent lead: an old one was counted long ago.
    if (existing.created_at && ctx.now().getTime() - existing.created_at.getTime() < RECOUNT_MS) countLead(ctx, existing.id, existing.created_at);
    ensureLeadSms(ctx, existing, false);
    leadStageChanged(ctx, existing);
    return { status: 'duplicate', reason: 'lead_exists' };
  }
  const earlier = samePersonLead(ctx, known, draft.value);
  if (earlier) {
    const note = FR.notes.formAgain(formatParis(draft.value.createdAt, 'dd/MM/yyyy HH:mm'), leadgenId, draft.value.answers);
    if (!earlier.notes.includes(`(lead Meta ${leadgenId})`)) addNote(ctx, earlier, note);
    return { status: 'duplicate', reason: `same_person: ${earlier.id}` };
  }
  // A client who paid before their lead was recorded (Graph down, webhook late) already has a
  // lead made by the conversion: the Meta lead completes it instead of making a second one.
  const paid = findLeadMadeByStripe(ctx, draft.value.email);
  const lead = paid ? attachMetaLead(ctx, paid, draft.value) : createMetaLead(ctx, draft.value);
  // Counted once: a redelivery finds the lead above and returns before this line. Never throws.
  countLead(ctx, lead.id, lead.created_at);
  const sms = ensureLeadSms(ctx, lead, !paid);
  // After the SMS (the lead's first minute matters more); a paid-first lead sends its stages in order.
  leadStageChanged(ctx, lead, !paid);
  return { status: 'processed', reason: sms === 'sent' ? undefined : `sms: ${sms}` };
}

/**
 * The same person's lead created within Config duplicate_window_days of this form (same phone or
 * email), the newest; never a lead made by a conversion (the Meta lead completes that one).
 */
function samePersonLead(ctx: Ctx, known: readonly Lead[], draft: LeadDraft): Lead | null {
  const days = ctx.config().duplicate_window_days;
  if (days <= 0) return null;
  const phone = draft.phone.ok ? draft.phone.e164 : '';
  const same = known.filter(
    (l) =>
      !(l.source === 'stripe' && !l.fb_lead_id) &&
      l.created_at !== null &&
      Math.abs(l.created_at.getTime() - draft.createdAt.getTime()) <= days * 86400000 &&
      ((phone !== '' && l.phone === phone) || (draft.email !== '' && emailKey(l.email) === emailKey(draft.email))),
  );
  return same.sort((a, b) => (b.created_at as Date).getTime() - (a.created_at as Date).getTime())[0] ?? null;
}

/** Applies a Stripe event as the API returned it, through the handlers of app/stripe.ts; other types are `ignored`. */
export function applyStripeEvent(ctx: Ctx, event: StripeEvent): Outcome {
  const handler = STRIPE_HANDLERS[event.type];
  if (!handler) {
    return { status: 'ignored', reason: 'type_not_used', type: event.type };
  }
  return { ...handler(ctx, event), type: event.type };
}

/** A Stripe event announced by a webhook (or retried): fetched from the API, then applied. */
export function processStripeEventId(ctx: Ctx, eventId: string): Outcome {
  const fetched = ctx.stripe().event(eventId);
  if (!fetched.ok) return failure(fetched.error);
  if (fetched.value.id !== eventId) return { status: 'ignored', reason: 'event_id_mismatch' };
  return applyStripeEvent(ctx, fetched.value);
}

/** Whether reconcile should report a Stripe event that never came by webhook. */
export function isRelevantStripeType(type: string): boolean {
  return RELEVANT_STRIPE_TYPES.includes(type as StripeEvent['type']);
}

/**
 * An inbound SMS, confirmed with Twilio's API: a STOP word opts the number out; any other
 * reply is noted on the lead(s) and the operator is told.
 */
export function processInbound(ctx: Ctx, sid: string): Outcome {
  const fetched = ctx.twilio().message(sid);
  if (!fetched.ok) return failure(fetched.error);
  const message = fetched.value;
  if (message.sid !== sid || !message.direction.startsWith('inbound')) return { status: 'ignored', reason: 'not_inbound' };
  const from = phoneKey(message.from ?? '');
  const body = message.body ?? '';
  if (!from) return { status: 'ignored', reason: 'no_sender' };
  if (isStopWord(body)) {
    optOutNumber(ctx, from, FR.reasons.stopReply, 'sms');
    return { status: 'processed', type: 'stop' };
  }
  // START / UNSTOP lift Twilio's own block, never ours: an opted-out number stays opted out, and the
  // note and the operator's email say so.
  const startIgnored = isStartWord(body) && isOptedOut(ctx, from);
  // The note carries the message's own date, so a retry finds it and does not write it twice.
  const received = message.date_created ? new Date(message.date_created) : ctx.now();
  const note =
    FR.notes.smsReceived(formatParis(isNaN(received.getTime()) ? ctx.now() : received, 'dd/MM/yyyy HH:mm'), body.slice(0, 1000)) +
    (startIgnored ? ` ${FR.notes.startIgnored(body.trim().slice(0, 20))}` : '');
  const leads = ctx.table(LEADS);
  // The operator's email names the people (the id only for a lead without a name).
  const names: string[] = [];
  for (const row of leads.findRows('phone', from)) {
    const lead = leads.readRow(row);
    if (!lead.notes.includes(note)) addNote(ctx, lead, note);
    names.push(`${lead.first_name} ${lead.last_name}`.trim() || lead.id);
  }
  const to = ctx.settings.get('ALERT_EMAIL');
  const error = to ? ctx.mail({ to, subject: FR.inbound.subject(from), body: FR.inbound.body(from, body.slice(0, 2000), names, startIgnored) }) : null;
  // The operator must read the reply: a refused email fails the event, and reconcile retries it.
  if (error) return { status: 'failed', reason: `email: ${error}`, type: 'inbound_sms' };
  return { status: 'processed', type: 'inbound_sms' };
}
