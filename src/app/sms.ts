/**
 * The SMS to a new lead: sent once, in the same execution that records the lead, unless the
 * number opted out or it is the quiet hours (then reconcile sends it when the window opens).
 * Every attempt is a state of one Messages row, so a lead never gets two SMS: the row says
 * `sending` before Twilio is called, and reconcile resolves a `sending` that an execution left.
 */
import { LEADS, MESSAGES, type RowOf } from '../domain/schema';
import { composeLeadSms, inSmsWindow } from '../domain/sms';
import { optOutUrl } from '../domain/optout';
import { normalizePhone } from '../domain/phone';
import type { Stored } from '../adapters/sheets';
import { parisTime, randomSecret } from '../adapters/gas-services';
import type { Ctx } from './context';
import { addNote, findLead, type Lead } from './leads';
import { openIncident } from './incidents';
import { optOutFound, optOutNumber } from './optout';
import { statusCallbackUrl, trackDelivery } from './delivery';
import { FR, phoneFr } from '../ui/strings.fr';

/** Messages.template of the first SMS to a lead. */
export const LEAD_SMS = 'sms_nouveau_lead';

type Message = Stored<typeof MESSAGES>;
export type SmsResult = 'sent' | 'queued' | 'failed' | 'abandoned' | 'opted_out' | 'no_phone' | 'already';

/**
 * The opt-out rule (app/optout.ts), applied to a lead about to be texted: true when the number must
 * not get the SMS. An opt-out found only on a lead's status (a hand edit nothing recorded) is
 * recorded in Opt_Outs now; the lead itself becomes `opted_out` with the note.
 */
function blockedByOptOut(ctx: Ctx, lead: Lead, e164: string): boolean {
  const found = optOutFound(ctx, e164, { self: lead });
  if (found === null) return false;
  if (found === 'lead_status') optOutNumber(ctx, e164, FR.reasons.statusByHand, 'statut');
  if (lead.status !== 'opted_out') addNote(ctx, lead, FR.notes.optedOutNoSms, { status: 'opted_out', sms_status: 'blocked' });
  return true;
}

/** Twilio's answer for a number on its own STOP list (the person replied STOP to our sender). */
const TWILIO_UNSUBSCRIBED = /^twilio 21610\b/;

/**
 * Makes sure a lead gets its first SMS once. `fresh`: the lead was created in this execution,
 * so it cannot have a Messages row yet (saves a lookup).
 */
export function ensureLeadSms(ctx: Ctx, lead: Lead, fresh: boolean): SmsResult {
  if (lead.sms_sent) return 'already';
  const phone = normalizePhone(lead.phone);
  if (!phone.ok) return 'no_phone';
  if (!fresh) {
    const messages = ctx.table(MESSAGES);
    const previous = messages.findRows('lead_id', lead.id).map((r) => messages.readRow(r)).filter((m) => m.template === LEAD_SMS);
    const sent = previous.find((m) => /^(sent|delivered|undelivered)$/.test(m.status) && m.provider_id);
    // Sent, but the execution died before marking the lead: mark it now.
    if (sent) ctx.table(LEADS).update(lead._row, { sms_sent: true, sms_sent_at: sent.sent_at });
    if (previous.length > 0) return 'already'; // queued, sending, failed: reconcile owns it now
  }
  if (blockedByOptOut(ctx, lead, phone.e164)) return 'opted_out';
  const now = ctx.now();
  const base = { queued_at: now, channel: 'sms', to: phone.e164, lead_id: lead.id, template: LEAD_SMS, attempts: 0 };
  if (!inSmsWindow(parisTime(now), ctx.config())) {
    // Only waiting: no sent_at until reconcile hands it to Twilio.
    ctx.table(MESSAGES).append([{ ...base, status: 'queued' }]);
    ctx.table(LEADS).update(lead._row, { sms_status: 'queued' });
    return 'queued';
  }
  const sending = { ...base, sent_at: now, status: 'sending', attempts: 1 };
  const row = ctx.table(MESSAGES).append([sending]);
  return deliver(ctx, { ...emptyMessage(), ...sending, _row: row }, lead);
}

/**
 * Sends the SMS of a Messages row already marked for it, records the outcome on the row and the
 * lead. The row must say `sending` (with its attempt counted) before this is called.
 */
function deliver(ctx: Ctx, message: Message, lead: Lead): SmsResult {
  const config = ctx.config();
  const body = composeLeadSms(config.sms_template, lead.first_name, optOutMention(ctx, lead.id));
  const sent = ctx.twilio().send(message.to, ctx.settings.get('TWILIO_FROM'), body, statusCallbackUrl(ctx));
  const now = ctx.now();
  const messages = ctx.table(MESSAGES);
  if (sent.ok) {
    // Followed for its delivery status before anything else is written (a Script Property, no
    // Sheets call), so an execution that dies after Twilio's answer still has it polled.
    trackDelivery(ctx, sent.value.sid, now);
    // status, provider_id and error are adjacent: one write.
    messages.update(message._row, { status: 'sent', provider_id: sent.value.sid, error: '' });
    // sms_sent and sms_sent_at are adjacent: one write (sms_sent_at dates this change; updated_at is left for edits of the lead itself).
    ctx.table(LEADS).update(lead._row, { sms_sent: true, sms_sent_at: now });
    return 'sent';
  }
  if (TWILIO_UNSUBSCRIBED.test(sent.error)) {
    // Not a failure to retry: the person said stop. Recorded like any opt-out, never sent again.
    // Recorded first: an execution that dies before the row says `blocked` leaves a `sending` row that
    // reconcile settles with Twilio (nothing sent) and retries, and the retry is then blocked by the rule.
    optOutNumber(ctx, message.to, FR.reasons.providerRefused, 'twilio');
    messages.update(message._row, { status: 'blocked', error: ctx.redact(sent.error).slice(0, 500), next_attempt_at: null });
    ctx.table(LEADS).update(lead._row, { sms_status: 'blocked' });
    return 'opted_out';
  }
  // A timeout may come after Twilio accepted the message: the row says so, and the next try asks Twilio first.
  const error = `${outcomeUnknown(sent.error) ? FR.sms.outcomeUnknown : ''}${ctx.redact(sent.error)}`.slice(0, 500);
  return recordFailure(ctx, message, lead.id, error, `${`${lead.first_name} ${lead.last_name}`.trim() || lead.id} (${phoneFr(message.to)})`);
}

/** A failed try: `failed` with its backoff, or `abandoned` with one incident after sms_max_attempts. */
/** `who`: the person as the incident names them (their name and number, or the number alone). */
function recordFailure(ctx: Ctx, message: Message, leadId: string, error: string, who = phoneFr(message.to)): SmsResult {
  const abandoned = message.attempts >= ctx.config().sms_max_attempts;
  ctx.table(MESSAGES).update(message._row, {
    status: abandoned ? 'abandoned' : 'failed',
    error,
    next_attempt_at: abandoned ? null : new Date(ctx.now().getTime() + backoffMs(message.attempts)),
  });
  if (abandoned) openIncident(ctx, { type: 'sms_failure', severity: 'medium', title: FR.incidents.smsFailure(who, error), ref: leadId });
  return abandoned ? 'abandoned' : 'failed';
}

/**
 * Whether a failed send may still have reached Twilio: no answer at all (a timeout, the network)
 * or a gateway's 502/504. A refusal with Twilio's own code (21610, 21211…) or a 4xx is certain.
 */
function outcomeUnknown(error: string): boolean {
  return /^twilio: |^twilio 50[24]\b/.test(error);
}

/** 5 min, 10, 20, 40… between attempts, at most 6 h. */
export function backoffMs(attempts: number): number {
  return Math.min(5 * 60000 * 2 ** Math.max(0, attempts - 1), 6 * 3600000);
}

/** The opt-out mention: the signed link (default) or "Répondez STOP" (Config, or no web app URL yet). */
function optOutMention(ctx: Ctx, leadId: string): string {
  const url = ctx.webAppUrl();
  if (ctx.config().sms_optout_mode !== 'lien' || !url) return FR.sms.replyStop;
  return FR.sms.optOutLink(optOutUrl(url, leadId, optOutSecret(ctx), (m, k) => ctx.hmac(m, k)));
}

/** The key that signs opt-out links (generated once, kept in Script Properties). */
export function optOutSecret(ctx: Ctx): string {
  let secret = ctx.settings.get('OPTOUT_SECRET');
  if (!secret) {
    secret = randomSecret();
    ctx.settings.setState('OPTOUT_SECRET', secret);
  }
  return secret;
}

/** Messages rows reconcile must look at: waiting, failed, or left `sending` by a dead execution. */
const PENDING = /^(queued|failed|sending)$/;
/** An execution that sent nothing for this long after marking `sending` is dead. */
const SENDING_STALE_MS = 10 * 60000;
/** Retries per reconcile run (each costs a Twilio call: keep the run short). */
const MAX_PER_RUN = 20;

/**
 * Sends the queued SMS whose window opened and retries the failed ones whose backoff elapsed.
 * Idle, it costs one TextFinder call on Messages.
 */
export function retryPendingSms(ctx: Ctx): { sent: number; failed: number } {
  const messages = ctx.table(MESSAGES);
  const rows = messages.findRowsMatching('status', PENDING.source);
  let sent = 0;
  let failed = 0;
  const now = ctx.now();
  let window: boolean | null = null; // read Config only when there is something to send
  for (const row of rows.slice(0, MAX_PER_RUN)) {
    const message = messages.readRow(row);
    if (message.template !== LEAD_SMS) continue;
    if (message.status === 'sending') {
      if (now.getTime() - (message.sent_at?.getTime() ?? 0) < SENDING_STALE_MS) continue;
      resolveSending(ctx, message);
      continue;
    }
    if (window === null) window = inSmsWindow(parisTime(now), ctx.config());
    if (!window) continue;
    if (message.status === 'failed' && message.next_attempt_at && message.next_attempt_at.getTime() > now.getTime()) continue;
    if (message.status === 'failed' && message.error.startsWith(FR.sms.outcomeUnknown)) {
      // The last try timed out: Twilio may have sent it. Asked first, never sent twice.
      const settled = settleWithTwilio(ctx, message);
      if (settled === 'sent') continue;
      if (settled === 'unknown') {
        const attempts = message.attempts + 1;
        messages.update(row, { attempts });
        recordFailure(ctx, { ...message, attempts }, message.lead_id, message.error);
        failed++;
        continue;
      }
    }
    const lead = findLead(ctx, message.lead_id);
    // Only a lead still waiting for its first contact gets the welcome SMS: not one that was called,
    // converted or rejected in the meantime. It goes to the lead's number as it is now (corrected
    // since, perhaps), and never to an opted-out number: the check is made here, at send time.
    const phone = lead ? normalizePhone(lead.phone) : null;
    if (!lead || !phone?.ok || lead.sms_sent || lead.status !== 'new') {
      messages.update(row, { status: 'skipped', next_attempt_at: null });
      continue;
    }
    if (blockedByOptOut(ctx, lead, phone.e164)) {
      messages.update(row, { status: 'blocked', to: phone.e164, next_attempt_at: null });
      continue;
    }
    const attempts = message.attempts + 1;
    messages.update(row, { status: 'sending', attempts, sent_at: now, ...(phone.e164 !== message.to ? { to: phone.e164 } : {}) });
    const result = deliver(ctx, { ...message, to: phone.e164, status: 'sending', attempts }, lead);
    if (result === 'sent') sent++;
    else if (result !== 'opted_out') failed++;
  }
  return { sent, failed };
}

/**
 * A `sending` row whose execution died before recording Twilio's answer: asks Twilio whether a
 * message went to that number since; if so it is recorded as sent (never a second SMS), else the
 * row becomes `failed` and is retried. If Twilio cannot tell, it is left for the next run.
 */
function resolveSending(ctx: Ctx, message: Message): void {
  if (settleWithTwilio(ctx, message) !== 'not_sent') return;
  ctx.table(MESSAGES).update(message._row, { status: 'failed', error: FR.sms.notSent, next_attempt_at: ctx.now() });
}

/**
 * Asks Twilio's message list whether an SMS went to the row's number since its last try: if so the
 * row and the lead are marked sent (never a second SMS); 'unknown' when Twilio cannot tell now.
 */
function settleWithTwilio(ctx: Ctx, message: Message): 'sent' | 'not_sent' | 'unknown' {
  const since = message.sent_at ?? ctx.now();
  const listed = ctx.twilio().sentTo(message.to, since);
  if (!listed.ok) return 'unknown';
  const match = listed.value.find((m) => Date.parse(m.date_created) >= since.getTime() - 60000);
  if (!match) return 'not_sent';
  ctx.table(MESSAGES).update(message._row, { status: 'sent', provider_id: match.sid, error: '', next_attempt_at: null });
  trackDelivery(ctx, match.sid, since);
  const lead = findLead(ctx, message.lead_id);
  if (lead && !lead.sms_sent) ctx.table(LEADS).update(lead._row, { sms_sent: true, sms_sent_at: message.sent_at });
  return 'sent';
}

function emptyMessage(): RowOf<typeof MESSAGES> {
  return { sent_at: null, channel: '', to: '', lead_id: '', template: '', status: '', provider_id: '', error: '', attempts: 0, next_attempt_at: null, price: null, price_unit: '', queued_at: null };
}
