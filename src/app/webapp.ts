/**
 * The web app (SPEC §3): doGet/doPost route on `source`. Every path ends in an answer, never an
 * exception. A wrong or missing token writes nothing and calls nothing; a body is only a hint,
 * journalled, then checked against the provider's API.
 */
import { leadgenRefs } from '../domain/meta';
import { parseJson } from '../domain/result';
import { stripeEventId } from '../domain/stripe';
import { inboundSid } from '../domain/twilio';
import { verifyOptOut } from '../domain/optout';
import { LockBusy, withScriptLock } from '../adapters/lock';
import { Ctx } from './context';
import { applyOnce, journalRejected, type EventSource, type Via } from './journal';
import { processInbound, processLeadgen, processStripeEventId } from './intake';
import { processStatusCallback } from './delivery';
import { CAPACITY, EVENTS, LEADS, MESSAGES, OPT_OUTS } from '../domain/schema';
import { isOptedOut, optOutNumber, phoneOfLeadId } from './optout';
import { optOutPage } from '../ui/pages';
import { FR } from '../ui/strings.fr';
import { MIN_WEBHOOK_TOKEN_LENGTH } from '../domain/triggers';

/** What the web app answers; src/entry.ts turns it into a ContentService or HtmlService output. */
export type WebAnswer =
  | { kind: 'json'; body: { ok: boolean } & Record<string, unknown> }
  | { kind: 'text'; text: string }
  | { kind: 'twiml' }
  | { kind: 'html'; title: string; html: string };

type WebEvent = { parameter?: Record<string, string>; queryString?: string; postData?: { contents?: string; type?: string } };

/** How long a webhook waits for the script lock before answering "busy" (the provider or reconcile brings it back). */
const LOCK_WAIT_MS = 8000;

const json = (ok: boolean, extra: Record<string, unknown> = {}): WebAnswer => ({ kind: 'json', body: { ok, ...extra } });

/**
 * Whether the request's URL carries the webhook token (compared whole: case-sensitive, not
 * trimmed), and in relay-only mode (Script Property RELAY_TOKEN set) the relay's own token too.
 * Only the query string counts: `e.parameter` also holds the fields of a form body, where anyone
 * who learnt the token could put it. A token shorter than MIN_WEBHOOK_TOKEN_LENGTH is refused.
 */
function authorized(ctx: Ctx, query: Record<string, string>): boolean {
  const expected = ctx.settings.get('WEBHOOK_TOKEN');
  if (expected.length < MIN_WEBHOOK_TOKEN_LENGTH || !own(query, 'token') || query.token !== expected) return false;
  const relay = ctx.settings.get('RELAY_TOKEN');
  return relay === '' || (own(query, 'relay_token') && query.relay_token === relay);
}

const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** The parameters of the URL's query string alone (the first of a repeated name), decoded as Apps Script does. */
export function queryParams(queryString: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof queryString !== 'string') return out;
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  for (const pair of queryString.split('&')) {
    if (!pair) continue;
    const i = pair.indexOf('=');
    const key = decode(i < 0 ? pair : pair.slice(0, i));
    if (!own(out, key)) Object.defineProperty(out, key, { value: decode(i < 0 ? '' : pair.slice(i + 1)), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** doGet: the Meta verification handshake, the opt-out page, and a health answer. */
export function handleGet(e: WebEvent | undefined, ctx: Ctx = Ctx.gas()): WebAnswer {
  try {
    const params = e?.parameter ?? {};
    if (params.source === 'optout') return optOut(ctx, params);
    if (!authorized(ctx, queryParams(e?.queryString))) return json(false, { error: 'unauthorized' });
    if (params.source === 'facebook') {
      const verify = ctx.settings.get('FB_VERIFY_TOKEN');
      const ok = params['hub.mode'] === 'subscribe' && verify !== '' && params['hub.verify_token'] === verify && typeof params['hub.challenge'] === 'string';
      return ok ? { kind: 'text', text: params['hub.challenge'] } : json(false, { error: 'verification_refused' });
    }
    return json(true, { service: 'sirrius' });
  } catch (err) {
    return json(false, { error: 'internal_error' });
  }
}

/** doPost: Stripe, Meta and Twilio webhooks. */
export function handlePost(e: WebEvent | undefined, ctx: Ctx = Ctx.gas()): WebAnswer {
  const params = e?.parameter ?? {};
  const query = queryParams(e?.queryString);
  const source = query.source;
  const failAnswer = (error: string): WebAnswer => (source === 'sms' ? { kind: 'twiml' } : json(false, { error }));
  try {
    if (!authorized(ctx, query)) return failAnswer('unauthorized');
    const body = e?.postData?.contents ?? '';
    // relay=1: the edge relay (relay/) checked the provider's signature and forwarded the body. Only a
    // hint for the operator (the journal tags the payload), never a reason to trust the body more.
    const via: Via = query.relay === '1' ? 'relay' : 'webhook';
    if (source === 'stripe') return withLock(ctx, () => stripe(ctx, body, via), failAnswer);
    if (source === 'facebook') return withLock(ctx, () => facebook(ctx, body, via), failAnswer);
    if (source === 'sms') return withLock(ctx, () => sms(ctx, params, body, via), failAnswer);
    return json(false, { error: 'unknown_source' });
  } catch (err) {
    return failAnswer('internal_error');
  }
}

/**
 * Runs a webhook under the script lock, with Script Properties read again once the lock is had:
 * the token was checked before (a refused request must not wait for the lock), and another
 * execution may have changed the shared state (lead id counter, capacity list, paid-first list)
 * while this one waited.
 */
function withLock(ctx: Ctx, fn: () => WebAnswer, failAnswer: (error: string) => WebAnswer): WebAnswer {
  try {
    return withScriptLock(() => {
      ctx.settings.reload();
      return ctx.withTailsSavedOnce(fn);
    }, LOCK_WAIT_MS);
  } catch (err) {
    return failAnswer(err instanceof LockBusy ? 'busy' : 'internal_error');
  }
}

function rejected(ctx: Ctx, source: EventSource, reason: string, payload: string, via: Via): WebAnswer {
  journalRejected(ctx, source, reason, payload, via);
  return source === 'sms' ? { kind: 'twiml' } : json(false, { error: reason });
}

function stripe(ctx: Ctx, body: string, via: Via): WebAnswer {
  const parsed = parseJson(body);
  if (!parsed.ok) return rejected(ctx, 'stripe', parsed.error, body, via);
  const id = stripeEventId(parsed.value);
  if (!id.ok) return rejected(ctx, 'stripe', id.error, body, via);
  const hint = (parsed.value as { type?: unknown }).type;
  const type = typeof hint === 'string' ? hint.slice(0, 100) : 'unknown';
  ctx.prime([EVENTS, LEADS, MESSAGES]);
  const result = applyOnce(ctx, { source: 'stripe', eventId: id.value, type, payload: body }, via, () => processStripeEventId(ctx, id.value));
  return json(result.status !== 'failed', { status: result.status });
}

function facebook(ctx: Ctx, body: string, via: Via): WebAnswer {
  const parsed = parseJson(body);
  if (!parsed.ok) return rejected(ctx, 'facebook', parsed.error, body, via);
  const refs = leadgenRefs(parsed.value);
  if (!refs.ok) return rejected(ctx, 'facebook', refs.error, body, via);
  ctx.prime([EVENTS, LEADS, CAPACITY, OPT_OUTS, MESSAGES]);
  const statuses = refs.value.map(
    (ref) => applyOnce(ctx, { source: 'facebook', eventId: ref.leadgenId, type: 'leadgen', payload: body }, via, () => processLeadgen(ctx, ref.leadgenId)).status,
  );
  return json(!statuses.includes('failed'), { statuses });
}

function sms(ctx: Ctx, params: Record<string, string>, body: string, via: Via): WebAnswer {
  const { token: _token, relay_token: _relayToken, ...fields } = params;
  const payload = body || JSON.stringify(fields);
  const sid = inboundSid(fields);
  if (!sid.ok) return rejected(ctx, 'sms', sid.error, payload, via);
  if (sid.value.accountSid !== ctx.settings.get('TWILIO_ACCOUNT_SID')) return rejected(ctx, 'sms', 'other_twilio_account', payload, via);
  if (params.kind === 'status' || typeof fields.MessageStatus === 'string') {
    // A delivery status of one of our SMS (StatusCallback): one journal row per sid and announced
    // status (a message has several), and the status itself fetched from Twilio's API.
    const hint = String(fields.MessageStatus ?? '').replace(/[^a-z_]/g, '').slice(0, 20) || 'unknown';
    ctx.prime([EVENTS, MESSAGES, LEADS]);
    applyOnce(ctx, { source: 'sms', eventId: `${sid.value.sid}:${hint}`, type: 'sms_status', payload }, via, () => processStatusCallback(ctx, sid.value.sid));
    return { kind: 'twiml' };
  }
  ctx.prime([EVENTS, OPT_OUTS, LEADS]);
  applyOnce(ctx, { source: 'sms', eventId: sid.value.sid, type: 'inbound_sms', payload }, via, () => processInbound(ctx, sid.value.sid));
  return { kind: 'twiml' };
}

/**
 * The opt-out link: a confirmation page, then the opt-out. A tampered link is refused with the
 * operator's contact; a number already opted out is said so; a lead whose number cannot be found
 * anywhere (see phoneOfLeadId) gets no claim of success.
 */
function optOut(ctx: Ctx, params: Record<string, string>): WebAnswer {
  const secret = ctx.settings.get('OPTOUT_SECRET');
  const leadId = secret ? verifyOptOut(params.l, params.s, secret, (m, k) => ctx.hmac(m, k)) : null;
  const contact = publicContact(ctx);
  if (!leadId) return optOutPage('invalid', '', contact);
  try {
    return withScriptLock(() => {
      ctx.settings.reload();
      const phone = phoneOfLeadId(ctx, leadId);
      if (!phone) return optOutPage('unknown', '', contact);
      if (params.confirm !== '1') {
        if (isOptedOut(ctx, phone)) return optOutPage('already');
        const confirm = `${ctx.webAppUrl()}?source=optout&l=${encodeURIComponent(params.l)}&s=${encodeURIComponent(params.s)}&confirm=1`;
        return optOutPage('confirm', confirm);
      }
      return optOutPage(optOutNumber(ctx, phone, FR.reasons.optOutLink, 'lien').added ? 'done' : 'already');
    }, LOCK_WAIT_MS);
  } catch {
    return optOutPage('busy');
  }
}

/** The address public pages give: Config contact_email, else the operator's ALERT_EMAIL. */
function publicContact(ctx: Ctx): string {
  try {
    return ctx.config().contact_email.trim() || ctx.settings.get('ALERT_EMAIL');
  } catch {
    return ctx.settings.get('ALERT_EMAIL');
  }
}
