/**
 * The Stripe runbooks a person starts: KO #1 (replay a Stripe event that never arrived) and
 * OK #3 by hand (convert a lead with its customer's subscription). Both go through runAction:
 * the lock, a French answer, never an exception.
 */
import { EVENT_ID } from '../domain/stripe';
import { done, refused, type ActionResult } from '../shared/types';
import { runAction, textArg } from './actions';
import { applyOnce, findEvent, isDone } from './journal';
import { applyStripeEvent, isRelevantStripeType } from './intake';
import { openIncident } from './incidents';
import { findLead } from './leads';
import { convertByHand } from './stripe';
import { FR } from '../ui/strings.fr';

/**
 * KO #1: fetches the event from Stripe and runs it through the journal. A processed event is
 * not applied again; a missed one is applied, journalled as a replay, and logged as a
 * webhook_failure incident (SOP step 5).
 */
export function replayStripeEvent(eventId: unknown): ActionResult<{ status: string }> {
  const id = textArg(eventId, 120);
  if (!EVENT_ID.test(id)) return refused(FR.stripeActions.badEventId, 'eventId');
  return runAction((ctx) => {
    const known = findEvent(ctx, 'stripe', id);
    // An event given up after its retry window (journal GIVEN_UP) is applied again: that is what a replay is for.
    if (known && isDone(known)) return done(FR.stripeActions.alreadyDone(known.status), { status: known.status });
    const fetched = ctx.stripe().event(id);
    if (!fetched.ok) return refused(FR.stripeActions.stripeError(ctx.redact(fetched.error)), 'eventId');
    const event = fetched.value;
    const result = applyOnce(ctx, { source: 'stripe', eventId: id, type: event.type, payload: JSON.stringify(event) }, 'replay', () => applyStripeEvent(ctx, event));
    if (result.status === 'failed') return refused(FR.stripeActions.notApplied(ctx.redact(result.reason ?? '')), 'eventId');
    if (result.applied && !known && isRelevantStripeType(event.type)) {
      openIncident(ctx, { type: 'webhook_failure', severity: 'high', title: FR.stripeIncidents.replayed(event.type, id), ref: id });
    }
    return result.status === 'ignored'
      ? done(FR.stripeActions.notApplied(result.reason ?? ''), { status: result.status })
      : done(FR.stripeActions.applied(event.type), { status: result.status });
  });
}

/** OK #3 by hand: the lead becomes converted with the customer's live subscription from Stripe. */
export function convertLead(leadId: unknown, stripeCustomerId: unknown): ActionResult {
  const id = textArg(leadId, 40);
  const customer = textArg(stripeCustomerId, 60);
  if (!/^lead_\d+(-\d+)?$/.test(id)) return refused(FR.stripeActions.badLeadId, 'leadId');
  if (!/^cus_[A-Za-z0-9]{6,}$/.test(customer)) return refused(FR.stripeActions.badCustomerId, 'stripeCustomerId');
  return runAction((ctx) => {
    const lead = findLead(ctx, id);
    if (!lead) return refused(FR.stripeActions.unknownLead, 'leadId');
    const result = convertByHand(ctx, lead, customer);
    return result.ok ? done(result.message) : refused(result.error, 'stripeCustomerId');
  });
}
