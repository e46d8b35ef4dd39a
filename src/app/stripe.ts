/**
 * The Stripe runbooks: OK #3 (conversion on checkout.session.completed, or by hand with
 * convertLead) and KO #3 (failed payments, recovery, cancellation, expiring cards). Each handler
 * receives an event as the API returned it and is idempotent per effect: a redelivered or
 * replayed event changes nothing the second time. The caller holds the script lock.
 */
import { LEADS, MESSAGES, type RowOf } from '../domain/schema';
import { idOf, invoiceSubscriptionId, isLiveSubscription, monthlyAmount, type StripeEvent, type StripeSubscription } from '../domain/stripe';
import { splitFullName } from '../domain/meta';
import { normalizePhone } from '../domain/phone';
import { formatParis } from '../adapters/gas-services';
import type { Stored } from '../adapters/sheets';
import type { Ctx } from './context';
import type { Outcome } from './journal';
import { addNote, newLead, rememberPaidFirst, type Lead } from './leads';
import { openIncident } from './incidents';
import { FR, euros } from '../ui/strings.fr';
import { leadStageChanged } from './lead-stages';

type Obj = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Messages.template of the client emails. */
export const TEMPLATES = { welcome: 'bienvenue', paymentFailed: 'paiement_echoue', cardExpiring: 'carte_expire' } as const;

/** The handlers, by event type (the dispatch table of app/intake.ts). */
export const STRIPE_HANDLERS: Partial<Record<string, (ctx: Ctx, event: StripeEvent) => Outcome>> = {
  'checkout.session.completed': onCheckoutCompleted,
  'invoice.payment_failed': onPaymentFailed,
  'invoice.paid': onInvoicePaid,
  'customer.subscription.updated': onSubscriptionUpdated,
  'customer.subscription.deleted': onSubscriptionDeleted,
  'customer.source.expiring': onCardExpiring,
};

// ---- OK #3: conversion ------------------------------------------------------------------------

function onCheckoutCompleted(ctx: Ctx, event: StripeEvent): Outcome {
  const session = event.data.object as Obj;
  if (session.mode !== 'subscription') return { status: 'ignored', reason: 'not_a_subscription' };
  if (!['paid', 'no_payment_required'].includes(str(session.payment_status))) return { status: 'ignored', reason: 'not_paid' };
  const customerId = idOf(session.customer);
  const subscriptionId = idOf(session.subscription);
  if (!customerId || !subscriptionId) return { status: 'ignored', reason: 'no_customer_or_subscription' };
  const details = (session.customer_details ?? {}) as Obj;
  const who = {
    email: (str(details.email) || str(session.customer_email)).toLowerCase(),
    name: str(details.name),
    phone: str(details.phone),
  };
  const subscription = ctx.stripe().subscription(subscriptionId);
  if (!subscription.ok) return { status: 'failed', reason: subscription.error };
  const lead = findCheckoutLead(ctx, str(session.client_reference_id), who.email, who.phone);
  const result = convert(ctx, lead, who, customerId, subscription.value, new Date(event.created * 1000));
  // A welcome email that failed fails the event: reconcile retries it, and only the email is left to do.
  if (result.emailError) return { status: 'failed', reason: `email: ${result.emailError}` };
  return result.changed ? { status: 'processed' } : { status: 'duplicate', reason: 'already_converted' };
}

/** SPEC §3: by client_reference_id (our Leads.id), else the email (any case), else the phone. */
function findCheckoutLead(ctx: Ctx, reference: string, email: string, phone: string): Lead | null {
  const leads = ctx.table(LEADS);
  if (/^lead_\d+(-\d+)?$/.test(reference)) {
    const byId = leads.find('id', reference);
    if (byId) return byId;
  }
  if (email) {
    const row = leads.findRows('email', email, false)[0];
    if (row) return leads.readRow(row);
  }
  const p = normalizePhone(phone);
  if (p.ok) {
    const row = leads.findRow('phone', p.e164);
    if (row) return leads.readRow(row);
  }
  return null;
}

/**
 * Marks a lead converted with its subscription and MRR, creating it (source stripe) when no lead
 * matches, and sends the welcome email once. `changed` is false when it was already done.
 */
function convert(
  ctx: Ctx,
  found: Lead | null,
  who: { email: string; name: string; phone: string },
  customerId: string,
  subscription: StripeSubscription,
  at: Date,
): { lead: Lead; changed: boolean; mrr: number; emailError: string | null } {
  const mrr = monthlyAmount(subscription);
  if (found && found.status === 'converted' && found.stripe_subscription_id === subscription.id) {
    // Done before; but an execution that died between two writes may have left the note out.
    const note = FR.stripeNotes.converted(euros(found.mrr));
    if (!found.notes.includes(note)) addNote(ctx, found, note);
    return { lead: found, changed: false, mrr, emailError: ensureWelcome(ctx, found, false) };
  }
  const now = ctx.now();
  const changes = {
    status: 'converted',
    stripe_customer_id: customerId,
    stripe_subscription_id: subscription.id,
    conversion_date: at,
    mrr,
    updated_at: now,
  } satisfies Partial<RowOf<typeof LEADS>>;
  let lead: Lead;
  if (found) {
    const notes = found.notes ? `${found.notes}\n${FR.stripeNotes.converted(euros(mrr))}` : FR.stripeNotes.converted(euros(mrr));
    ctx.table(LEADS).update(found._row, { ...changes, notes });
    lead = { ...found, ...changes, notes };
  } else {
    const [first, last] = splitFullName(who.name);
    const phone = normalizePhone(who.phone);
    const row = newLead(ctx, {
      source: 'stripe',
      first_name: first,
      last_name: last,
      phone: phone.ok ? phone.e164 : phone.raw,
      email: who.email,
      notes: FR.stripeNotes.converted(euros(mrr)),
      ...changes,
    });
    lead = { ...row, _row: ctx.table(LEADS).append([row]) };
    rememberPaidFirst(ctx, lead);
  }
  // The welcome email goes out only after a conversion wrote its date and subscription: a lead
  // without them has none to find (a returning client, or a retry after a crash, has them).
  const neverConverted = !found || (found.conversion_date === null && found.stripe_subscription_id === '');
  const emailError = ensureWelcome(ctx, lead, neverConverted);
  leadStageChanged(ctx, lead);
  return { lead, changed: true, mrr, emailError };
}

/**
 * Sends the welcome email once per lead (a `sent` Messages row records it); the error if it failed.
 * `fresh`: the lead cannot have one yet (saves the Messages lookup).
 */
function ensureWelcome(ctx: Ctx, lead: Lead, fresh: boolean): string | null {
  if (!lead.email) return null;
  const previous = fresh ? null : findEmail(ctx, 'lead_id', lead.id, TEMPLATES.welcome);
  if (previous?.status === 'sent') return null;
  const mail = FR.emails.welcome;
  return sendClientEmail(ctx, lead, TEMPLATES.welcome, mail.subject, mail.body(lead.first_name || lead.last_name || ''), '', previous);
}

/**
 * OK #3 by hand: converts a lead with the customer's live subscription, fetched from Stripe.
 * Returns a French message, or an error for the operator.
 */
export function convertByHand(ctx: Ctx, lead: Lead, customerId: string): { ok: true; message: string } | { ok: false; error: string } {
  const subs = ctx.stripe().subscriptionsOf(customerId);
  if (!subs.ok) return { ok: false, error: FR.stripeActions.stripeError(ctx.redact(subs.error)) };
  const live = subs.value.find((s) => isLiveSubscription(s.status));
  if (!live) return { ok: false, error: FR.stripeActions.noSubscription };
  const name = `${lead.first_name} ${lead.last_name}`.trim() || lead.id;
  const result = convert(ctx, lead, { email: lead.email, name, phone: lead.phone }, customerId, live, ctx.now());
  const message = result.changed ? FR.stripeActions.converted(name, euros(result.mrr)) : FR.stripeActions.alreadyConverted(name);
  return { ok: true, message: result.emailError ? `${message} ${FR.stripeActions.emailFailed(result.emailError)}` : message };
}

// ---- KO #3: failed payments ---------------------------------------------------------------------

function leadOfCustomer(ctx: Ctx, customerId: string): Lead | null {
  return customerId ? ctx.table(LEADS).find('stripe_customer_id', customerId) : null;
}

function onPaymentFailed(ctx: Ctx, event: StripeEvent): Outcome {
  const invoice = event.data.object as Obj;
  const lead = leadOfCustomer(ctx, idOf(invoice.customer));
  if (!lead) return { status: 'ignored', reason: 'no_lead_for_customer' };
  const attempt = typeof invoice.attempt_count === 'number' ? invoice.attempt_count : 1;
  const invoiceId = str(invoice.id);
  // payment_failures follows the invoice's attempt_count (SPEC §3): a redelivery, or the
  // subscription's past_due event, never counts a failure twice.
  const failures = Math.max(lead.payment_failures, attempt);
  const reminderKey = `${invoiceId}#${attempt}`;
  let emailError: string | null = null;
  const previous = findEmail(ctx, 'provider_id', reminderKey, TEMPLATES.paymentFailed);
  if (previous?.status !== 'sent') {
    const mail = FR.emails.paymentFailed;
    const to = lead.email || str(invoice.customer_email).toLowerCase();
    emailError = sendClientEmail(ctx, { ...lead, email: to }, TEMPLATES.paymentFailed, mail.subject, mail.body(lead.first_name, str(invoice.hosted_invoice_url)), reminderKey, previous);
  }
  // Each note is written once, whichever attempt of this event gets there (notes are the guard).
  const notes: string[] = [];
  const reminded = FR.stripeNotes.paymentFailed(attempt, invoiceId);
  if (!emailError && !lead.notes.includes(reminded)) notes.push(reminded);
  const config = ctx.config();
  const changes: Partial<RowOf<typeof LEADS>> = { payment_failures: failures };
  if (failures >= config.payment_max_failures && lead.status !== 'rejected') {
    changes.status = 'rejected';
    const how = config.payment_suspension;
    const subscriptionId = invoiceSubscriptionId(invoice) ?? lead.stripe_subscription_id;
    if ((how === 'cancel_subscription' || how === 'pause_collection') && subscriptionId) {
      const suspended = ctx.stripe().suspend(subscriptionId, how);
      if (!suspended.ok) return { status: 'failed', reason: suspended.error };
    }
    notes.push(FR.stripeNotes.suspended(how));
    const name = `${lead.first_name} ${lead.last_name}`.trim() || lead.id;
    openIncident(ctx, { type: 'payment_failed', severity: 'medium', title: FR.stripeIncidents.paymentFailed(name, lead.stripe_customer_id), ref: lead.stripe_customer_id });
  }
  const emailFailed: Outcome = { status: 'failed', reason: `email: ${emailError}` };
  if (notes.length === 0 && failures === lead.payment_failures && !changes.status) return emailError ? emailFailed : { status: 'duplicate', reason: 'already_counted' };
  if (notes.length > 0) addNote(ctx, lead, notes.join('\n'), changes);
  else ctx.table(LEADS).update(lead._row, { ...changes, updated_at: ctx.now() });
  if (changes.status === 'rejected') leadStageChanged(ctx, { ...lead, ...changes, updated_at: ctx.now() });
  // A reminder that failed is retried with the event (the counter and the suspension are not redone).
  return emailError ? emailFailed : { status: 'processed' };
}

function onInvoicePaid(ctx: Ctx, event: StripeEvent): Outcome {
  const invoice = event.data.object as Obj;
  const lead = leadOfCustomer(ctx, idOf(invoice.customer));
  if (!lead) return { status: 'ignored', reason: 'no_lead_for_customer' };
  if (lead.payment_failures === 0) return { status: 'processed' };
  addNote(ctx, lead, FR.stripeNotes.recovered(str(invoice.id)), { payment_failures: 0 });
  return { status: 'processed' };
}

function onSubscriptionUpdated(ctx: Ctx, event: StripeEvent): Outcome {
  const sub = event.data.object as Obj;
  const previous = ((event.data as unknown as Obj).previous_attributes ?? {}) as Obj;
  if (sub.status !== 'past_due' || previous.status === undefined || previous.status === 'past_due') return { status: 'ignored', reason: 'no_status_change_of_interest' };
  const lead = leadOfCustomer(ctx, idOf(sub.customer));
  if (!lead) return { status: 'ignored', reason: 'no_lead_for_customer' };
  // The failed invoice carries the count and sends the reminder; past_due is noted.
  addNote(ctx, lead, FR.stripeNotes.pastDue);
  return { status: 'processed' };
}

function onSubscriptionDeleted(ctx: Ctx, event: StripeEvent): Outcome {
  const sub = event.data.object as Obj;
  const lead = leadOfCustomer(ctx, idOf(sub.customer));
  if (!lead) return { status: 'ignored', reason: 'no_lead_for_customer' };
  if (lead.stripe_subscription_id && lead.stripe_subscription_id !== str(sub.id)) return { status: 'ignored', reason: 'other_subscription' };
  if (lead.mrr === 0) return { status: 'duplicate', reason: 'already_cancelled' };
  addNote(ctx, lead, FR.stripeNotes.cancelled(formatParis(new Date(event.created * 1000), 'dd/MM/yyyy')), { mrr: 0 });
  return { status: 'processed' };
}

/** The SOP's "notifications proactives avant expiration carte": one friendly email per card and expiry. */
function onCardExpiring(ctx: Ctx, event: StripeEvent): Outcome {
  const card = event.data.object as Obj;
  const lead = leadOfCustomer(ctx, idOf(card.customer));
  if (!lead || !lead.email) return { status: 'ignored', reason: 'no_lead_for_customer' };
  const expiry = `${String(card.exp_month).padStart(2, '0')}/${String(card.exp_year)}`;
  const key = `card:${str(card.id)}:${expiry}`;
  const previous = findEmail(ctx, 'provider_id', key, TEMPLATES.cardExpiring);
  if (previous?.status === 'sent') return { status: 'duplicate', reason: 'already_told' };
  const portal = ctx.stripe().portalUrl(lead.stripe_customer_id);
  if (!portal.ok) return { status: 'failed', reason: portal.error };
  const mail = FR.emails.cardExpiring;
  const error = sendClientEmail(ctx, lead, TEMPLATES.cardExpiring, mail.subject, mail.body(lead.first_name, expiry, portal.value), key, previous);
  if (error) return { status: 'failed', reason: `email: ${error}` };
  addNote(ctx, lead, FR.stripeNotes.cardExpiring(expiry));
  return { status: 'processed' };
}

// ---- client emails, recorded in Messages ------------------------------------------------------

/** The Messages row of an email of this template (by lead or by key), if any: sent, or failed to retry. */
function findEmail(ctx: Ctx, column: 'lead_id' | 'provider_id', value: string, template: string): Stored<typeof MESSAGES> | null {
  const messages = ctx.table(MESSAGES);
  for (const row of messages.findRows(column, value)) {
    const m = messages.readRow(row);
    if (m.template === template && m.channel === 'email') return m;
  }
  return null;
}

/**
 * Sends a client email and records it in Messages (`key`, e.g. invoice and attempt, in
 * provider_id): one row per email, a retry updates `previous`, the row of the failed attempt.
 * Returns the error text when it failed, else null.
 */
function sendClientEmail(ctx: Ctx, lead: Lead, template: string, subject: string, body: string, key: string, previous: Stored<typeof MESSAGES> | null): string | null {
  if (!lead.email) return null; // nobody to write to: nothing to retry
  const error = ctx.mail({ to: lead.email, subject, body });
  // `error`, not `failed`: reconcile's SMS retry scans for `failed`; an email is retried with its event.
  const outcome = { sent_at: ctx.now(), status: error ? 'error' : 'sent', error: error ?? '' };
  if (previous && previous.status === 'error') {
    ctx.table(MESSAGES).update(previous._row, { ...outcome, attempts: previous.attempts + 1 });
  } else {
    ctx.table(MESSAGES).append([{ ...outcome, channel: 'email', to: lead.email, lead_id: lead.id, template, provider_id: key, attempts: 1 }]);
  }
  return error;
}
