/**
 * What became of each SMS to a lead (issue 22). Every SMS asks Twilio for status callbacks
 * (`StatusCallback`: the web app, `source=sms&kind=status` with the token); a callback is only a
 * hint: the message is fetched from Twilio's API and that is what is recorded. Callbacks get lost
 * and come out of order, so reconcile also polls Twilio for the SMS of the last 48 h that are not
 * final, and a status never goes back (a late `sent` does not overwrite `delivered`).
 *
 * Messages.status and Leads.sms_status follow Twilio: sent, delivered, undelivered, failed. An
 * undelivered SMS is not resent blindly: its error code decides (30003 unreachable: retried later,
 * a bounded number of times; 30005/30006 unknown number or landline: a note asks the operator to
 * call, nothing resent; 21610 unsubscribed at Twilio: the number is opted out). The price Twilio
 * charged is kept on the Messages row once final. The caller holds the script lock.
 */
import { LEADS, MESSAGES } from '../domain/schema';
import { deliveryDecision, isFinalSmsStatus, smsStatusRank, twilioPrice } from '../domain/twilio';
import type { TwilioMessage } from '../domain/twilio';
import { parseJson } from '../domain/result';
import type { Stored } from '../adapters/sheets';
import { formatParis } from '../adapters/gas-services';
import type { Ctx } from './context';
import type { Outcome } from './journal';
import { addNote, findLead } from './leads';
import { optOutNumber } from './optout';
import { FR } from '../ui/strings.fr';

type Message = Stored<typeof MESSAGES>;

/** Messages.template of the first SMS to a lead (app/sms.ts LEAD_SMS; repeated to avoid a cycle). */
const LEAD_SMS = 'sms_nouveau_lead';

/** The SMS followed by reconcile until final, in Script Properties: `sid@sent_s@next_poll_s`, comma-separated. */
const AWAITING_KEY = 'SMS_AWAITING';
/** Twilio keeps a message's status for this long in our polling (SPEC: the last 48 h). */
const AWAIT_MS = 48 * 3600000;
/** The first poll waits this long after the send: the callback usually settles it first. */
const FIRST_POLL_MS = 15 * 60000;
/** Twilio fetches per reconcile run at most. */
const POLLS_PER_RUN = 10;
/** At most so many SMS followed (a Script Property holds 9 kB). */
const AWAITING_MAX = 150;
/** 30003 (unreachable handset): the SMS is retried this many times in all, an hour apart, then the operator calls. */
export const UNREACHABLE_MAX_SENDS = 3;
const UNREACHABLE_RETRY_MS = 3600000;

/** RELAY_URL as the callback base (`https://host[/path]`, no trailing slash), or '' when unset or not such an address. */
export function relayBase(value: string): string {
  const base = value.trim().replace(/\/+$/, '');
  return /^https:\/\/[^\s?#]+$/.test(base) ? base : '';
}

/** The URL Twilio posts status callbacks to, or '' when the web app or the token is missing. */
export function statusCallbackUrl(ctx: Ctx): string {
  // Through the relay when there is one (RELAY_URL): Twilio's signature is checked there, and in
  // relay-only mode the web app refuses anything that did not come through it.
  const relay = relayBase(ctx.settings.get('RELAY_URL'));
  if (relay) return `${relay}/sms?kind=status`;
  const url = ctx.webAppUrl();
  const token = ctx.settings.get('WEBHOOK_TOKEN');
  return url && token ? `${url}?source=sms&kind=status&token=${encodeURIComponent(token)}` : '';
}

interface Awaiting {
  sid: string;
  sentS: number;
  nextS: number;
}

function readAwaiting(ctx: Ctx): Awaiting[] {
  return ctx.settings
    .state(AWAITING_KEY)
    .split(',')
    .map((e) => e.split('@'))
    .filter((p) => p.length === 3 && /^SM[0-9a-f]{32}$/.test(p[0]))
    .map(([sid, sent, next]) => ({ sid, sentS: Number(sent) || 0, nextS: Number(next) || 0 }));
}

function writeAwaiting(ctx: Ctx, list: Awaiting[]): void {
  const text = list.slice(-AWAITING_MAX).map((a) => `${a.sid}@${a.sentS}@${a.nextS}`).join(',');
  if (text !== ctx.settings.state(AWAITING_KEY)) ctx.settings.setState(AWAITING_KEY, text);
}

/** Follows an SMS Twilio accepted until its status is final (no Sheets call: a Script Property). */
export function trackDelivery(ctx: Ctx, sid: string, sentAt: Date = ctx.now()): void {
  try {
    const list = readAwaiting(ctx).filter((a) => a.sid !== sid);
    const sentS = Math.floor(sentAt.getTime() / 1000);
    list.push({ sid, sentS, nextS: sentS + FIRST_POLL_MS / 1000 });
    writeAwaiting(ctx, list);
  } catch (e) {
    // Only the polling's list: the callback still comes, and a lost one leaves the SMS `sent`.
    console.warn(`SMS_AWAITING: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A status callback: the message as Twilio's API has it, then recorded. */
export function processStatusCallback(ctx: Ctx, sid: string): Outcome {
  const fetched = ctx.twilio().message(sid);
  if (!fetched.ok) return /^twilio (404|20404)/.test(fetched.error) ? { status: 'ignored', reason: fetched.error } : { status: 'failed', reason: fetched.error };
  if (fetched.value.sid !== sid || !fetched.value.direction.startsWith('outbound')) return { status: 'ignored', reason: 'not_outbound' };
  const applied = applyMessageStatus(ctx, fetched.value);
  if (isFinalSmsStatus(fetched.value.status)) writeAwaiting(ctx, readAwaiting(ctx).filter((a) => a.sid !== sid));
  return applied ? { status: 'processed', type: 'sms_status' } : { status: 'ignored', reason: 'unknown_message', type: 'sms_status' };
}

/**
 * reconcile: asks Twilio about the followed SMS whose poll is due (the last 48 h, not final),
 * records what it says, and forgets those that became final or too old. Idle: no call at all.
 */
export function pollDeliveries(ctx: Ctx): { polled: number; settled: number } {
  const list = readAwaiting(ctx);
  if (list.length === 0) return { polled: 0, settled: 0 };
  const nowS = Math.floor(ctx.now().getTime() / 1000);
  let polled = 0;
  let settled = 0;
  const keep: Awaiting[] = [];
  for (const a of list) {
    if (nowS - a.sentS > AWAIT_MS / 1000) continue; // 48 h: its last known status stays
    if (a.nextS > nowS || polled >= POLLS_PER_RUN) {
      keep.push(a);
      continue;
    }
    polled++;
    const fetched = ctx.twilio().message(a.sid);
    // No Messages row with this sid yet (the execution that sent it died before writing it, and
    // reconcile settles that `sending` row): asked again later.
    const recorded = fetched.ok && applyMessageStatus(ctx, fetched.value);
    if (recorded && isFinalSmsStatus(fetched.value.status)) {
      settled++;
      continue;
    }
    // Not final yet (or Twilio down): asked again later, less often as the SMS ages.
    keep.push({ ...a, nextS: nowS + Math.max(FIRST_POLL_MS / 1000, Math.floor((nowS - a.sentS) / 4)) });
  }
  writeAwaiting(ctx, keep);
  return { polled, settled };
}

/**
 * Records a message's status as Twilio gives it on its Messages row and on the lead, never going
 * back; takes the step its error code calls for when it turns undelivered or failed. False when no
 * Messages row carries this sid (not one of ours).
 */
export function applyMessageStatus(ctx: Ctx, message: TwilioMessage): boolean {
  const messages = ctx.table(MESSAGES);
  const rowNumber = messages.findRow('provider_id', message.sid);
  if (rowNumber === null) return false;
  const row = messages.readRow(rowNumber);
  const status = message.status === 'sending' || message.status === 'accepted' || message.status === 'scheduled' ? 'sent' : message.status;
  const price = twilioPrice(message);
  const wasFinal = isFinalSmsStatus(row.status) && row.status !== 'failed';
  // Our own `failed` (send refused) ranks below Twilio's statuses: a row with a sid was accepted.
  const forward = smsStatusRank(status) > (row.status === 'failed' ? 1 : smsStatusRank(row.status));
  const priced = price !== null && row.price === null;
  const code = message.error_code ?? null;
  // 21610 (unsubscribed at Twilio) is an opt-out, recorded as the send path records it: the
  // Messages row and the lead say `blocked` (app/sms.ts does the same when Twilio refuses the send).
  const unsubscribed = (status === 'undelivered' || status === 'failed') && deliveryDecision(code) === 'opt_out';
  const shown = unsubscribed ? 'blocked' : status;
  const lead = row.template === LEAD_SMS && row.lead_id ? findLead(ctx, row.lead_id) : null;
  // The lead shows its SMS's status from Twilio's first answer on (`sent`), never going back.
  const leadForward = lead !== null && lead.sms_status !== shown && smsStatusRank(shown) > (/^(sent|delivered|undelivered|failed|blocked)$/.test(lead.sms_status) ? smsStatusRank(lead.sms_status) : 0);
  if (!forward && !priced && !leadForward) return true;
  // The step first, the status last: an execution that dies in between is retried and takes it then.
  if (forward && !wasFinal && (status === 'undelivered' || status === 'failed') && lead) undeliveredStep(ctx, row, lead, code);
  const changes: Partial<Message> = {};
  if (forward) {
    // Messages keeps Twilio's `failed` as `undelivered` (with the code): there `failed` means "our
    // send was refused, reconcile retries it", and an SMS Twilio failed must never be resent blindly.
    changes.status = unsubscribed ? 'blocked' : status === 'failed' ? 'undelivered' : status;
    if (code !== null) changes.error = `twilio ${code}`;
  }
  if (priced) Object.assign(changes, price);
  if (forward || priced) messages.update(row._row, changes);
  if (priced && price) addSmsCost(ctx, row.sent_at ?? ctx.now(), price);
  if (leadForward && lead) ctx.table(LEADS).update(lead._row, { sms_status: shown });
  return true;
}

/** What an undelivered or failed SMS to a lead calls for, by Twilio's error code. */
function undeliveredStep(ctx: Ctx, row: Message, lead: NonNullable<ReturnType<typeof findLead>>, code: number | null): void {
  const decision = deliveryDecision(code);
  if (decision === 'opt_out') {
    optOutNumber(ctx, row.to, FR.reasons.providerRefused, 'twilio');
    return;
  }
  if (decision === 'retry') {
    const messages = ctx.table(MESSAGES);
    const sends = messages.findRows('lead_id', lead.id).map((r) => messages.readRow(r)).filter((m) => m.template === LEAD_SMS && m.channel === 'sms');
    if (sends.some((m) => m.status === 'failed' || m.status === 'queued' || m.status === 'sending')) return; // a retry is already planned
    if (sends.length < UNREACHABLE_MAX_SENDS && lead.status === 'new') {
      const at = new Date(ctx.now().getTime() + UNREACHABLE_RETRY_MS);
      // A new row for the next attempt (this one keeps what Twilio said), not sent yet (no sent_at);
      // reconcile sends it after `next_attempt_at`, through the usual once-only path, to a lead
      // still `new` and not opted out.
      messages.append([{ queued_at: ctx.now(), channel: 'sms', to: row.to, lead_id: lead.id, template: LEAD_SMS, status: 'failed', error: `twilio ${code}`, attempts: row.attempts, next_attempt_at: at }]);
      ctx.table(LEADS).update(lead._row, { sms_sent: false });
      addOnce(ctx, lead, FR.delivery.unreachableRetry(code ?? 0));
      return;
    }
    addOnce(ctx, lead, FR.delivery.unreachableGaveUp(code ?? 0));
    return;
  }
  addOnce(ctx, lead, FR.delivery.callInstead(code ?? 0));
}

function addOnce(ctx: Ctx, lead: NonNullable<ReturnType<typeof findLead>>, line: string): void {
  const dated = `${formatParis(ctx.now(), 'dd/MM/yyyy HH:mm')} ${line}`;
  if (!lead.notes.includes(line)) addNote(ctx, lead, dated);
}

/** The month's SMS cost, kept as prices are recorded (Script Property `SMS_COST_<yyyy-MM>`): the evening reads it with no Sheets call. */
const COST_KEY = (month: string) => `SMS_COST_${month}`;

/** Adds a final SMS's price to its month (Paris) total. */
function addSmsCost(ctx: Ctx, at: Date, price: { price: number; price_unit: string }): void {
  try {
    const key = COST_KEY(formatParis(at, 'yyyy-MM'));
    const totals = parseCost(ctx.settings.state(key));
    const unit = price.price_unit || 'USD';
    const t = totals[unit] ?? { amount: 0, count: 0 };
    totals[unit] = { amount: Math.round((t.amount + price.price) * 100000) / 100000, count: t.count + 1 };
    ctx.settings.setState(key, JSON.stringify(totals));
  } catch (e) {
    console.warn(`SMS cost: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function parseCost(raw: string): Record<string, { amount: number; count: number }> {
  const parsed = parseJson(raw);
  const v = parsed.ok ? parsed.value : null;
  return v && typeof v === 'object' ? (v as Record<string, { amount: number; count: number }>) : {};
}

/** The month's SMS cost so far (Twilio's prices of the SMS that became final, by currency), for the evening report. */
export function monthSmsCost(ctx: Ctx, now: Date): { month: string; amounts: Array<{ unit: string; amount: number }>; count: number } {
  const totals = parseCost(ctx.settings.state(COST_KEY(formatParis(now, 'yyyy-MM'))));
  const amounts = Object.entries(totals).map(([unit, t]) => ({ unit, amount: Math.round(t.amount * 10000) / 10000 }));
  return { month: formatParis(now, 'MM/yyyy'), amounts, count: Object.values(totals).reduce((n, t) => n + t.count, 0) };
}
