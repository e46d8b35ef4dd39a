/** The Stripe runbooks through the bundle: OK #3 conversion, KO #3 failed payments, KO #1 replay. */
import { fixture } from '../../emulator/providers';
import { System, json } from '../support/system';
import { sheetWrites, sheetsDataCalls } from '../support/gas';

const checkout = () => fixture('stripe/events/checkout.session.completed.json');

/** A Meta lead, its Stripe customer and subscription, and the checkout event that converts it. */
function leadAndCheckout(s: System, opts: { reference?: boolean; email?: string; phone?: string | null; amount?: number } = {}) {
  s.metaLead({ fullName: 'Camille Durand', phone: '+33612345678', email: 'camille.durand@example.fr' });
  const lead = s.rows('Leads')[0];
  const sub = s.providers.stripeSubscription({ customer: 'cus_Camille01', email: 'camille.durand@example.fr', amount: opts.amount ?? 2900 });
  const base = checkout();
  const event = s.providers.stripeEvent(base, {
    object: {
      client_reference_id: opts.reference === false ? null : lead.id,
      customer: 'cus_Camille01',
      subscription: sub.id,
      customer_details: { ...base.data.object.customer_details, email: opts.email ?? 'camille.durand@example.fr', phone: opts.phone ?? null },
    },
  });
  return { lead, sub, event };
}

describe('OK #3: conversion', () => {
  test('by client_reference_id: converted with its subscription and MRR, one welcome email, once', () => {
    const s = new System();
    const { lead, sub, event } = leadAndCheckout(s);
    expect(json(s.post('stripe', JSON.stringify(event)))).toEqual({ ok: true, status: 'processed' });
    const after = s.rows('Leads')[0];
    expect(after).toMatchObject({ id: lead.id, status: 'converted', stripe_customer_id: 'cus_Camille01', stripe_subscription_id: sub.id, mrr: 29 });
    expect(after.conversion_date).toEqual(new Date(event.created * 1000));
    expect(after.notes).toMatch(/Converti \(Stripe\) - MRR 29,00 €/);
    const welcome = s.gas.mail.outbox.filter((m) => m.subject === 'Bienvenue chez Sirrius !');
    expect(welcome).toHaveLength(1);
    expect(welcome[0].to).toBe('camille.durand@example.fr');
    expect(welcome[0].body).toMatch(/^Bonjour Camille,/);
    expect(s.rows('Messages').filter((m) => m.channel === 'email')).toEqual([expect.objectContaining({ template: 'bienvenue', status: 'sent', lead_id: lead.id })]);
    // Redelivered twice, then replayed by hand: nothing more.
    s.post('stripe', JSON.stringify(event));
    s.post('stripe', JSON.stringify(event));
    expect(s.gas.run('replayStripeEvent', [event.id])).toMatchObject({ ok: true, status: 'processed' });
    expect(s.gas.mail.outbox.filter((m) => m.subject === 'Bienvenue chez Sirrius !')).toHaveLength(1);
    expect(s.rows('Leads')).toHaveLength(1);
  });

  test('a client who takes a second subscription is not welcomed twice; MRR is the sum of both', () => {
    const s = new System();
    const { lead, event } = leadAndCheckout(s);
    s.post('stripe', JSON.stringify(event));
    const again = s.providers.stripeSubscription({ customer: 'cus_Camille01', amount: 3900 });
    s.post('stripe', JSON.stringify(s.providers.stripeEvent(checkout(), { object: { client_reference_id: lead.id, customer: 'cus_Camille01', subscription: again.id } })));
    expect(s.rows('Leads')).toEqual([expect.objectContaining({ id: lead.id, stripe_subscription_id: again.id, mrr: 68 })]);
    expect(s.gas.mail.outbox.filter((m) => m.subject === 'Bienvenue chez Sirrius !')).toHaveLength(1);
  });

  test('a welcome email that fails is retried by reconcile, and sent once', () => {
    const s = new System();
    const { event } = leadAndCheckout(s);
    let refusals = 1;
    s.gas.beforeCall = (_service, method) => (method === 'MailApp.sendEmail' && refusals-- > 0 ? 'Service invoked too many times for one day: email.' : undefined);
    expect(json(s.post('stripe', JSON.stringify(event)))).toEqual({ ok: false, status: 'failed' });
    expect(s.rows('Leads')[0].status).toBe('converted');
    expect(s.rows('Messages').filter((m) => m.channel === 'email')).toEqual([expect.objectContaining({ template: 'bienvenue', status: 'error' })]);
    s.reconcile(6 * 60000);
    s.reconcile(30 * 60000);
    expect(s.gas.mail.outbox.filter((m) => m.subject === 'Bienvenue chez Sirrius !')).toHaveLength(1);
    expect(s.rows('Events').find((e) => e.event_id === event.id)).toMatchObject({ status: 'processed', attempts: 2 });
  });

  test('by email, whatever its case, when the link carried no reference', () => {
    const s = new System();
    const { lead, event } = leadAndCheckout(s, { reference: false, email: 'Camille.DURAND@Example.fr' });
    s.post('stripe', JSON.stringify(event));
    expect(s.rows('Leads')).toEqual([expect.objectContaining({ id: lead.id, status: 'converted' })]);
  });

  test('by phone when neither reference nor email match', () => {
    const s = new System();
    const { lead, event } = leadAndCheckout(s, { reference: false, email: 'autre@example.fr', phone: '06 12 34 56 78' });
    s.post('stripe', JSON.stringify(event));
    expect(s.rows('Leads')).toEqual([expect.objectContaining({ id: lead.id, status: 'converted' })]);
  });

  test('no lead at all: one is created with source stripe, so no paying client is missing', () => {
    const s = new System();
    const sub = s.providers.stripeSubscription({ customer: 'cus_Nouveau01', amount: 4900 });
    const base = checkout();
    const event = s.providers.stripeEvent(base, { object: { client_reference_id: null, customer: 'cus_Nouveau01', subscription: sub.id, customer_details: { ...base.data.object.customer_details, email: 'JULIEN@example.fr', name: 'Julien Martin', phone: '0698765432' } } });
    s.post('stripe', JSON.stringify(event));
    expect(s.rows('Leads')).toEqual([
      expect.objectContaining({ source: 'stripe', status: 'converted', first_name: 'Julien', last_name: 'Martin', email: 'julien@example.fr', phone: '+33698765432', mrr: 49, stripe_customer_id: 'cus_Nouveau01' }),
    ]);
    expect(s.providers.sms).toHaveLength(0);
  });

  describe('a client who paid before their Meta lead was recorded', () => {
    /** A conversion with no lead to find: it creates the `stripe` lead of julien@example.fr. */
    function paidFirst(s: System) {
      const sub = s.providers.stripeSubscription({ customer: 'cus_Nouveau01', amount: 4900 });
      const base = checkout();
      const event = s.providers.stripeEvent(base, { object: { client_reference_id: null, customer: 'cus_Nouveau01', subscription: sub.id, customer_details: { ...base.data.object.customer_details, email: 'JULIEN@example.fr', name: 'Julien Martin', phone: '0698765432' } } });
      s.post('stripe', JSON.stringify(event));
      expect(s.rows('Leads')).toEqual([expect.objectContaining({ source: 'stripe', email: 'julien@example.fr' })]);
    }
    const listed = (s: System) => JSON.parse(s.gas.properties.script.get('PAID_FIRST_LEADS') ?? '{"entries":[]}').entries as unknown[];

    test('their Meta lead completes the lead the conversion made, and leaves the list', () => {
      const s = new System();
      paidFirst(s);
      expect(listed(s)).toHaveLength(1);
      expect(JSON.stringify(listed(s))).not.toContain('julien'); // a digest, not the email
      s.metaLead({ fullName: 'Julien Martin', email: 'Julien@Example.fr', phone: '0698765432' });
      expect(s.rows('Leads')).toEqual([expect.objectContaining({ source: 'facebook', status: 'converted', fb_lead_id: expect.any(String), stripe_customer_id: 'cus_Nouveau01' })]);
      expect(listed(s)).toHaveLength(0);
    });

    test('other Meta leads do not search Leads for it: the same calls as with nobody listed', () => {
      const cost = (withPaidFirst: boolean) => {
        const s = new System();
        if (withPaidFirst) paidFirst(s);
        s.metaLead({ email: 'a@example.fr', phone: '+33611111111' });
        const res = s.metaLead({ email: 'b@example.fr', phone: '+33622222222' }).response!;
        expect(json(res).ok).toBe(true);
        return sheetsDataCalls(res.calls);
      };
      expect(cost(true)).toBe(cost(false));
      expect(cost(true)).toBeLessThanOrEqual(13); // no email search: see intake.test.ts for the count

    });

    test('the list lost, setup() lists the lead again from the tab', () => {
      const s = new System();
      paidFirst(s);
      s.gas.properties.script.delete('PAID_FIRST_LEADS');
      s.gas.run('setup');
      expect(listed(s)).toHaveLength(1);
      s.metaLead({ fullName: 'Julien Martin', email: 'julien@example.fr', phone: '0698765432' });
      expect(s.rows('Leads')).toEqual([expect.objectContaining({ source: 'facebook', status: 'converted' })]);
    });

    test('an unreadable list makes every Meta lead search by email: nothing is missed', () => {
      const s = new System();
      paidFirst(s);
      s.gas.properties.script.set('PAID_FIRST_LEADS', '{not json');
      s.metaLead({ fullName: 'Julien Martin', email: 'julien@example.fr', phone: '0698765432' });
      expect(s.rows('Leads')).toEqual([expect.objectContaining({ source: 'facebook', status: 'converted' })]);
    });
  });

  test('MRR sums the items, yearly and weekly prices brought to a month', () => {
    const s = new System();
    s.metaLead({});
    const lead = s.rows('Leads')[0];
    const sub = s.providers.stripeSubscription({ customer: 'cus_Multi0001', items: [{ amount: 120000, interval: 'year' }, { amount: 1000, interval: 'week', quantity: 2 }, { amount: 500, interval: 'month', intervalCount: 3 }] });
    const event = s.providers.stripeEvent(checkout(), { object: { client_reference_id: lead.id, customer: 'cus_Multi0001', subscription: sub.id } });
    s.post('stripe', JSON.stringify(event));
    // 1200 €/12 + 2 × 10 € × 52/12 + 5 €/3 = 100 + 86.67 + 1.67
    expect(s.rows('Leads')[0].mrr).toBeCloseTo(188.33, 2);
  });

  test('an unpaid or one-off checkout changes nothing', () => {
    const s = new System();
    const { event } = leadAndCheckout(s);
    const unpaid = s.providers.stripeEvent(checkout(), { object: { ...event.data.object, payment_status: 'unpaid' } });
    expect(json(s.post('stripe', JSON.stringify(unpaid)))).toEqual({ ok: true, status: 'ignored' });
    expect(s.rows('Leads')[0].status).toBe('new');
  });

  test('convertLead by hand takes the subscription from Stripe; bad input changes nothing', () => {
    const s = new System();
    s.metaLead({});
    const lead = s.rows('Leads')[0];
    s.providers.stripeSubscription({ customer: 'cus_Hand00001', email: 'camille.durand@example.fr', status: 'canceled', amount: 1000 });
    s.providers.stripeSubscription({ customer: 'cus_Hand00001', amount: 3900 });
    const before = JSON.stringify(s.rows('Leads'));
    for (const [args, field] of [
      [['', 'cus_Hand00001'], 'leadId'],
      [[lead.id, 'pas un id'], 'stripeCustomerId'],
      [['lead_1', 'cus_Hand00001'], 'leadId'],
      [[lead.id, 'cus_Inconnu001'], 'stripeCustomerId'],
      [[{ id: 1 }, null], 'leadId'],
      [['=1+1', '=1+1'], 'leadId'],
    ] as const) {
      const res = s.gas.run('convertLead', [...args]) as { ok: boolean; field?: string; error?: string };
      expect(res).toMatchObject({ ok: false, field });
      expect(res.error).toMatch(/[a-zé]/);
    }
    expect(JSON.stringify(s.rows('Leads'))).toBe(before);
    const ok = s.gas.run('convertLead', [lead.id, 'cus_Hand00001']) as { ok: boolean; message: string };
    expect(ok).toEqual({ ok: true, message: 'Conversion enregistrée pour Camille Durand : MRR 39,00 €, e-mail de bienvenue envoyé.' });
    expect(s.rows('Leads')[0]).toMatchObject({ status: 'converted', mrr: 39, stripe_customer_id: 'cus_Hand00001' });
    expect(s.gas.run('convertLead', [lead.id, 'cus_Hand00001'])).toMatchObject({ ok: true, message: 'La conversion de Camille Durand avec cet abonnement était déjà enregistrée : rien n\'a changé.' });
    expect(s.gas.mail.outbox.filter((m) => m.subject === 'Bienvenue chez Sirrius !')).toHaveLength(1);
  });
});

describe('KO #3: failed payments', () => {
  function converted(s: System) {
    const { event, sub, lead } = leadAndCheckout(s);
    s.post('stripe', JSON.stringify(event));
    return { sub, lead };
  }

  function failed(s: System, attempt: number, subId: string, opts: { legacy?: boolean } = {}) {
    const base = fixture('stripe/events/invoice.payment_failed.json');
    const invoice = { ...base.data.object, customer: 'cus_Camille01', attempt_count: attempt, parent: { ...base.data.object.parent, subscription_details: { metadata: {}, subscription: subId } } };
    if (opts.legacy) {
      invoice.parent = null;
      invoice.subscription = subId;
    }
    return s.providers.stripeEvent(base, { object: invoice });
  }

  test('three failures: the counter follows attempt_count, a reminder each, then rejected, suspended (told so, MRR 0), one incident', () => {
    const s = new System();
    const { sub } = converted(s);
    const first = failed(s, 1, sub.id);
    s.post('stripe', JSON.stringify(first));
    expect(s.rows('Leads')[0]).toMatchObject({ payment_failures: 1, status: 'converted' });
    const reminders = () => s.gas.mail.outbox.filter((m) => m.subject.startsWith('Sirrius : votre paiement'));
    expect(reminders()).toHaveLength(1);
    expect(reminders()[0].body).toContain('https://invoice.stripe.com/i/acct_');
    const second = failed(s, 2, sub.id);
    s.post('stripe', JSON.stringify(second));
    s.post('stripe', JSON.stringify(second)); // redelivered
    expect(s.rows('Leads')[0].payment_failures).toBe(2);
    expect(reminders()).toHaveLength(2);
    // The old API version (invoice.subscription at top level) is read too.
    s.post('stripe', JSON.stringify(failed(s, 3, sub.id, { legacy: true })));
    const lead = s.rows('Leads')[0];
    expect(lead).toMatchObject({ payment_failures: 3, status: 'rejected', mrr: 0 });
    // The note says what happened at Stripe in words, not Config's code (cancel_subscription).
    expect(lead.notes).toContain('Service suspendu après plusieurs paiements échoués (abonnement résilié dans Stripe)');
    expect(s.providers.subscriptions.get(sub.id).status).toBe('canceled');
    // The third email says the service is suspended and how to resume, not "please pay" again.
    expect(reminders()).toHaveLength(2);
    const suspended = s.gas.mail.outbox.filter((m) => m.subject === 'Sirrius : votre service est suspendu');
    expect(suspended).toHaveLength(1);
    expect(suspended[0].body).toMatch(/suspendu/);
    expect(suspended[0].body).toMatch(/Pour le reprendre/);
    expect(suspended[0].body).toContain('répondez simplement à cet e-mail');
    const incidents = s.rows('Incidents').filter((i) => i.type === 'payment_failed');
    expect(incidents).toEqual([expect.objectContaining({ severity: 'medium', status: 'open', ref: 'cus_Camille01' })]);
    s.post('stripe', JSON.stringify(failed(s, 4, sub.id)));
    expect(s.rows('Incidents').filter((i) => i.type === 'payment_failed')).toHaveLength(1);
    expect(s.rows('Leads')[0].payment_failures).toBe(4);
    expect(s.gas.mail.outbox.filter((m) => m.to === 'camille.durand@example.fr')).toHaveLength(4); // welcome, 2 reminders, suspended: nothing more
  });

  test('a later invoice.paid resets the counter; a cancelled subscription sets MRR to 0; past_due is noted', () => {
    const s = new System();
    const { sub } = converted(s);
    s.post('stripe', JSON.stringify(failed(s, 1, sub.id)));
    const pastDue = fixture('stripe/events/customer.subscription.updated.json');
    s.post('stripe', JSON.stringify(s.providers.stripeEvent(pastDue, { object: { customer: 'cus_Camille01', id: sub.id } })));
    expect(s.rows('Leads')[0].notes).toMatch(/Abonnement en retard de paiement chez Stripe$/m);
    expect(s.rows('Leads')[0].payment_failures).toBe(1);
    const paid = fixture('stripe/events/invoice.paid.json');
    s.post('stripe', JSON.stringify(s.providers.stripeEvent(paid, { object: { customer: 'cus_Camille01' } })));
    expect(s.rows('Leads')[0].payment_failures).toBe(0);
    expect(s.rows('Leads')[0].notes).toMatch(/compteur d'échecs remis à zéro/);
    const deleted = fixture('stripe/events/customer.subscription.deleted.json');
    s.post('stripe', JSON.stringify(s.providers.stripeEvent(deleted, { object: { customer: 'cus_Camille01', id: sub.id } })));
    expect(s.rows('Leads')[0]).toMatchObject({ mrr: 0, status: 'converted' });
    expect(s.rows('Leads')[0].notes).toMatch(/Abonnement résilié le \d\d\/\d\d\/\d{4}/);
  });

  test('an expiring card gets one friendly email with the customer portal link', () => {
    const s = new System();
    converted(s);
    const base = { ...fixture('stripe/event.json'), type: 'customer.source.expiring', data: { object: { id: 'card_1Abc', object: 'card', customer: 'cus_Camille01', exp_month: 12, exp_year: 2026 } } };
    const event = s.providers.stripeEvent(base);
    s.post('stripe', JSON.stringify(event));
    const again = s.providers.stripeEvent(base);
    s.post('stripe', JSON.stringify(again));
    const mails = s.gas.mail.outbox.filter((m) => m.subject === 'Sirrius : votre carte arrive à expiration');
    expect(mails).toHaveLength(1);
    expect(mails[0].body).toContain('fin 12/2026');
    expect(mails[0].body).toContain('https://billing.stripe.com/p/session/test_cus_Camille01');
  });
});

describe('KO #1: replayStripeEvent', () => {
  test('a missed event is applied once, noted as a replay and logged as an incident', () => {
    const s = new System();
    const { event } = leadAndCheckout(s);
    const res = s.gas.run('replayStripeEvent', [event.id]);
    expect(res).toEqual({ ok: true, message: 'Événement Stripe appliqué : paiement par lien de paiement.', status: 'processed' });
    expect(s.rows('Leads')[0].status).toBe('converted');
    expect(String(s.rows('Events').find((e) => e.event_id === event.id)!.payload)).toMatch(/^\[replay\] /);
    expect(s.rows('Incidents')).toEqual([expect.objectContaining({ type: 'webhook_failure', severity: 'high', ref: event.id })]);
    // The operator reads what the event was, not Stripe's type code.
    expect(s.rows('Incidents')[0].title).toBe(`Webhook Stripe non reçu : paiement par lien de paiement (${event.id}) rejoué à la main`);
    expect(s.gas.run('replayStripeEvent', [event.id])).toMatchObject({ ok: true, status: 'processed', message: 'Cet événement est déjà dans le journal (traité) : rien n\'a été appliqué une seconde fois.' });
    expect(s.gas.mail.outbox.filter((m) => m.subject === 'Bienvenue chez Sirrius !')).toHaveLength(1);
  });

  test('bad or unknown ids are refused, nothing written', () => {
    const s = new System();
    for (const id of ['', 'evt', 'cus_123', '=1+1', null, 42, { id: 'evt_x' }]) {
      const run = s.gas.runDetailed('replayStripeEvent', [id]);
      expect(run.result).toMatchObject({ ok: false, field: 'eventId' });
      expect(sheetWrites(run.calls)).toBe(0);
    }
    const unknown = s.gas.runDetailed('replayStripeEvent', ['evt_1DoesNotExist00']);
    expect(unknown.result).toMatchObject({ ok: false, error: expect.stringMatching(/^Stripe ne connaît pas cet événement \(evt_\w+\) : vérifiez l'identifiant dans Stripe › Développeurs › Événements/) });
    expect(sheetWrites(unknown.calls)).toBe(0);
  });
});

test('a Stripe conversion costs the same Sheets calls at 100 and 100,000 Leads rows', () => {
  function cost(rows: number) {
    const s = new System();
    const header = s.gas.spreadsheet.active.sheet('Leads').values()[0] as string[];
    const data = Array.from({ length: rows }, (_, i) => header.map((h) => (h === 'id' ? `lead_${1600000000000 + i}` : h === 'email' ? `x${i}@example.fr` : '')));
    s.gas.spreadsheet.active.sheet('Leads').seed(data, 2);
    const { event } = leadAndCheckout(s);
    const res = s.post('stripe', JSON.stringify(event));
    expect(json(res).status).toBe('processed');
    return { data: sheetsDataCalls(res.calls), fetches: res.calls.count('UrlFetch', ['UrlFetchApp.fetch']) };
  }
  const small = cost(100);
  expect(cost(100000)).toEqual(small);
  expect(small.fetches).toBe(2); // the event, the subscription
  // One batchGet (headers, append rows), the journal lookup, row and status; the lead found by its
  // reference and read; its conversion (three column blocks); the welcome email's Messages row; the
  // check, after the Stripe call, that the rows read before it did not move (one batchGet).
  expect(small.data).toBeLessThanOrEqual(11);
});
