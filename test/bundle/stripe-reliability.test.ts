/**
 * Issue 17, the Stripe side: nothing lost, nothing doubled, nothing noisy. Each case is a fault
 * found by trying to break the promise through the bundle; each failed on the code before its fix.
 */
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
    const first = s.reconcile(0).result as { stripe: { applied: number; deferred?: number } };
    expect(first.stripe.deferred).toBeGreaterThan(0);
    expect(first.stripe.applied).toBeLessThan(61);
    s.gas.beforeCall = undefined;
    s.gas.afterCall = undefined;
    reconcileUntilIdle(s);
    expect(s.rows('Events').filter((e) => e.source === 'stripe')).toHaveLength(61);
    expect(s.rows('Leads')[0].status).toBe('converted');
  });
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

export { leadAndCheckout, noise, reconcileUntilIdle, ago, json, MINUTE };
