/**
 * Issue 17, the Stripe side: nothing lost, nothing doubled, nothing noisy. Each case is a fault
 * found by trying to break the promise through the bundle; each failed on the code before its fix.
 */
import fc from 'fast-check';
import { fixture } from '../../emulator/providers';
import { System, json, MONDAY_10H } from '../support/system';

const MINUTE = 60000;
const checkout = () => fixture('stripe/events/checkout.session.completed.json');
const ago = (minutes: number) => new Date(MONDAY_10H.getTime() - minutes * MINUTE);

/** A Meta lead (its webhook delivered), its Stripe customer and subscription, and a checkout event (not delivered). */
function leadAndCheckout(s: System, opts: { created?: Date; customer?: string; amount?: number; object?: Record<string, unknown> } = {}) {
  s.metaLead({ fullName: 'Camille Durand', phone: '+33612345678', email: 'camille.durand@example.fr' });
  const lead = s.rows('Leads')[0];
  const customer = opts.customer ?? 'cus_Camille01';
  if (!s.providers.customers.has(customer)) s.providers.stripeCustomer({ id: customer, email: 'camille.durand@example.fr', name: 'Camille Durand' });
  const sub = s.providers.stripeSubscription({ customer, amount: opts.amount ?? 2900 });
  const base = checkout();
  const event = s.providers.stripeEvent(base, {
    created: opts.created,
    object: { client_reference_id: lead.id, customer, subscription: sub.id, ...(opts.object ?? {}) },
  });
  return { lead, sub, event };
}

/** `n` relevant events about customers nobody knows (each journalled `ignored`), created at `at`. */
function noise(s: System, n: number, at: Date) {
  const base = fixture('stripe/events/invoice.paid.json');
  return Array.from({ length: n }, (_, i) => s.providers.stripeEvent(base, { created: new Date(at.getTime() + Math.floor(i / 3) * 1000), object: { id: `in_Noise${i}`, customer: `cus_Other${i}` } }));
}

/** Runs reconcile every 5 minutes until it has nothing left to apply (at most `max` runs). */
function reconcileUntilIdle(s: System, max = 10) {
  const runs = [];
  for (let i = 0; i < max; i++) {
    const run = s.reconcile(i === 0 ? 0 : 5 * MINUTE);
    if (run.error) throw run.error;
    const report = run.result as { stripe: { applied: number; deferred?: number; error?: string } };
    runs.push(report.stripe);
    if (!report.stripe.deferred && !report.stripe.error) break;
  }
  return runs;
}

describe('item 2: the Stripe poll loses nothing, whatever the backlog', () => {
  test('a checkout followed by 510 other events is applied, oldest first, over several runs within the budget', () => {
    const s = new System();
    const { event } = leadAndCheckout(s, { created: ago(120) });
    const others = noise(s, 510, ago(110));
    // Types we do not use are not even listed (`types[]`).
    for (let i = 0; i < 40; i++) s.providers.stripeEvent({ ...fixture('stripe/event.json'), type: 'customer.updated', data: { object: { id: `cus_X${i}`, object: 'customer' } } }, { created: ago(100) });
    const runs = reconcileUntilIdle(s);
    expect(runs.length).toBeGreaterThan(1); // 511 events do not fit in one run's budget
    expect(runs.every((r) => r.applied <= 200)).toBe(true);
    expect(s.rows('Leads')[0]).toMatchObject({ status: 'converted', stripe_customer_id: 'cus_Camille01' });
    const journal = s.rows('Events').filter((e) => e.source === 'stripe');
    expect(journal.map((e) => e.event_id).sort()).toEqual([event.id, ...others.map((o) => o.id)].sort());
    // Oldest first: the checkout was the first Stripe event applied.
    expect(journal[0].event_id).toBe(event.id);
    const listings = s.providers.eventListings;
    expect(listings.length).toBeGreaterThan(0);
    for (const q of listings) expect(q.getAll('types[]')).toEqual(expect.arrayContaining(['checkout.session.completed', 'invoice.payment_failed', 'checkout.session.async_payment_succeeded']));
    // Idle afterwards: one listing page, nothing applied.
    const before = listings.length;
    const idle = s.reconcile(5 * MINUTE).result as { stripe: { applied: number } };
    expect(idle.stripe.applied).toBe(0);
    expect(listings.length - before).toBe(1);
  });

  test('a 500 on page 2 moves nothing: the next run applies every event, the oldest included', () => {
    const s = new System();
    leadAndCheckout(s, { created: ago(90) });
    noise(s, 150, ago(80));
    s.providers.fail('stripe', 1, 'status', 1); // page 1 answers, page 2 fails
    const failed = s.reconcile(0).result as { stripe: { applied: number; error?: string } };
    expect(failed.stripe.error).toMatch(/stripe 503/);
    expect(failed.stripe.applied).toBe(0);
    expect(s.rows('Events').filter((e) => e.source === 'stripe')).toHaveLength(0);
    reconcileUntilIdle(s);
    expect(s.rows('Leads')[0].status).toBe('converted');
    expect(s.rows('Events').filter((e) => e.source === 'stripe')).toHaveLength(151);
  });

  test('a run that runs out of time stops applying and the next one resumes where it stopped', () => {
    const s = new System();
    leadAndCheckout(s, { created: ago(90) });
    noise(s, 60, ago(80));
    // Each Stripe call takes 5 s: the 3-minute budget is spent before the 61 events are applied.
    s.gas.beforeCall = (_service, method) => {
      if (method === 'UrlFetchApp.fetch') s.gas.clock.advance(5000);
      return undefined;
    };
    s.gas.afterCall = (service) => {
      if (service === 'Sheets') s.gas.clock.advance(1000);
    };
    const out = s.reconcile(0);
    expect(out.error).toBeUndefined(); // every step together stays inside the 6 minutes
    const first = out.result as { stripe: { applied: number; deferred?: number } };
    expect(first.stripe.deferred).toBeGreaterThan(0);
    expect(first.stripe.applied).toBeLessThan(61);
    s.gas.beforeCall = undefined;
    s.gas.afterCall = undefined;
    reconcileUntilIdle(s);
    expect(s.rows('Events').filter((e) => e.source === 'stripe')).toHaveLength(61);
    expect(s.rows('Leads')[0].status).toBe('converted');
  });
});

test('any backlog, any page failing on any run: every event applied once, in the order it happened (property)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 260 }),
      fc.array(fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }), { minLength: 1, maxLength: 5 }),
      (count, failures) => {
        const s = new System();
        // Spread over the last hours, several in the same second; webhooks all lost.
        const made = noise(s, count, ago(300)).map((e, i) => {
          e.created -= count - i;
          return e;
        });
        for (const page of failures) {
          if (page !== null) s.providers.fail('stripe', 1, 'status', page); // that page of the listing fails
          s.reconcile(5 * MINUTE);
          s.providers.restore('stripe');
        }
        reconcileUntilIdle(s, 10);
        const journal = s.rows('Events').map((e) => e.event_id);
        const inOrder = [...made].sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1)).map((e) => e.id);
        expect(journal).toEqual(inOrder);
      },
    ),
    { numRuns: Number(process.env.RELIABILITY_RUNS ?? 12) },
  );
});

describe('item 15: a late reconcile is not noisy', () => {
  test('events whose webhook may still come are left to it; lost ones are reported in one digest, one email', () => {
    const s = new System();
    // 20 events over the last 10 minutes, none delivered: a late 10-minute trigger finds them all.
    const events = noise(s, 20, ago(10)).map((e, i) => {
      e.created -= i * 30;
      return e;
    });
    const late = s.reconcile(0);
    expect((late.result as { stripe: { applied: number } }).stripe.applied).toBe(0);
    expect(s.rows('Incidents')).toHaveLength(0);
    // One webhook comes late (Stripe retries): applied once, never reported.
    s.post('stripe', JSON.stringify(events[0]));
    // 40 minutes on, the others never came: applied, and one incident, one email, for all of them.
    s.reconcile(40 * MINUTE);
    s.reconcile(5 * MINUTE);
    expect(s.rows('Events').filter((e) => e.source === 'stripe')).toHaveLength(20);
    const incidents = s.rows('Incidents');
    expect(incidents).toEqual([expect.objectContaining({ type: 'webhook_failure', severity: 'high', status: 'open' })]);
    expect(String(incidents[0].title)).toMatch(/19 événements rattrapés/);
    expect(s.gas.mail.outbox.filter((m) => m.to === 'operateur@sirrius.example' && /Webhooks Stripe/.test(m.subject))).toHaveLength(1);
  });
});


const welcomes = (s: System) => s.gas.mail.outbox.filter((m) => m.subject === 'Bienvenue chez Sirrius !');
const DAY = 86400000;

/** A failed-payment event of the lead's invoice `invoiceId` at this attempt. */
function failedPayment(s: System, attempt: number, subId: string, invoiceId = 'in_Camille0001', customer = 'cus_Camille01') {
  const base = fixture('stripe/events/invoice.payment_failed.json');
  const invoice = { ...base.data.object, id: invoiceId, customer, attempt_count: attempt, parent: { ...base.data.object.parent, subscription_details: { metadata: {}, subscription: subId } } };
  return s.providers.stripeEvent(base, { object: invoice });
}

/** Delivers a Stripe event's webhook; the JSON answer. */
const deliver = (s: System, event: unknown) => json(s.post('stripe', JSON.stringify(event)));

describe('item 3: a delayed payment (SEPA) converts when it succeeds, once', () => {
  test('completed unpaid: nothing; async_payment_succeeded: converted, one welcome, however often it comes', () => {
    const s = new System();
    const { lead, event } = leadAndCheckout(s, { object: { payment_status: 'unpaid', payment_method_types: ['sepa_debit'] } });
    expect(deliver(s, event)).toEqual({ ok: true, status: 'ignored' });
    expect(s.rows('Leads')[0]).toMatchObject({ status: 'new', mrr: 0 });
    expect(welcomes(s)).toHaveLength(0);
    const succeeded = s.providers.stripeEvent({ ...checkout(), type: 'checkout.session.async_payment_succeeded' }, { object: { ...event.data.object, payment_status: 'paid' } });
    expect(deliver(s, succeeded)).toEqual({ ok: true, status: 'processed' });
    deliver(s, succeeded);
    expect(s.gas.run('replayStripeEvent', [succeeded.id])).toMatchObject({ ok: true });
    // The unpaid completion redelivered afterwards changes nothing.
    deliver(s, event);
    expect(s.rows('Leads')).toEqual([expect.objectContaining({ id: lead.id, status: 'converted', mrr: 29, stripe_customer_id: 'cus_Camille01' })]);
    expect(welcomes(s)).toHaveLength(1);
  });

  test('async_payment_failed: the lead stays as it was, with one note', () => {
    const s = new System();
    const { event } = leadAndCheckout(s, { object: { payment_status: 'unpaid' } });
    deliver(s, event);
    const failed = s.providers.stripeEvent({ ...checkout(), type: 'checkout.session.async_payment_failed' }, { object: { ...event.data.object, payment_status: 'unpaid' } });
    expect(deliver(s, failed)).toEqual({ ok: true, status: 'processed' });
    s.post('stripe', JSON.stringify(failed));
    const lead = s.rows('Leads')[0];
    expect(lead).toMatchObject({ status: 'new', mrr: 0, stripe_customer_id: '' });
    expect(String(lead.notes).match(/Paiement différé \(prélèvement\) refusé/g)).toHaveLength(1);
    expect(welcomes(s)).toHaveLength(0);
  });
});

describe('item 6: one welcome email, even after the archive moved its Messages row', () => {
  test('convertLead again 40 days later sends no second welcome', () => {
    const s = new System();
    const { lead, event } = leadAndCheckout(s);
    deliver(s, event);
    expect(welcomes(s)).toHaveLength(1);
    s.gas.clock.advance(40 * DAY);
    expect(s.gas.runDetailed('archive', [], { kind: 'trigger' }).error).toBeUndefined();
    expect(s.rows('Messages').filter((m) => m.template === 'bienvenue')).toHaveLength(0); // the old guard is gone
    expect(s.gas.run('convertLead', [lead.id, 'cus_Camille01'])).toMatchObject({ ok: true });
    expect(welcomes(s)).toHaveLength(1);
    // A new subscription, 40 days on, is not a new client either.
    const again = s.providers.stripeSubscription({ customer: 'cus_Camille01', amount: 1900 });
    deliver(s, s.providers.stripeEvent(checkout(), { object: { client_reference_id: lead.id, customer: 'cus_Camille01', subscription: again.id } }));
    expect(welcomes(s)).toHaveLength(1);
    expect(s.rows('Leads')[0]).toMatchObject({ status: 'converted', mrr: 48 });
  });
});

describe('item 7 and issue 19 item 4: attempts delivered 1, 3, 2', () => {
  test('the highest attempt wins: suspended at 3, told once, and attempt 2 afterwards sends nothing', () => {
    const s = new System();
    const { event, sub } = leadAndCheckout(s);
    deliver(s, event);
    deliver(s, failedPayment(s, 1, sub.id));
    deliver(s, failedPayment(s, 3, sub.id));
    const toClient = () => s.gas.mail.outbox.filter((m) => m.to === 'camille.durand@example.fr').map((m) => m.subject);
    const told = toClient().length;
    expect(s.rows('Leads')[0]).toMatchObject({ status: 'rejected', payment_failures: 3 });
    expect(s.providers.subscriptions.get(sub.id).status).toBe('canceled');
    expect(deliver(s, failedPayment(s, 2, sub.id))).toMatchObject({ ok: true });
    expect(toClient()).toHaveLength(told); // no reminder for attempt 2 after the cancellation at 3
    expect(s.rows('Leads')[0]).toMatchObject({ status: 'rejected', payment_failures: 3, mrr: 0 });
    expect(toClient()).toEqual(['Bienvenue chez Sirrius !', "Sirrius : votre paiement n'a pas abouti", 'Sirrius : votre service est suspendu']);
  });

  const ORDERS = [[1, 2, 3], [1, 3, 2], [2, 1, 3], [2, 3, 1], [3, 1, 2], [3, 2, 1]];
  test.each(ORDERS.map((o) => [o.join(', '), o] as const))('every order of the three attempts (%s), each delivered twice: one suspension, said last, never undone', (_name, order) => {
    const s = new System();
    const { event, sub } = leadAndCheckout(s);
    deliver(s, event);
    const events = new Map([1, 2, 3].map((a) => [a, failedPayment(s, a, sub.id)]));
    let highest = 0;
    for (const attempt of order) {
      const before = s.gas.mail.outbox.length;
      deliver(s, events.get(attempt));
      deliver(s, events.get(attempt));
      const sent = s.gas.mail.outbox.slice(before).filter((m) => m.to === 'camille.durand@example.fr');
      // A reminder only for a new highest attempt; nothing for one older than what was seen.
      expect(sent.length).toBe(attempt > highest ? 1 : 0);
      highest = Math.max(highest, attempt);
      expect(s.rows('Leads')[0].payment_failures).toBe(highest);
    }
    const subjects = s.gas.mail.outbox.filter((m) => m.to === 'camille.durand@example.fr').map((m) => m.subject);
    expect(subjects.filter((m) => m === 'Sirrius : votre service est suspendu')).toHaveLength(1);
    expect(subjects[subjects.length - 1]).toBe('Sirrius : votre service est suspendu');
    expect(s.rows('Leads')[0]).toMatchObject({ status: 'rejected', payment_failures: 3, mrr: 0 });
    expect(s.rows('Incidents').filter((i) => i.type === 'payment_failed')).toHaveLength(1);
  });

  test('a suspension email refused by MailApp is retried by reconcile, and sent once', () => {
    const s = new System();
    const { event, sub } = leadAndCheckout(s);
    deliver(s, event);
    for (const attempt of [1, 2]) deliver(s, failedPayment(s, attempt, sub.id));
    let refusals = 1;
    s.gas.beforeCall = (_service, method) => (method === 'MailApp.sendEmail' && refusals-- > 0 ? 'Service invoked too many times for one day: email.' : undefined);
    expect(deliver(s, failedPayment(s, 3, sub.id))).toEqual({ ok: false, status: 'failed' });
    expect(s.rows('Leads')[0]).toMatchObject({ status: 'rejected', mrr: 0 });
    s.reconcile(6 * MINUTE);
    s.reconcile(30 * MINUTE);
    const suspended = s.gas.mail.outbox.filter((m) => m.subject === 'Sirrius : votre service est suspendu');
    expect(suspended.map((m) => m.to)).toEqual(['camille.durand@example.fr']);
    expect(s.rows('Incidents').filter((i) => i.type === 'payment_failed')).toHaveLength(1);
    expect(s.providers.subscriptions.get(sub.id).status).toBe('canceled');
  });

  test('a client who subscribes again after a suspension: the new invoice counts from attempt 1 again', () => {
    const s = new System();
    const { lead, event, sub } = leadAndCheckout(s);
    deliver(s, event);
    for (const attempt of [1, 2, 3]) deliver(s, failedPayment(s, attempt, sub.id));
    expect(s.rows('Leads')[0]).toMatchObject({ status: 'rejected', payment_failures: 3 });
    const again = s.providers.stripeSubscription({ customer: 'cus_Camille01', amount: 2900 });
    deliver(s, s.providers.stripeEvent(checkout(), { object: { client_reference_id: lead.id, customer: 'cus_Camille01', subscription: again.id } }));
    expect(s.rows('Leads')[0]).toMatchObject({ status: 'converted', payment_failures: 0, mrr: 29 });
    deliver(s, failedPayment(s, 1, again.id, 'in_Camille0002'));
    expect(s.rows('Leads')[0]).toMatchObject({ status: 'converted', payment_failures: 1 });
    expect(s.gas.mail.outbox.filter((m) => m.subject === "Sirrius : votre paiement n'a pas abouti")).toHaveLength(3);
  });

  test('issue 19 item 4: the suspended client is told so and how to resume; MRR 0, out of the Dashboard\'s MRR', () => {
    const s = new System();
    const { event, sub } = leadAndCheckout(s);
    deliver(s, event);
    expect(s.gas.run('showDashboard')).toMatchObject({ ok: true, figures: { mrr30: 29 } });
    for (const attempt of [1, 2, 3]) deliver(s, failedPayment(s, attempt, sub.id));
    const last = s.gas.mail.outbox.filter((m) => m.to === 'camille.durand@example.fr').pop()!;
    expect(last.subject).toBe('Sirrius : votre service est suspendu');
    expect(last.body).toMatch(/votre service est suspendu/);
    expect(last.body).toMatch(/Pour le reprendre/);
    expect(last.body).not.toMatch(/n'a pas pu être effectué\.\n\nVous pouvez régler/);
    expect(s.rows('Leads')[0]).toMatchObject({ status: 'rejected', mrr: 0 });
    expect(s.gas.run('showDashboard')).toMatchObject({ ok: true, figures: { mrr30: 0 } });
  });
});

describe('item 12: two checkouts for one lead', () => {
  test('MRR is the sum of the live subscriptions; neither is "unlinked" in the evening; one ending leaves the other', () => {
    const s = new System({ now: new Date('2026-11-23T16:00:00Z') });
    const first = leadAndCheckout(s, { customer: 'cus_CamilleA1', amount: 4900 });
    deliver(s, first.event);
    // A second payment link makes a second customer at Stripe.
    s.providers.stripeCustomer({ id: 'cus_CamilleB2', email: 'camille.durand@example.fr' });
    const second = s.providers.stripeSubscription({ customer: 'cus_CamilleB2', amount: 1900 });
    deliver(s, s.providers.stripeEvent(checkout(), { object: { client_reference_id: first.lead.id, customer: 'cus_CamilleB2', subscription: second.id } }));
    expect(s.rows('Leads')).toEqual([expect.objectContaining({ status: 'converted', mrr: 68 })]);
    s.gas.clock.advance(60 * MINUTE);
    expect(s.gas.run('routineEvening')).toMatchObject({ ok: true });
    s.gas.clock.advance(DAY);
    expect(s.gas.run('routineEvening')).toMatchObject({ ok: true });
    expect(s.rows('Incidents').filter((i) => i.type === 'stripe_sync')).toEqual([]);
    expect(welcomes(s)).toHaveLength(1);
    // The first one ends: the client still pays for the second.
    deliver(s, s.providers.stripeEvent(fixture('stripe/events/customer.subscription.deleted.json'), { object: { customer: 'cus_CamilleA1', id: first.sub.id } }));
    expect(s.rows('Leads')[0]).toMatchObject({ status: 'converted', mrr: 19 });
    deliver(s, s.providers.stripeEvent(fixture('stripe/events/customer.subscription.deleted.json'), { object: { customer: 'cus_CamilleB2', id: second.id } }));
    expect(s.rows('Leads')[0]).toMatchObject({ status: 'converted', mrr: 0 });
  });
});

describe('item 13: an old failure redelivered after the invoice was paid', () => {
  test('Events rows deleted by hand, the old invoice.payment_failed again: Stripe says paid, nothing counts', () => {
    const s = new System();
    const { event, sub } = leadAndCheckout(s);
    deliver(s, event);
    const failure = failedPayment(s, 2, sub.id);
    deliver(s, failure);
    expect(s.rows('Leads')[0].payment_failures).toBe(2);
    const paid = fixture('stripe/events/invoice.paid.json');
    deliver(s, s.providers.stripeEvent(paid, { object: { id: 'in_Camille0001', customer: 'cus_Camille01' } }));
    expect(s.rows('Leads')[0].payment_failures).toBe(0);
    // The operator clears the journal by hand; Stripe redelivers the old failure.
    const events = s.gas.spreadsheet.active.sheet('Events');
    events.deleteRows(2, events.values().length - 1);
    const mails = s.gas.mail.outbox.length;
    expect(deliver(s, failure)).toEqual({ ok: true, status: 'ignored' });
    expect(s.rows('Leads')[0]).toMatchObject({ payment_failures: 0, status: 'converted', mrr: 29 });
    expect(s.gas.mail.outbox).toHaveLength(mails);
  });
});

describe('item 18: refunds and disputes', () => {
  test('a refund is noted; a dispute opens one high incident; the MRR follows the subscription when it ends', () => {
    const s = new System();
    const { event, sub } = leadAndCheckout(s);
    deliver(s, event);
    const charge = s.providers.stripeCharge({ customer: 'cus_Camille01', amount: 2900, amountRefunded: 2900 });
    const refunded = s.providers.stripeEvent({ ...fixture('stripe/event.json'), type: 'charge.refunded', data: { object: charge } });
    expect(deliver(s, refunded)).toEqual({ ok: true, status: 'processed' });
    deliver(s, refunded);
    expect(String(s.rows('Leads')[0].notes).match(/Remboursement total de 29,00 €/g)).toHaveLength(1);
    const disputed = s.providers.stripeCharge({ customer: 'cus_Camille01', amount: 2900 });
    const dispute = { id: 'du_1Camille0001', object: 'dispute', amount: 2900, charge: disputed.id, currency: 'eur', reason: 'fraudulent', status: 'needs_response', evidence_details: { due_by: Math.floor(MONDAY_10H.getTime() / 1000) + 7 * 86400, has_evidence: false, past_due: false, submission_count: 0 } };
    const opened = s.providers.stripeEvent({ ...fixture('stripe/event.json'), type: 'charge.dispute.created', data: { object: dispute } });
    const operatorMails = () => s.gas.mail.outbox.filter((m) => m.to === 'operateur@sirrius.example').length;
    const before = operatorMails();
    expect(deliver(s, opened)).toEqual({ ok: true, status: 'processed' });
    deliver(s, opened);
    expect(s.rows('Incidents').filter((i) => i.type === 'payment_dispute')).toEqual([expect.objectContaining({ severity: 'high', status: 'open', ref: 'du_1Camille0001' })]);
    expect(operatorMails()).toBe(before + 1);
    // Stripe's reason code in the operator's words, in the note and the incident.
    expect(String(s.rows('Leads')[0].notes)).toMatch(/Litige bancaire ouvert : 29,00 € contestés \(motif : paiement non reconnu \(fraude\)\)/);
    expect(String(s.rows('Incidents').find((i) => i.type === 'payment_dispute')!.title)).toMatch(/^Litige bancaire : .* conteste 29,00 € \(motif : paiement non reconnu \(fraude\)\), répondre dans Stripe avant le /);
    expect(s.rows('Leads')[0].mrr).toBe(29);
    deliver(s, s.providers.stripeEvent(fixture('stripe/events/customer.subscription.deleted.json'), { object: { customer: 'cus_Camille01', id: sub.id } }));
    expect(s.rows('Leads')[0].mrr).toBe(0);
  });
});

describe('issue 15: billing emails go to the email Stripe holds for the customer', () => {
  test('a lead with the victim\'s phone and another email: welcome, reminder and portal link go to the payer only', () => {
    const s = new System();
    s.metaLead({ fullName: 'Camille Durand', phone: '+33612345678', email: 'attaquant@example.com' });
    s.providers.stripeCustomer({ id: 'cus_Victime01', email: 'camille.durand@example.fr', name: 'Camille Durand' });
    const sub = s.providers.stripeSubscription({ customer: 'cus_Victime01', amount: 2900 });
    const base = checkout();
    const paid = s.providers.stripeEvent(base, {
      object: { client_reference_id: null, customer: 'cus_Victime01', subscription: sub.id, customer_details: { ...base.data.object.customer_details, email: 'camille.durand@example.fr', phone: '+33612345678' } },
    });
    deliver(s, paid);
    expect(s.rows('Leads')[0]).toMatchObject({ status: 'converted', email: 'attaquant@example.com' }); // matched by phone
    deliver(s, failedPayment(s, 1, sub.id, 'in_Victime0001', 'cus_Victime01'));
    const card = { ...fixture('stripe/event.json'), type: 'customer.source.expiring', data: { object: { id: 'card_1Victime', object: 'card', customer: 'cus_Victime01', exp_month: 12, exp_year: 2026 } } };
    deliver(s, s.providers.stripeEvent(card));
    const toClient = s.gas.mail.outbox.filter((m) => m.to !== 'operateur@sirrius.example');
    expect(toClient.map((m) => [m.to, m.subject])).toEqual([
      ['camille.durand@example.fr', 'Bienvenue chez Sirrius !'],
      ['camille.durand@example.fr', "Sirrius : votre paiement n'a pas abouti"],
      ['camille.durand@example.fr', 'Sirrius : votre carte arrive à expiration'],
    ]);
  });
});
