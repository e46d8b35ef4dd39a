/**
 * Stripe events. A webhook body is only a hint: we take its event id and act on the event the
 * API returns (`GET /v1/events/{id}`), so a forged body changes nothing. Types come from the
 * official `stripe` package (types only: its SDK does not run in Apps Script).
 */
import type Stripe from 'stripe';
import * as v from 'valibot';
import { fail, ok, type Result } from './result';

/** A Stripe event id (`evt_…`). */
export const EVENT_ID = /^evt_[A-Za-z0-9]{8,100}$/;

/** The event id of a webhook body, nothing else. */
export function stripeEventId(body: unknown): Result<string> {
  const parsed = v.safeParse(v.looseObject({ id: v.pipe(v.string(), v.regex(EVENT_ID)), object: v.literal('event') }), body);
  return parsed.success ? ok(parsed.output.id) : fail('invalid_stripe_event');
}

/** The part of an event we read. */
const EventSchema = v.looseObject({
  id: v.pipe(v.string(), v.regex(EVENT_ID)),
  object: v.literal('event'),
  type: v.pipe(v.string(), v.maxLength(200)),
  created: v.pipe(v.number(), v.integer()),
  livemode: v.boolean(),
  api_version: v.nullish(v.string()),
  data: v.looseObject({ object: v.looseObject({ id: v.optional(v.string()), object: v.string() }) }),
});

/** An event as fetched from the API, checked. */
export type StripeEvent = Pick<Stripe.Event, 'id' | 'type' | 'created' | 'livemode'> & {
  data: { object: { id?: string; object: string } & Record<string, unknown> };
};

/** Checks an API answer for `GET /v1/events/{id}`. */
export function parseStripeEvent(json: unknown): Result<StripeEvent> {
  const parsed = v.safeParse(EventSchema, json);
  return parsed.success ? ok(parsed.output as unknown as StripeEvent) : fail('invalid_stripe_event');
}

/** A page of `GET /v1/events`. */
export function parseEventList(json: unknown): Result<{ events: StripeEvent[]; hasMore: boolean }> {
  const parsed = v.safeParse(v.object({ object: v.literal('list'), data: v.array(v.unknown()), has_more: v.boolean() }), json);
  if (!parsed.success) return fail('invalid_event_list');
  const events: StripeEvent[] = [];
  for (const item of parsed.output.data) {
    const e = parseStripeEvent(item);
    if (!e.ok) return fail('invalid_event_in_list');
    events.push(e.value);
  }
  return ok({ events, hasMore: parsed.output.has_more });
}

/**
 * The event types Sirrius acts on (the runbooks). Any other type is journalled as `ignored`.
 * The handlers themselves are in app/stripe-handlers.ts.
 */
export const RELEVANT_STRIPE_TYPES: ReadonlyArray<Stripe.Event['type']> = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'invoice.payment_failed',
  'invoice.paid',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'customer.source.expiring',
  'charge.refunded',
  'charge.dispute.created',
];

/** An invoice's subscription id: `parent.subscription_details.subscription` since API 2025-03-31, `subscription` before. */
export function invoiceSubscriptionId(invoice: Record<string, unknown>): string | null {
  const parent = invoice.parent as { subscription_details?: { subscription?: unknown } } | null | undefined;
  const fromParent = parent?.subscription_details?.subscription;
  const legacy = invoice.subscription;
  const id = typeof fromParent === 'string' ? fromParent : typeof legacy === 'string' ? legacy : (legacy as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.startsWith('sub_') ? id : null;
}

const Price = v.looseObject({
  unit_amount: v.nullable(v.number()),
  currency: v.string(),
  recurring: v.nullable(v.looseObject({ interval: v.picklist(['day', 'week', 'month', 'year']), interval_count: v.number() })),
});

const SubscriptionSchema = v.looseObject({
  id: v.pipe(v.string(), v.regex(/^sub_\w+$/)),
  object: v.literal('subscription'),
  customer: v.union([v.string(), v.looseObject({ id: v.string() })]),
  status: v.string(),
  items: v.looseObject({ data: v.array(v.looseObject({ quantity: v.optional(v.number()), price: Price })) }),
});

/** The part of a subscription we read. */
export type StripeSubscription = Pick<Stripe.Subscription, 'id' | 'status'> & {
  customer: string;
  items: Array<{ quantity: number; unitAmount: number; currency: string; interval: 'day' | 'week' | 'month' | 'year' | null; intervalCount: number }>;
};

/** Checks a subscription. */
export function parseSubscription(json: unknown): Result<StripeSubscription> {
  const parsed = v.safeParse(SubscriptionSchema, json);
  if (!parsed.success) return fail('invalid_stripe_subscription');
  const s = parsed.output;
  return ok({
    id: s.id,
    status: s.status as Stripe.Subscription.Status,
    customer: typeof s.customer === 'string' ? s.customer : s.customer.id,
    items: s.items.data.map((i) => ({
      quantity: i.quantity ?? 1,
      unitAmount: i.price.unit_amount ?? 0,
      currency: i.price.currency,
      interval: i.price.recurring?.interval ?? null,
      intervalCount: i.price.recurring?.interval_count ?? 1,
    })),
  });
}

/** Checks a list of subscriptions. */
export function parseSubscriptionList(json: unknown): Result<StripeSubscription[]> {
  const parsed = v.safeParse(v.object({ object: v.literal('list'), data: v.array(v.unknown()) }), json);
  if (!parsed.success) return fail('invalid_subscription_list');
  const out: StripeSubscription[] = [];
  for (const item of parsed.output.data) {
    const s = parseSubscription(item);
    if (!s.ok) return s;
    out.push(s.value);
  }
  return ok(out);
}

/** Months in one billing period of each interval. */
const MONTHS_PER: Record<'day' | 'week' | 'month' | 'year', number> = { day: 12 / 365, week: 12 / 52, month: 1, year: 12 };

/**
 * The monthly recurring revenue of a subscription in euros: the sum of its items (price ×
 * quantity), yearly, weekly and daily prices brought to a month, rounded to the cent.
 */
export function monthlyAmount(sub: StripeSubscription): number {
  const cents = sub.items.reduce((sum, item) => {
    if (!item.interval) return sum; // a one-off price is not recurring revenue
    return sum + (item.unitAmount * item.quantity) / (MONTHS_PER[item.interval] * item.intervalCount);
  }, 0);
  return Math.round(cents) / 100;
}

/** Whether a subscription still bills (the ones a client pays or is about to). */
export function isLiveSubscription(status: string): boolean {
  return ['active', 'trialing', 'past_due'].includes(status);
}

const InvoiceSchema = v.looseObject({
  id: v.pipe(v.string(), v.regex(/^in_\w+$/)),
  object: v.literal('invoice'),
  status: v.nullish(v.string()),
  attempt_count: v.nullish(v.number()),
  customer: v.nullish(v.union([v.string(), v.looseObject({ id: v.string() })])),
  customer_email: v.nullish(v.string()),
});

/** The part of an invoice we read: its state at Stripe now. */
export interface StripeInvoice {
  id: string;
  /** draft, open, paid, uncollectible, void. */
  status: string;
  attemptCount: number;
  customer: string;
  customerEmail: string;
}

/** Checks an invoice. */
export function parseInvoice(json: unknown): Result<StripeInvoice> {
  const parsed = v.safeParse(InvoiceSchema, json);
  if (!parsed.success) return fail('invalid_stripe_invoice');
  const i = parsed.output;
  return ok({ id: i.id, status: i.status ?? '', attemptCount: i.attempt_count ?? 0, customer: idOf(i.customer), customerEmail: (i.customer_email ?? '').trim().toLowerCase() });
}

/** An invoice that needs no more payment: a failure reported for it is history. */
export function isSettledInvoice(status: string): boolean {
  return status === 'paid' || status === 'void';
}

const CustomerSchema = v.looseObject({
  id: v.pipe(v.string(), v.regex(/^cus_\w+$/)),
  object: v.literal('customer'),
  email: v.nullish(v.string()),
  name: v.nullish(v.string()),
  deleted: v.optional(v.boolean()),
});

/** The part of a customer we read. */
export interface StripeCustomer {
  id: string;
  /** Lower case; '' when Stripe holds none (or the customer was deleted). */
  email: string;
  name: string;
}

/** Checks a customer (a deleted customer has no email). */
export function parseCustomer(json: unknown): Result<StripeCustomer> {
  const parsed = v.safeParse(v.union([CustomerSchema, v.looseObject({ id: v.string(), object: v.literal('customer'), deleted: v.literal(true) })]), json);
  if (!parsed.success) return fail('invalid_stripe_customer');
  const c = parsed.output as { id: string; email?: string | null; name?: string | null; deleted?: boolean };
  return ok({ id: c.id, email: c.deleted ? '' : (c.email ?? '').trim().toLowerCase(), name: c.deleted ? '' : (c.name ?? '') });
}

const ChargeSchema = v.looseObject({
  id: v.pipe(v.string(), v.regex(/^(ch|py)_\w+$/)),
  object: v.literal('charge'),
  amount: v.number(),
  amount_refunded: v.optional(v.number()),
  currency: v.string(),
  customer: v.nullish(v.union([v.string(), v.looseObject({ id: v.string() })])),
});

/** The part of a charge we read. */
export interface StripeCharge {
  id: string;
  customer: string;
  /** Cents. */
  amount: number;
  amountRefunded: number;
  currency: string;
}

/** Checks a charge. */
export function parseCharge(json: unknown): Result<StripeCharge> {
  const parsed = v.safeParse(ChargeSchema, json);
  if (!parsed.success) return fail('invalid_stripe_charge');
  const c = parsed.output;
  return ok({ id: c.id, customer: idOf(c.customer), amount: c.amount, amountRefunded: c.amount_refunded ?? 0, currency: c.currency });
}

/** A string id of a field that Stripe gives as an id or an expanded object. */
export function idOf(value: unknown): string {
  if (typeof value === 'string') return value;
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : '';
}
