/**
 * Twilio: the inbound message a webhook announces (form fields, only a hint: we fetch the message
 * from the API before acting), and the answers of `Messages.json`.
 */
import * as v from 'valibot';
import { fail, ok, type Result } from './result';

/** A Twilio message sid (SM… for SMS, MM… for MMS). */
export const MESSAGE_SID = /^(SM|MM)[0-9a-f]{32}$/;

/** The inbound webhook's fields we read (`e.parameter`: every value a string). */
export function inboundSid(params: Record<string, unknown>): Result<{ sid: string; accountSid: string }> {
  const parsed = v.safeParse(
    v.looseObject({ MessageSid: v.pipe(v.string(), v.regex(MESSAGE_SID)), AccountSid: v.pipe(v.string(), v.regex(/^AC[0-9a-zA-Z]{32}$/)) }),
    params,
  );
  return parsed.success ? ok({ sid: parsed.output.MessageSid, accountSid: parsed.output.AccountSid }) : fail('invalid_twilio_message');
}

const MessageResource = v.looseObject({
  sid: v.pipe(v.string(), v.regex(MESSAGE_SID)),
  from: v.nullable(v.string()),
  to: v.nullable(v.string()),
  body: v.nullable(v.pipe(v.string(), v.maxLength(20000))),
  direction: v.string(),
  status: v.string(),
  date_created: v.optional(v.nullable(v.string())),
  /** An integer in the REST resource (a string in callbacks, which we never trust). */
  error_code: v.optional(v.nullable(v.union([v.number(), v.pipe(v.string(), v.regex(/^\d{1,6}$/), v.transform(Number))]))),
  /** A negative decimal string (`"-0.07900"`), null until Twilio priced the message. */
  price: v.optional(v.nullable(v.string())),
  price_unit: v.optional(v.nullable(v.string())),
});

/** A message resource (`GET …/Messages/{sid}.json` or the answer to a create). */
export type TwilioMessage = v.InferOutput<typeof MessageResource>;

/** Checks a message resource. */
export function parseTwilioMessage(json: unknown): Result<TwilioMessage> {
  const parsed = v.safeParse(MessageResource, json);
  return parsed.success ? ok(parsed.output) : fail('invalid_twilio_answer');
}

/** Twilio's error body (`{ code, message, more_info, status }`) as text, or null if it is not one. */
export function twilioError(json: unknown): string | null {
  const parsed = v.safeParse(v.looseObject({ code: v.number(), message: v.string() }), json);
  return parsed.success ? `twilio ${parsed.output.code}: ${parsed.output.message}` : null;
}

/** A page of `GET Messages.json`: the sid and creation date of each message. */
export function parseMessageList(json: unknown): Result<Array<{ sid: string; date_created: string }>> {
  const parsed = v.safeParse(v.looseObject({ messages: v.array(v.looseObject({ sid: v.pipe(v.string(), v.regex(MESSAGE_SID)), date_created: v.string() })) }), json);
  return parsed.success ? ok(parsed.output.messages.map((m) => ({ sid: m.sid, date_created: m.date_created }))) : fail('invalid_twilio_list');
}

/**
 * The order of an outbound SMS's statuses: a status never goes back (callbacks come out of order).
 * Ours first (queued for the window, sending, failed to send), then Twilio's: sent, then the final ones.
 */
export function smsStatusRank(status: string): number {
  // `blocked` is ours: the number is opted out (Twilio's 21610), nothing more will come.
  if (status === 'delivered' || status === 'undelivered' || status === 'failed' || status === 'read' || status === 'canceled' || status === 'blocked') return 3;
  if (status === 'sent') return 2;
  return 1;
}

/** Whether Twilio will not change this status any more (`sent` may stay last when no receipt comes). */
export function isFinalSmsStatus(status: string): boolean {
  return smsStatusRank(status) === 3;
}

/** The price of a final message as Messages keeps it (positive, with its currency), or null before Twilio priced it. */
export function twilioPrice(message: Pick<TwilioMessage, 'price' | 'price_unit'>): { price: number; price_unit: string } | null {
  const n = Number(message.price ?? '');
  if (message.price === null || message.price === undefined || message.price === '' || !Number.isFinite(n)) return null;
  return { price: Math.round(Math.abs(n) * 100000) / 100000, price_unit: (message.price_unit ?? '').slice(0, 8) };
}

/**
 * What an undelivered or failed SMS calls for, by Twilio's error code: 30003 (unreachable handset)
 * is retried later; 21610 (the number unsubscribed at Twilio) is an opt-out; anything else
 * (30005 unknown number, 30006 landline, carrier blocks…) is not resent: the operator calls.
 */
export function deliveryDecision(code: number | null): 'retry' | 'opt_out' | 'call' {
  if (code === 30003) return 'retry';
  if (code === 21610) return 'opt_out';
  return 'call';
}
