/**
 * The Stripe runbooks: OK #3 (conversion on checkout.session.completed, or by hand with
 * convertLead) and KO #3 (failed payments, recovery, cancellation, expiring cards). Each handler
 * receives an event as the API returned it and is idempotent per effect: a redelivered or
 * replayed event changes nothing the second time. The caller holds the script lock.
 */
import { LEADS, MESSAGES, type RowOf } from '../domain/schema';
import { idOf, invoiceSubscriptionId, isLiveSubscription, isSettledInvoice, monthlyAmount, type StripeEvent, type StripeSubscription } from '../domain/stripe';
import { splitFullName } from '../domain/meta';
import { ok, type Result } from '../domain/result';
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
export const TEMPLATES = { welcome: 'bienvenue', paymentFailed: 'paiement_echoue', suspended: 'service_suspendu', cardExpiring: 'carte_expire' } as const;

/** The handlers, by event type (the dispatch table of app/intake.ts). */
export const STRIPE_HANDLERS: Partial<Record<string, (ctx: Ctx, event: StripeEvent) => Outcome>> = {
  'checkout.session.completed': onCheckoutCompleted,
  'checkout.session.async_payment_succeeded': onAsyncPaymentSucceeded,
  'checkout.session.async_payment_failed': onAsyncPaymentFailed,
  'invoice.payment_failed': onPaymentFailed,
  'invoice.paid': onInvoicePaid,
  'customer.subscription.updated': onSubscriptionUpdated,
  'customer.subscription.deleted': onSubscriptionDeleted,
  'customer.source.expiring': onCardExpiring,
  'charge.refunded': onChargeRefunded,
  'charge.dispute.created': onDisputeCreated,
};

// ---- OK #3: conversion ------------------------------------------------------------------------

function onCheckoutCompleted(ctx: Ctx, event: StripeEvent): Outcome {
  const session = event.data.object as Obj;
  if (session.mode !== 'subscription') return { status: 'ignored', reason: 'not_a_subscription' };
  // A delayed method (SEPA debit…) completes unpaid: it converts on async_payment_succeeded, never before.
  if (!['paid', 'no_payment_required'].includes(str(session.payment_status))) return { status: 'ignored', reason: 'not_paid' };
  return convertCheckout(ctx, session, event.created);
}

/** A delayed payment succeeded: the checkout converts now, once (the session is paid). */
function onAsyncPaymentSucceeded(ctx: Ctx, event: StripeEvent): Outcome {
  const session = event.data.object as Obj;
  if (session.mode !== 'subscription') return { status: 'ignored', reason: 'not_a_subscription' };
  return convertCheckout(ctx, session, event.created);
}

/** A delayed payment failed: the lead stays as it was, with a note. */
function onAsyncPaymentFailed(ctx: Ctx, event: StripeEvent): Outcome {
  const session = event.data.object as Obj;
  const who = checkoutPerson(session);
  const lead = findCheckoutLead(ctx, str(session.client_reference_id), who.email, who.phone);
  if (!lead) return { status: 'ignored', reason: 'no_lead_for_checkout' };
  const note = FR.stripeNotes.asyncPaymentFailed(formatParis(new Date(event.created * 1000), 'dd/MM/yyyy'), str(session.id));
  if (lead.notes.includes(note)) return { status: 'duplicate', reason: 'already_noted' };
  addNote(ctx, lead, note);
  return { status: 'processed' };
}

/** Who paid, as the checkout says: Stripe's copy of the customer's email, name and phone. */
function checkoutPerson(session: Obj): { email: string; name: string; phone: string } {
  const details = (session.customer_details ?? {}) as Obj;
  return {
    email: (str(details.email) || str(session.customer_email)).trim().toLowerCase(),
    name: str(details.name),
    phone: str(details.phone),
  };
}

/** Converts the lead of a paid checkout session. */
function convertCheckout(ctx: Ctx, session: Obj, created: number): Outcome {
  const customerId = idOf(session.customer);
  const subscriptionId = idOf(session.subscription);
  if (!customerId || !subscriptionId) return { status: 'ignored', reason: 'no_customer_or_subscription' };
  const who = checkoutPerson(session);
  const lead = findCheckoutLead(ctx, str(session.client_reference_id), who.email, who.phone);
  const subscriptions = clientSubscriptions(ctx, lead, customerId, subscriptionId);
  if (!subscriptions.ok) return { status: 'failed', reason: subscriptions.error };
  const result = convert(ctx, lead, who, customerId, subscriptions.value, new Date(created * 1000));
  // A welcome email that failed fails the event: reconcile retries it, and only the email is left to do.
  if (result.emailError) return { status: 'failed', reason: `email: ${result.emailError}` };
  return result.changed ? { status: 'processed' } : { status: 'duplicate', reason: 'already_converted' };
}

/** What a client pays for: this subscription, and the MRR of every live subscription they hold. */
interface ClientSubscriptions {
  subscription: StripeSubscription;
  mrr: number;
}

/**
 * The client's subscriptions at Stripe (`subscriptionsOf`, one call): MRR is the sum of the live
 * ones (SPEC §1), so a second checkout adds to the first instead of replacing it. A lead already
 * converted under another customer (a second checkout makes a new one) counts theirs too.
 */
function clientSubscriptions(ctx: Ctx, lead: Lead | null, customerId: string, subscriptionId: string): Result<ClientSubscriptions> {
  const listed = ctx.stripe().subscriptionsOf(customerId);
  if (!listed.ok) return listed;
  let subscription = listed.value.find((sub) => sub.id === subscriptionId);
  if (!subscription) {
    // Not in the list yet (or beyond its first page): asked for by id.
    const one = ctx.stripe().subscription(subscriptionId);
    if (!one.ok) return one;
    subscription = one.value;
  }
  const live = listed.value.filter((sub) => isLiveSubscription(sub.status) && sub.id !== subscriptionId);
  let mrr = live.reduce((sum, sub) => sum + monthlyAmount(sub), 0) + (isLiveSubscription(subscription.status) ? monthlyAmount(subscription) : 0);
  const previousCustomer = lead?.status === 'converted' ? lead.stripe_customer_id : '';
  if (previousCustomer && previousCustomer !== customerId) {
    const theirs = ctx.stripe().subscriptionsOf(previousCustomer);
    if (!theirs.ok) return theirs;
    mrr += theirs.value.filter((sub) => isLiveSubscription(sub.status)).reduce((sum, sub) => sum + monthlyAmount(sub), 0);
  }
  return ok({ subscription, mrr: Math.round(mrr * 100) / 100 });
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
 * matches, and sends the welcome email once, to `who.email`: the address Stripe holds for the
 * customer (SPEC §3), never the Sheet's (a lead matched by phone may carry someone else's).
 * `changed` is false when it was already done.
 */
function convert(
  ctx: Ctx,
  found: Lead | null,
  who: { email: string; name: string; phone: string },
  customerId: string,
  client: ClientSubscriptions,
  at: Date,
): { lead: Lead; changed: boolean; mrr: number; emailError: string | null } {
  const { subscription, mrr } = client;
  const convertedNote = FR.stripeNotes.converted(euros(mrr), subscription.id);
  if (found && found.status === 'converted' && found.stripe_subscription_id === subscription.id) {
    // Done before; but an execution that died between two writes may have left the note out.
    if (!found.notes.includes(FR.stripeNotes.converted(euros(found.mrr), subscription.id))) addNote(ctx, found, FR.stripeNotes.converted(euros(found.mrr), subscription.id));
    return { lead: found, changed: false, mrr, emailError: ensureWelcome(ctx, found, who.email, welcomeState(ctx, found)) };
  }
  const now = ctx.now();
  // A client still paying who takes a second subscription converted once, on the first date.
  const stillPaying = found?.status === 'converted' && found.mrr > 0 && found.conversion_date !== null;
  const changes = {
    status: 'converted',
    stripe_customer_id: customerId,
    stripe_subscription_id: subscription.id,
    conversion_date: stillPaying && found?.conversion_date ? found.conversion_date : at,
    mrr,
    // A client who subscribes again after a suspension starts with a clean count.
    payment_failures: stillPaying && found ? found.payment_failures : 0,
    updated_at: now,
  } satisfies Partial<RowOf<typeof LEADS>>;
  let lead: Lead;
  if (found) {
    const notes = found.notes ? `${found.notes}\n${convertedNote}` : convertedNote;
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
      notes: convertedNote,
      ...changes,
    });
    lead = { ...row, _row: ctx.table(LEADS).append([row]) };
    rememberPaidFirst(ctx, lead);
  }
  const emailError = ensureWelcome(ctx, lead, who.email, found ? welcomeState(ctx, found) : 'due');
  leadStageChanged(ctx, lead);
  return { lead, changed: true, mrr, emailError };
}

/** Days after a conversion during which its welcome may still be sent (retried, or found sent in Messages). */
const WELCOME_WINDOW_DAYS = 30;

/**
 * Whether a lead may still need its welcome, from the lead row itself, so that the guard outlives
 * the journal's retention and the archive (which move Messages rows away): a lead never converted
 * needs it ('due', no lookup); one converted within the window may have it in Messages ('check');
 * one converted longer ago was welcomed then ('done').
 */
function welcomeState(ctx: Ctx, before: Lead): 'due' | 'check' | 'done' {
  if (before.conversion_date === null && before.stripe_subscription_id === '') return 'due';
  const window = Math.min(WELCOME_WINDOW_DAYS, ctx.config().events_retention_days - 1) * 86400000;
  return before.conversion_date && ctx.now().getTime() - before.conversion_date.getTime() <= window ? 'check' : 'done';
}

/** Sends the welcome email once per lead (a `sent` Messages row records it); the error if it failed. */
function ensureWelcome(ctx: Ctx, lead: Lead, to: string, state: 'due' | 'check' | 'done'): string | null {
  if (!to || state === 'done') return null;
  const previous = state === 'due' ? null : findEmail(ctx, 'lead_id', lead.id, TEMPLATES.welcome);
  if (previous?.status === 'sent') return null;
  const mail = FR.emails.welcome;
  return sendClientEmail(ctx, lead, to, TEMPLATES.welcome, mail.subject, mail.body(lead.first_name || lead.last_name || ''), '', previous);
}

/**
 * OK #3 by hand: converts a lead with the customer's live subscriptions, fetched from Stripe; the
 * welcome goes to the email Stripe holds for the customer. Returns a French message, or an error.
 */
export function convertByHand(ctx: Ctx, lead: Lead, customerId: string): { ok: true; message: string } | { ok: false; error: string } {
  const customer = ctx.stripe().customer(customerId);
  if (!customer.ok) return { ok: false, error: FR.stripeActions.stripeError(ctx.redact(customer.error)) };
  const subs = ctx.stripe().subscriptionsOf(customerId);
  if (!subs.ok) return { ok: false, error: FR.stripeActions.stripeError(ctx.redact(subs.error)) };
  const live = subs.value.filter((s) => isLiveSubscription(s.status));
  if (live.length === 0) return { ok: false, error: FR.stripeActions.noSubscription };
  // The lead's own subscription if it is among them, else the newest (Stripe lists newest first).
  const subscription = live.find((s) => s.id === lead.stripe_subscription_id) ?? live[0];
  const mrr = Math.round(live.reduce((sum, s) => sum + monthlyAmount(s), 0) * 100) / 100;
  const name = `${lead.first_name} ${lead.last_name}`.trim() || lead.id;
  const mailedBefore = ctx.mailed.length;
  const result = convert(ctx, lead, { email: customer.value.email, name, phone: lead.phone }, customerId, { subscription, mrr }, ctx.now());
  // Say only what happened: no welcome to a client welcomed before, or with no email at Stripe.
  const welcomed = ctx.mailed.length > mailedBefore;
  const message = !result.changed
    ? FR.stripeActions.alreadyConverted(name)
    : welcomed
      ? FR.stripeActions.converted(name, euros(result.mrr))
      : FR.stripeActions.convertedNoWelcome(name, euros(result.mrr), customer.value.email !== '');
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
  // An event is a copy of the invoice when it happened: a failure redelivered after the invoice
  // was paid (journal rows deleted by hand, a replay) must not count again. Stripe's invoice now says.
  const current = ctx.stripe().invoice(invoiceId);
  if (!current.ok) return { status: 'failed', reason: current.error };
  if (isSettledInvoice(current.value.status)) return { status: 'ignored', reason: `invoice_${current.value.status}` };
  // payment_failures follows the highest attempt_count seen (SPEC §3): a redelivery counts once,
  // and an older attempt of this invoice delivered late (1, 3, then 2) changes nothing, sends nothing.
  if (attempt < highestAttemptNoted(lead.notes, invoiceId)) return { status: 'duplicate', reason: 'older_attempt' };
  const failures = Math.max(lead.payment_failures, attempt);
  const config = ctx.config();
  const suspending = failures >= config.payment_max_failures && lead.status !== 'rejected';
  // The client's last email says the service is suspended and how to resume, not "please pay";
  // once suspended, the client is told nothing more (only a suspension email that failed is retried).
  const suspended = lead.status === 'rejected';
  const key = suspending || suspended ? `${invoiceId}#suspendu` : `${invoiceId}#${attempt}`;
  const template = suspending || suspended ? TEMPLATES.suspended : TEMPLATES.paymentFailed;
  const previous = findEmail(ctx, 'provider_id', key, template);
  const due = suspended ? previous?.status === 'error' : previous?.status !== 'sent';
  let emailError: string | null = null;
  // Sent now, or by an attempt of this event that died before its note (not told before a suspension).
  let sent = !suspended && previous?.status === 'sent';
  if (due) {
    const to = current.value.customerEmail || str(invoice.customer_email).toLowerCase();
    const mail = template === TEMPLATES.suspended ? FR.emails.suspended : FR.emails.paymentFailed;
    emailError = sendClientEmail(ctx, lead, to, template, mail.subject, mail.body(lead.first_name || lead.last_name, str(invoice.hosted_invoice_url)), key, previous);
    sent = !emailError && to !== '';
  }
  const told = !sent ? '' : template === TEMPLATES.suspended ? FR.stripeNotes.suspendedTold(attempt, invoiceId) : FR.stripeNotes.paymentFailed(attempt, invoiceId);
  // Each note is written once, whichever attempt of this event gets there (notes are the guard).
  const notes: string[] = [];
  if (told && !lead.notes.includes(told)) notes.push(told);
  const changes: Partial<RowOf<typeof LEADS>> = { payment_failures: failures };
  if (suspending) {
    changes.status = 'rejected';
    // A suspended client pays nothing any more: out of the MRR (the Dashboard's too).
    changes.mrr = 0;
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
  // An email that failed is retried with the event (the counter and the suspension are not redone).
  return emailError ? emailFailed : { status: 'processed' };
}

/** The highest attempt of this invoice that the lead's notes record (0 when none). */
function highestAttemptNoted(notes: string, invoiceId: string): number {
  let highest = 0;
  for (const line of notes.split('\n')) {
    const m = FR.stripeNotes.attemptOf(line, invoiceId);
    if (m > highest) highest = m;
  }
  return highest;
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

/**
 * A subscription ended: the lead's MRR becomes the sum of the live subscriptions left (SPEC §1),
 * asked of Stripe, so a client with two subscriptions who ends one keeps paying for the other.
 */
function onSubscriptionDeleted(ctx: Ctx, event: StripeEvent): Outcome {
  const sub = event.data.object as Obj;
  const subscriptionId = str(sub.id);
  const customerId = idOf(sub.customer);
  const lead = leadOfCustomer(ctx, customerId) ?? leadOfSubscription(ctx, subscriptionId);
  if (!lead) return { status: 'ignored', reason: 'no_lead_for_customer' };
  const ended = FR.stripeNotes.cancelledMark(subscriptionId);
  if (lead.notes.includes(ended)) return { status: 'duplicate', reason: 'already_cancelled' };
  const customers = [...new Set([lead.stripe_customer_id, customerId].filter(Boolean))];
  let mrr = 0;
  let newest = '';
  for (const customer of customers) {
    const listed = ctx.stripe().subscriptionsOf(customer);
    if (!listed.ok) return { status: 'failed', reason: listed.error };
    const live = listed.value.filter((s) => s.id !== subscriptionId && isLiveSubscription(s.status));
    mrr += live.reduce((sum, s) => sum + monthlyAmount(s), 0);
    if (customer === lead.stripe_customer_id && live.length > 0) newest = live[0].id;
  }
  mrr = Math.round(mrr * 100) / 100;
  const changes: Partial<RowOf<typeof LEADS>> = { mrr };
  // The lead points at a subscription still live, for the evening sync check.
  if (lead.stripe_subscription_id === subscriptionId && newest) changes.stripe_subscription_id = newest;
  addNote(ctx, lead, FR.stripeNotes.cancelled(formatParis(new Date(event.created * 1000), 'dd/MM/yyyy'), subscriptionId, euros(mrr)), changes);
  return { status: 'processed' };
}

/** The lead whose notes name this subscription (a second checkout under another customer). */
function leadOfSubscription(ctx: Ctx, subscriptionId: string): Lead | null {
  if (!/^sub_\w+$/.test(subscriptionId)) return null;
  const leads = ctx.table(LEADS);
  const row = leads.matchRows(['notes'], `abonnement ${subscriptionId}\\b`)[0];
  return row ? leads.readRow(row) : null;
}

/** The SOP's "notifications proactives avant expiration carte": one friendly email per card and expiry. */
function onCardExpiring(ctx: Ctx, event: StripeEvent): Outcome {
  const card = event.data.object as Obj;
  const lead = leadOfCustomer(ctx, idOf(card.customer));
  if (!lead) return { status: 'ignored', reason: 'no_lead_for_customer' };
  const expiry = `${String(card.exp_month).padStart(2, '0')}/${String(card.exp_year)}`;
  const key = `card:${str(card.id)}:${expiry}`;
  const previous = findEmail(ctx, 'provider_id', key, TEMPLATES.cardExpiring);
  if (previous?.status === 'sent') return { status: 'duplicate', reason: 'already_told' };
  // A billing link goes only to the email Stripe holds for the customer (SPEC §3).
  const customer = ctx.stripe().customer(lead.stripe_customer_id);
  if (!customer.ok) return { status: 'failed', reason: customer.error };
  if (!customer.value.email) return { status: 'ignored', reason: 'no_email_at_stripe' };
  const portal = ctx.stripe().portalUrl(lead.stripe_customer_id);
  if (!portal.ok) return { status: 'failed', reason: portal.error };
  const mail = FR.emails.cardExpiring;
  const error = sendClientEmail(ctx, lead, customer.value.email, TEMPLATES.cardExpiring, mail.subject, mail.body(lead.first_name, expiry, portal.value), key, previous);
  if (error) return { status: 'failed', reason: `email: ${error}` };
  addNote(ctx, lead, FR.stripeNotes.cardExpiring(expiry));
  return { status: 'processed' };
}

// ---- refunds and disputes ---------------------------------------------------------------------

/** A refund is noted on the lead (once per charge and amount); the MRR follows the subscription, when it ends. */
function onChargeRefunded(ctx: Ctx, event: StripeEvent): Outcome {
  const charge = event.data.object as Obj;
  const lead = leadOfCustomer(ctx, idOf(charge.customer));
  if (!lead) return { status: 'ignored', reason: 'no_lead_for_customer' };
  const refunded = typeof charge.amount_refunded === 'number' ? charge.amount_refunded / 100 : 0;
  const note = FR.stripeNotes.refunded(euros(refunded), charge.refunded === true, str(charge.id));
  if (lead.notes.includes(note)) return { status: 'duplicate', reason: 'already_noted' };
  addNote(ctx, lead, `${note} (${formatParis(new Date(event.created * 1000), 'dd/MM/yyyy')})`);
  return { status: 'processed' };
}

/**
 * A dispute (chargeback): money at stake and a deadline to answer, so a high incident (one per
 * dispute) and a note on the lead. The dispute names its charge only: the charge names the customer.
 */
function onDisputeCreated(ctx: Ctx, event: StripeEvent): Outcome {
  const dispute = event.data.object as Obj;
  const chargeId = idOf(dispute.charge);
  if (!chargeId) return { status: 'ignored', reason: 'no_charge' };
  const charge = ctx.stripe().charge(chargeId);
  if (!charge.ok) return { status: 'failed', reason: charge.error };
  const lead = leadOfCustomer(ctx, charge.value.customer);
  const amount = euros((typeof dispute.amount === 'number' ? dispute.amount : charge.value.amount) / 100);
  const due = ((dispute.evidence_details ?? {}) as Obj).due_by;
  const dueDate = typeof due === 'number' ? formatParis(new Date(due * 1000), 'dd/MM/yyyy') : '';
  const who = lead ? `${lead.first_name} ${lead.last_name}`.trim() || lead.id : charge.value.customer || chargeId;
  openIncident(ctx, { type: 'payment_dispute', severity: 'high', title: FR.stripeIncidents.dispute(who, amount, str(dispute.reason), dueDate), ref: str(dispute.id) || chargeId });
  if (!lead) return { status: 'processed', reason: 'no_lead_for_customer' };
  const note = FR.stripeNotes.disputed(amount, str(dispute.reason), str(dispute.id));
  if (!lead.notes.includes(note)) addNote(ctx, lead, note);
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
 * Sends a client email to `to`, the address Stripe holds for the customer (SPEC §3: never the
 * Sheet's, which a lead typed in), and records it in Messages (`key`, e.g. invoice and attempt, in
 * provider_id): one row per email, a retry updates `previous`, the row of the failed attempt.
 * Returns the error text when it failed, else null.
 */
function sendClientEmail(ctx: Ctx, lead: Lead, to: string, template: string, subject: string, body: string, key: string, previous: Stored<typeof MESSAGES> | null): string | null {
  if (!to) return null; // nobody to write to: nothing to retry
  const error = ctx.mail({ to, subject, body });
  // `error`, not `failed`: reconcile's SMS retry scans for `failed`; an email is retried with its event.
  const outcome = { sent_at: ctx.now(), status: error ? 'error' : 'sent', error: error ?? '' };
  if (previous && previous.status === 'error') {
    ctx.table(MESSAGES).update(previous._row, { ...outcome, to, attempts: previous.attempts + 1 });
  } else {
    ctx.table(MESSAGES).append([{ ...outcome, queued_at: outcome.sent_at, channel: 'email', to, lead_id: lead.id, template, provider_id: key, attempts: 1 }]);
  }
  return error;
}
